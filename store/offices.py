"""Offices in a tree (组织部 → 街道党工委 → 社区党组织; 机关工委 → 单位党组织).

A user sees their office and every office under it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import Engine, insert, select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from baodao.errors import StorageError
from baodao.store.schema import files, office_files, offices

DEFAULT_OFFICE = 1  # made by migration 0004w; data from before offices belongs to it
KINDS = ("组织部", "街道党工委", "社区党组织", "机关工委", "单位党组织", "其他")


@dataclass(frozen=True)
class Office:
    id: int
    name: str
    kind: str
    parent_id: int | None
    depth: int = 0  # below the office a listing started from


def all_offices(engine: Engine) -> list[Office]:
    try:
        with engine.connect() as conn:
            rows = conn.execute(select(offices).order_by(offices.c.id)).all()
    except SQLAlchemyError as exc:
        raise StorageError(f"无法读取组织：{exc}") from exc
    return [Office(r.id, r.name, r.kind, r.parent_id) for r in rows]


def subtree(engine: Engine, root: int) -> list[Office]:
    """``root`` and every office under it, depth first, each with its depth below ``root``."""
    every = all_offices(engine)
    children: dict[int | None, list[Office]] = {}
    for o in every:
        children.setdefault(o.parent_id, []).append(o)
    found: list[Office] = []
    start = next((o for o in every if o.id == root), None)
    if start is None:
        return []
    stack = [(start, 0)]
    while stack:
        office, depth = stack.pop()
        found.append(Office(office.id, office.name, office.kind, office.parent_id, depth))
        stack += [(c, depth + 1) for c in reversed(children.get(office.id, []))]
    return found


def office_ids_under(engine: Engine, root: int) -> set[int]:
    return {o.id for o in subtree(engine, root)}


def add_office(engine: Engine, name: str, kind: str, parent_id: int | None) -> int:
    """A new office under ``parent_id``; a name is unique among its siblings."""
    name = name.strip()
    if not name:
        raise StorageError("组织名称不能为空")
    if len(name) > 200:
        raise StorageError("组织名称太长（至多 200 字）")
    if kind not in KINDS:
        raise StorageError(f"组织类别“{kind}”不对，应为：{'、'.join(KINDS)}")
    try:
        with engine.begin() as conn:
            made = conn.execute(
                insert(offices).values(
                    name=name, kind=kind, parent_id=parent_id, created_at=dt.datetime.now()
                )
            )
            return int(made.inserted_primary_key[0])  # type: ignore[index]
    except IntegrityError as exc:
        raise StorageError(f"上级组织下已有名为“{name}”的组织") from exc
    except SQLAlchemyError as exc:
        raise StorageError(f"无法保存组织“{name}”：{exc}") from exc


def ensure_office(engine: Engine, name: str, kind: str, parent_id: int | None) -> tuple[int, bool]:
    """The office of that name under ``parent_id``, made if missing; (id, made now)."""
    query = select(offices.c.id).where(offices.c.name == name.strip())
    query = query.where(
        offices.c.parent_id.is_(None) if parent_id is None else offices.c.parent_id == parent_id
    )
    with engine.connect() as conn:
        known = conn.execute(query).scalar()
    if known is not None:
        return int(known), False
    return add_office(engine, name, kind, parent_id), True


def import_lists(
    engine: Engine, parent_id: int, lists: Iterable[tuple[str, Sequence[str]]]
) -> tuple[int, int]:
    """社区党组织 under ``parent_id``, each with its 单位党组织, from community → units lists.

    Returns (made, there already).
    """
    made = known = 0
    for community, units in lists:
        community_id, new = ensure_office(engine, community, "社区党组织", parent_id)
        made, known = made + new, known + (not new)
        for unit in units:
            _, new = ensure_office(engine, unit, "单位党组织", community_id)
            made, known = made + new, known + (not new)
    return made, known


def link_file(engine: Engine, office_id: int, sha256: str, name: str) -> int | None:
    """Note that ``office_id`` handed in the stored file with this content; its id (None: not stored)."""
    try:
        with engine.begin() as conn:
            file_id = conn.execute(select(files.c.id).where(files.c.sha256 == sha256)).scalar()
            if file_id is None:
                return None
            linked = conn.execute(
                select(office_files.c.file_id).where(
                    office_files.c.office_id == office_id, office_files.c.file_id == file_id
                )
            ).first()
            if linked is None:
                conn.execute(
                    insert(office_files).values(
                        office_id=office_id, file_id=file_id, name=name[:255], at=dt.datetime.now()
                    )
                )
            return int(file_id)
    except SQLAlchemyError as exc:
        raise StorageError(f"无法登记文件 {name} 所属的组织：{exc}") from exc


def file_offices(engine: Engine, file_id: int) -> set[int]:
    with engine.connect() as conn:
        rows = conn.execute(select(office_files.c.office_id).where(office_files.c.file_id == file_id))
        return {int(r[0]) for r in rows}


def file_of_record(engine: Engine, record_id: int) -> int | None:
    from baodao.store.schema import records

    with engine.connect() as conn:
        found = conn.execute(select(records.c.file_id).where(records.c.id == record_id)).scalar()
    return int(found) if found is not None else None


def stored_file(engine: Engine, file_id: int) -> tuple[str, str, str] | None:
    """(path where it is kept, sha256, status) of a stored file."""
    with engine.connect() as conn:
        row = conn.execute(
            select(files.c.first_path, files.c.sha256, files.c.status).where(files.c.id == file_id)
        ).first()
    return (row[0], row[1], row[2]) if row else None


def file_name(engine: Engine, office_ids: set[int], file_id: int) -> str | None:
    """The name an office among ``office_ids`` gave the file; None when none of them handed it in."""
    with engine.connect() as conn:
        row = conn.execute(
            select(office_files.c.name).where(
                office_files.c.file_id == file_id, office_files.c.office_id.in_(office_ids)
            )
        ).first()
    return str(row[0]) if row else None


def records_of_file(engine: Engine, file_id: int) -> list[int]:
    """The records read from a stored file, current first."""
    from baodao.store.schema import records

    query = select(records.c.id).where(records.c.file_id == file_id).order_by(records.c.status, records.c.id)
    with engine.connect() as conn:
        return [int(r[0]) for r in conn.execute(query)]
