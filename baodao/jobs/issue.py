"""Issuing a batch as a job: a roster in, the forms, a combined PDF and a ZIP of the DOCX out, registered.

Parameters (JSON): form, roster (path under the data folder), roster_name, column_map (header → field
label, the clerk's mapping), blank (required fields left for handwriting), issue_date, due_date (ISO dates;
due None: the form's deadline), issuer, pdf; a chunk adds rows ([start, end) of the roster's data rows).
A big roster is split into chunks of ``CHUNK_RECORDS`` rows that several workers make side by side; the
merge joins their PDFs in roster order, zips every DOCX and lists every problem row.
Running it again makes the same files and adds nothing to the register (forms are known by key and id).
"""

from __future__ import annotations

import datetime as dt
import os
import zipfile
from pathlib import Path
from typing import Any

from pypdf import PdfWriter

from baodao.docgen.batch import GenerateOptions, GenerateResult, generate, splittable_rows
from baodao.docgen.report import write_problem_report
from baodao.files import atomic_path
from baodao.form_templates.catalog import Form, get_form
from baodao.jobs.context import JobContext
from baodao.jobs.templates import template_for, version_number
from baodao.office.sources import RowProblem
from baodao.store.register import record_issued

CHUNK_RECORDS = 500  # roster rows in a chunk (BAODAO_CHUNK_RECORDS)


def _options(p: dict[str, Any], out: Path) -> GenerateOptions:
    rows = p.get("rows")
    return GenerateOptions(
        outdir=out,
        pdf=bool(p.get("pdf", True)),
        force=True,
        issuer=p.get("issuer", ""),
        issue_date=dt.date.fromisoformat(p["issue_date"]),
        due_date=dt.date.fromisoformat(p["due_date"]) if p.get("due_date") else None,
        column_map=dict(p.get("column_map") or {}),
        blank=frozenset(p.get("blank") or ()),
        rows=(int(rows[0]), int(rows[1])) if rows else None,
    )


def split(params: dict[str, Any], data_dir: Path) -> list[dict[str, Any]]:
    """The roster's data rows in parts of ``CHUNK_RECORDS`` (one part for a table form or a small roster)."""
    form = get_form(params["form"])
    size = int(os.environ.get("BAODAO_CHUNK_RECORDS", CHUNK_RECORDS))
    count = splittable_rows(form, data_dir / params["roster"], _options(params, data_dir))
    if count is None or count <= size:
        return [{}]
    return [{"rows": [n, min(n + size, count)]} for n in range(0, count, size)]


def run(ctx: JobContext) -> dict[str, Any]:
    p = ctx.params
    form, version = template_for(ctx.engine, ctx.office_id, p["form"], ctx.workdir)
    roster = ctx.data_dir / p["roster"]
    options = _options(p, ctx.workdir / "out")
    part = f"第 {options.rows[0] + 1}–{options.rows[1]} 行" if options.rows else ""
    ctx.say(f"生成 {form.key}（{form.spec.title}），数据：{p.get('roster_name', roster.name)}{part}")
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
    title = form.spec.title
    files: list[tuple[Path, str]] = []
    if "rows" not in ctx.params:  # a whole batch: its own downloads (a chunk's are joined by ``merge``)
        files.append((_zip(out / f"{form.key}-{title}.zip", docx), f"{title}-{len(docx)}份.zip"))
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
        "docx": [str(f.relative_to(ctx.data_dir)) for f in docx],
        "pdf": str(result.combined_pdf.relative_to(ctx.data_dir)) if result.combined_pdf else None,
        "downloads": [{"name": name, "path": str(path.relative_to(ctx.data_dir))} for path, name in files],
    }


def merge(ctx: JobContext, results: list[dict[str, Any]]) -> dict[str, Any]:
    """One batch from its chunks: the PDFs joined in roster order, every DOCX zipped, every problem row."""
    if len(results) == 1:
        return results[0]
    first = results[0]
    form = get_form(first["form"])
    title = form.spec.title
    out = ctx.workdir
    docx = [ctx.data_dir / f for r in results for f in r["docx"]]
    problems = [x for r in results for x in r["problems"]]
    files: list[tuple[Path, str]] = []
    pdfs = [ctx.data_dir / r["pdf"] for r in results if r.get("pdf")]
    if pdfs:
        joined = out / f"{form.key}-combined.pdf"
        with atomic_path(joined) as tmp:
            writer = PdfWriter()
            for pdf in pdfs:
                writer.append(pdf)
            with tmp.open("wb") as fh:
                writer.write(fh)
        files.append((joined, f"{title}-合并打印.pdf"))
    files.append((_zip(out / f"{form.key}-{title}.zip", docx), f"{title}-{len(docx)}份.zip"))
    if problems:
        report = write_problem_report(
            [RowProblem(x["row"], x["column"], x["value"], x["reason"], x["who"]) for x in problems],
            out / f"{form.key}-问题行.xlsx",
            ctx.data_dir / ctx.params["roster"],
        )
        files.append((report, f"{title}-问题行.xlsx"))
    registered = sum(r["registered"] for r in results)
    already = sum(r["already"] for r in results)
    ctx.say(f"共生成 {len(docx)} 份（{len(results)} 部分）；发放登记新增 {registered} 条，已有 {already} 条")
    return {
        **{k: first.get(k) for k in ("form", "title", "blank", "unused", "template_version")},
        "made": len(docx),
        "rows": sum(r["rows"] for r in results),
        "registered": registered,
        "already": already,
        "problems": problems,
        "docx": [str(f.relative_to(ctx.data_dir)) for f in docx],
        "pdf": str(files[0][0].relative_to(ctx.data_dir)) if pdfs else None,
        "downloads": [{"name": name, "path": str(path.relative_to(ctx.data_dir))} for path, name in files],
    }


def _zip(archive: Path, docx: list[Path]) -> Path:
    with atomic_path(archive) as tmp, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
        for f in docx:
            zf.write(f, f.name)
    return archive
