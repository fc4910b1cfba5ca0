"""An office's edited templates: checked (and repaired) when handed in, measured and put in use as a job,
and the template a form is made from for an office (its version in use, else the bundled one).

Activation job parameters (JSON): version (the template version's id). Its layout is computed by
LibreOffice (the blank form rendered and measured as intake measures a page), then it is put in use.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from baodao.errors import DataError, TemplateError
from baodao.files import atomic_path
from baodao.form_templates.catalog import DOCX_FILE, XLSX_FILE, Form, get_form
from baodao.form_templates.check import CheckReport, check_template, write_repaired
from baodao.form_templates.identify import form_of_template
from baodao.intake.layout import LAYOUT_FILE
from baodao.jobs.context import JobContext
from baodao.jobs.layouts import layouts
from baodao.store.templates import (
    TemplateVersion,
    activate,
    active_version,
    add_version,
    set_layout,
    version_by_id,
    version_content,
    version_layout,
)


@dataclass(frozen=True)
class CheckedTemplate:
    """An edited template as the check left it: what it found, and the file to use (mended when it could)."""

    form: Form
    report: CheckReport
    usable: Path  # the repaired copy when the check mended something, else the file as given

    @property
    def ok(self) -> bool:
        return self.report.ok

    @property
    def repaired(self) -> bool:
        return bool(self.report.repaired)

    def findings(self) -> list[dict[str, str]]:
        return [
            {"level": f.level, "location": f.location, "message": f.message} for f in self.report.findings
        ]

    def refusal(self) -> str:
        """The findings that stop the template from being used, one a line, in Chinese."""
        shown = "\n".join(f"  {f}" for f in self.report.findings if f.level == "错误")
        return f"模板不能使用（表单 {self.form.key} {self.form.spec.title}），请改好后再试：\n{shown}"


def check_edited(path: Path, key: str | None, work: Path) -> CheckedTemplate:
    """``baodao forms check`` on a clerk's copy: which form it is (``key``, else its properties or title),
    the findings, and a repaired copy written into ``work`` when split tags or curly quotes were mended."""
    if path.suffix.lower() != ".docx":
        raise DataError(f"{path.name}：模板须是 Word 文档（.docx）；WPS 或 .doc 文件请先另存为 .docx")
    spec = get_form(key).spec if key else form_of_template(path)
    form = get_form(spec.key)
    report = check_template(path, spec)
    usable = path
    if report.repaired:
        usable = work / f"{spec.key}-修复后.docx"
        usable.unlink(missing_ok=True)
        write_repaired(path, report, usable)
    return CheckedTemplate(form, report, usable)


def version_form(engine: Engine, version: TemplateVersion, folder: Path) -> Form:
    """The catalog form with the version's template (and its layout when known) written into ``folder``:
    generation and layout measuring take it as they take a bundled form."""
    bundled = get_form(version.form_key)
    folder.mkdir(parents=True, exist_ok=True)
    with atomic_path(folder / DOCX_FILE) as tmp:
        tmp.write_bytes(version_content(engine, version.id))
    if bundled.xlsx is not None:  # a table form's spreadsheet is not edited in Word: the bundled one
        shutil.copyfile(bundled.xlsx, folder / XLSX_FILE)
    layout = version_layout(engine, version.id)
    if layout is not None:
        (folder / LAYOUT_FILE).write_text(json.dumps(layout, ensure_ascii=False), encoding="utf-8")
    return Form(bundled.spec, folder)


def template_for(engine: Engine, office_id: int, key: str, workdir: Path) -> tuple[Form, int | None]:
    """The form ``office_id`` makes ``key`` from, and its version's id: its version in use, else the
    bundled template (None)."""
    version = active_version(engine, office_id, key)
    if version is None:
        return get_form(key), None
    return version_form(engine, version, workdir / f"template-{version.id}"), version.id


def version_number(engine: Engine, version_id: int) -> str:
    """“第 2 版（新安社区联建协议书.docx）”: a version as a clerk knows it."""
    found = version_by_id(engine, version_id)
    return f"第 {found.version} 版（{found.file_name}）" if found is not None else f"#{version_id}"


def measure(engine: Engine, version: TemplateVersion) -> dict[str, Any]:
    """The version's layout (as layout.json holds it), by LibreOffice; kept with the version."""
    with tempfile.TemporaryDirectory(prefix="baodao-version-") as work:
        form = version_form(engine, version, Path(work))
        try:
            [layout] = layouts([form])
        except TemplateError as exc:
            raise DataError(f"模板第 {version.version} 版无法排版：{exc}") from exc
    found = asdict(layout)
    set_layout(engine, version.id, found)
    return found


def run(ctx: JobContext) -> dict[str, Any]:
    """Activation: measure the version's layout, then put it in use for its office."""
    version = version_by_id(ctx.engine, int(ctx.params["version"]))
    if version is None or version.office_id != ctx.office_id:
        raise DataError("只能启用本单位的模板版本")
    ctx.expect(2)
    ctx.say(f"用 LibreOffice 排版 {version.form_key} 模板第 {version.version} 版，记下各栏位置（版面）")
    layout = version_layout(ctx.engine, version.id) or measure(ctx.engine, version)
    ctx.advance()
    done = activate(ctx.engine, version.id, layout, ctx.username)
    ctx.advance()
    pages = len(layout.get("pages", []))
    ctx.say(f"已启用 {done.form_key} 模板第 {done.version} 版（{pages} 页）；此后本单位发放的表单用这一版")
    return {"version": done.id, "form": done.form_key, "number": done.version, "pages": pages}


def keep_version(
    engine: Engine, office_id: int, checked: CheckedTemplate, name: str, who: str
) -> TemplateVersion:
    """The checked template kept as a version of the office's (refused when the check found errors)."""
    if not checked.ok:
        raise DataError(checked.refusal())
    return add_version(
        engine, office_id, checked.form.key, checked.usable.read_bytes(), name, checked.findings(), who
    )
