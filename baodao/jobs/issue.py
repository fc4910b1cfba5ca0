"""Issuing a batch as a job: a roster in, the forms, a combined PDF and a ZIP of the DOCX out, registered.

Parameters (JSON): form, roster (path under the data folder), roster_name, column_map (header → field
label, the clerk's mapping), blank (required fields left for handwriting), issue_date, due_date (ISO dates;
due None: the form's deadline), issuer, pdf.
Running it again makes the same files and adds nothing to the register (forms are known by key and id).
"""

from __future__ import annotations

import datetime as dt
import zipfile
from typing import Any

from baodao.docgen.batch import GenerateOptions, GenerateResult, generate
from baodao.files import atomic_path
from baodao.form_templates.catalog import Form
from baodao.jobs.context import JobContext
from baodao.jobs.templates import template_for, version_number
from baodao.store.register import record_issued


def run(ctx: JobContext) -> dict[str, Any]:
    p = ctx.params
    form, version = template_for(ctx.engine, ctx.office_id, p["form"], ctx.workdir)
    roster = ctx.data_dir / p["roster"]
    out = ctx.workdir / "out"
    options = GenerateOptions(
        outdir=out,
        pdf=bool(p.get("pdf", True)),
        force=True,
        issuer=p.get("issuer", ""),
        issue_date=dt.date.fromisoformat(p["issue_date"]),
        due_date=dt.date.fromisoformat(p["due_date"]) if p.get("due_date") else None,
        column_map=dict(p.get("column_map") or {}),
        blank=frozenset(p.get("blank") or ()),
    )
    ctx.say(f"生成 {form.key}（{form.spec.title}），数据：{p.get('roster_name', roster.name)}")
    if version is not None:
        ctx.say(f"用本单位启用的模板：{version_number(ctx.engine, version)}")
    result = generate(
        form,
        roster,
        options,
        register=lambda entries: record_issued(ctx.engine, entries, ctx.office_id, version),
        progress=ctx.advance,
    )
    return {**outcome(ctx, form, result), "template_version": version}


def outcome(ctx: JobContext, form: Form, result: GenerateResult) -> dict[str, Any]:
    """What the job page shows of a batch, with its PDF, a ZIP of the DOCX and the problem report."""
    out = ctx.workdir / "out"
    docx = sorted(f for f in result.files if f.suffix == ".docx")
    ctx.say(
        f"已生成 {len(docx)} 份；发放登记新增 {result.registered} 条，已有 {result.already_registered} 条"
    )
    archive = out / f"{form.key}-{form.spec.title}.zip"
    with atomic_path(archive) as tmp, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
        for f in docx:
            zf.write(f, f.name)
    title = form.spec.title
    files = [(archive, f"{title}-{len(docx)}份.zip")]
    if result.combined_pdf is not None:
        files.insert(0, (result.combined_pdf, f"{title}-合并打印.pdf"))
    if result.report is not None:
        files.append((result.report, f"{title}-问题行.xlsx"))
    return {
        "form": form.key,
        "title": form.spec.title,
        "made": len(docx),
        "rows": result.rows,
        "registered": result.registered,
        "already": result.already_registered,
        "blank": result.blank_fields,
        "unused": result.unused_columns,
        "problems": [
            {"row": x.row, "who": x.who, "column": x.column, "value": x.value, "reason": x.reason}
            for x in result.problems
        ],
        "downloads": [{"name": name, "path": str(path.relative_to(ctx.data_dir))} for path, name in files],
    }
