"""Template versions: an office's edited copies of a form's template, kept with their layout, one in use.

A version is added when a clerk hands in an edited template (checked, and repaired when the check mended
it); it is put in use (activated) once its layout is known. Each issued form names the version it was made
from, so a return of it is laid over that version's layout.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, func, null, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from baodao.errors import StorageError
from baodao.store.schema import issued_forms, template_versions

CHUNK = 500  # ids per IN (…) query


@dataclass(frozen=True)
class TemplateVersion:
    """A version as pages and jobs see it (the file's bytes and the layout are fetched apart)."""

    id: int
    form_key: str
    office_id: int
    version: int
    sha256: str
    file_name: str
    findings: list[dict[str, str]]  # the check's findings: level, location, message
    created_at: dt.datetime
    created_by: str
    activated_at: dt.datetime | None
    activated_by: str | None
    active: bool
    has_layout: bool


_LISTED = [c for c in template_versions.c if c.name not in ("content", "layout")]


def add_version(
    engine: Engine,
    office_id: int,
    form_key: str,
    content: bytes,
    file_name: str,
    findings: list[dict[str, str]],
    who: str,
) -> TemplateVersion:
    """The office's version of ``form_key`` holding ``content``: the one there is, or a new one numbered
    after the last. Not in use until activated."""
    digest = hashlib.sha256(content).hexdigest()
    for _ in range(3):  # two clerks adding at once may take the same number: the loser tries again
        found = _by_content(engine, office_id, form_key, digest)
        if found is not None:
            return found
        try:
            with engine.begin() as conn:
                last = conn.scalar(
                    select(func.max(template_versions.c.version)).where(
                        template_versions.c.office_id == office_id, template_versions.c.form_key == form_key
                    )
                )
                new_id = conn.execute(
                    template_versions.insert().values(
                        form_key=form_key,
                        office_id=office_id,
                        version=(last or 0) + 1,
                        sha256=digest,
                        file_name=file_name[:255],
                        content=content,
                        findings=findings,
                        layout=null(),  # SQL NULL: a JSON column would keep None as JSON null
                        created_at=dt.datetime.now(),
                        created_by=who[:64],
                        active=False,
                    )
                ).inserted_primary_key
        except IntegrityError:
            continue
        except SQLAlchemyError as exc:
            raise StorageError(f"无法保存模板：{exc}") from exc
        assert new_id is not None
        made = version_by_id(engine, int(new_id[0]))
        assert made is not None
        return made
    raise StorageError("无法保存模板：同时有人在保存同一表单的模板，请再试一次")


def _by_content(engine: Engine, office_id: int, form_key: str, digest: str) -> TemplateVersion | None:
    query = select(*_LISTED, template_versions.c.layout.is_not(None).label("has_layout")).where(
        template_versions.c.office_id == office_id,
        template_versions.c.form_key == form_key,
        template_versions.c.sha256 == digest,
    )
    with engine.connect() as conn:
        row = conn.execute(query).first()
    return _version(row._mapping) if row is not None else None


def version_by_id(engine: Engine, version_id: int) -> TemplateVersion | None:
    query = select(*_LISTED, template_versions.c.layout.is_not(None).label("has_layout")).where(
        template_versions.c.id == version_id
    )
    try:
        with engine.connect() as conn:
            row = conn.execute(query).first()
    except SQLAlchemyError as exc:
        raise StorageError(f"无法读取模板版本：{exc}") from exc
    return _version(row._mapping) if row is not None else None


def versions_of(engine: Engine, office_ids: set[int], form_key: str | None = None) -> list[TemplateVersion]:
    """The versions of these offices (of one form when given), newest first."""
    query = (
        select(*_LISTED, template_versions.c.layout.is_not(None).label("has_layout"))
        .where(template_versions.c.office_id.in_(office_ids))
        .order_by(template_versions.c.id.desc())
    )
    if form_key is not None:
        query = query.where(template_versions.c.form_key == form_key)
    try:
        with engine.connect() as conn:
            return [_version(r._mapping) for r in conn.execute(query)]
    except SQLAlchemyError as exc:
        raise StorageError(f"无法读取模板版本：{exc}") from exc


def active_version(engine: Engine, office_id: int, form_key: str) -> TemplateVersion | None:
    """The version ``office_id`` makes ``form_key`` from; None: the bundled template."""
    query = select(*_LISTED, template_versions.c.layout.is_not(None).label("has_layout")).where(
        template_versions.c.office_id == office_id,
        template_versions.c.form_key == form_key,
        template_versions.c.active.is_(True),
    )
    with engine.connect() as conn:
        row = conn.execute(query).first()
    return _version(row._mapping) if row is not None else None


def version_content(engine: Engine, version_id: int) -> bytes:
    with engine.connect() as conn:
        content = conn.scalar(select(template_versions.c.content).where(template_versions.c.id == version_id))
    if content is None:
        raise StorageError(f"没有第 {version_id} 号模板版本")
    return bytes(content)


def version_layout(engine: Engine, version_id: int) -> dict[str, Any] | None:
    """The layout LibreOffice gave the version (as layout.json holds it); None before activation."""
    with engine.connect() as conn:
        found = conn.scalar(select(template_versions.c.layout).where(template_versions.c.id == version_id))
    return found if isinstance(found, dict) else None


def set_layout(engine: Engine, version_id: int, layout: dict[str, Any]) -> None:
    """Keep the layout LibreOffice gave the version (the command line's versions are not put in use)."""
    with engine.begin() as conn:
        conn.execute(
            update(template_versions).where(template_versions.c.id == version_id).values(layout=layout)
        )


def activate(engine: Engine, version_id: int, layout: dict[str, Any], who: str) -> TemplateVersion:
    """Keep the version's layout and put it in use for its office and form, in place of any other."""
    found = version_by_id(engine, version_id)
    if found is None:
        raise StorageError(f"没有第 {version_id} 号模板版本")
    with engine.begin() as conn:
        conn.execute(
            update(template_versions)
            .where(
                template_versions.c.office_id == found.office_id,
                template_versions.c.form_key == found.form_key,
                template_versions.c.active.is_(True),
            )
            .values(active=False)
        )
        conn.execute(
            update(template_versions)
            .where(template_versions.c.id == version_id)
            .values(layout=layout, active=True, activated_at=dt.datetime.now(), activated_by=who[:64])
        )
    done = version_by_id(engine, version_id)
    assert done is not None
    return done


def deactivate(engine: Engine, office_id: int, form_key: str) -> bool:
    """Back to the bundled template for this office and form; False when none was in use."""
    with engine.begin() as conn:
        done = conn.execute(
            update(template_versions)
            .where(
                template_versions.c.office_id == office_id,
                template_versions.c.form_key == form_key,
                template_versions.c.active.is_(True),
            )
            .values(active=False)
        )
    return bool(done.rowcount)


def issued_versions(engine: Engine) -> Iterator[tuple[str, str, int, dict[str, Any]]]:
    """(form key, form id, version id, layout) of every issued form made from a version with a layout:
    what intake lays a scanned return over, found by the id its QR code carries."""
    layouts: dict[int, dict[str, Any]] = {}
    query = (
        select(
            issued_forms.c.form_key,
            issued_forms.c.form_id,
            issued_forms.c.template_version_id,
        )
        .join(template_versions, template_versions.c.id == issued_forms.c.template_version_id)
        .where(template_versions.c.layout.is_not(None))
    )
    try:
        with engine.connect() as conn:
            rows = conn.execute(query).all()
            wanted = sorted({r.template_version_id for r in rows})
            for start in range(0, len(wanted), CHUNK):
                part = wanted[start : start + CHUNK]
                found = select(template_versions.c.id, template_versions.c.layout).where(
                    template_versions.c.id.in_(part)
                )
                layouts.update({i: layout for i, layout in conn.execute(found)})
    except SQLAlchemyError as exc:
        raise StorageError(f"无法读取模板版本：{exc}") from exc
    for r in rows:
        yield r.form_key, r.form_id, r.template_version_id, layouts[r.template_version_id]


def version_of_issued(engine: Engine, form_key: str, form_id: str) -> int | None:
    """The version an issued form was made from (None: bundled, or not in the register)."""
    with engine.connect() as conn:
        return conn.scalar(
            select(issued_forms.c.template_version_id).where(
                issued_forms.c.form_key == form_key, issued_forms.c.form_id == form_id
            )
        )


def _version(m: Any) -> TemplateVersion:
    return TemplateVersion(
        id=m["id"],
        form_key=m["form_key"],
        office_id=m["office_id"],
        version=m["version"],
        sha256=m["sha256"],
        file_name=m["file_name"],
        findings=list(m["findings"] or []),
        created_at=m["created_at"],
        created_by=m["created_by"],
        activated_at=m["activated_at"],
        activated_by=m["activated_by"],
        active=bool(m["active"]),
        has_layout=bool(m["has_layout"]),
    )
