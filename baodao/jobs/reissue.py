"""Reissuing a withdrawn form as a job: the same member's row of the same roster, under a new 编号.

Parameters (JSON): entry (the withdrawn register row's id). The roster and the clerk's mapping are those of
the issue job that made the form; the new form is registered with ``replaces`` naming the old 编号, and the
old entry stays, withdrawn, so the register keeps the history.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

from baodao.docgen.batch import GenerateOptions, generate_table
from baodao.docgen.mapping import ColumnMap
from baodao.errors import DataError
from baodao.jobs.context import JobContext
from baodao.jobs.issue import outcome
from baodao.jobs.roster import read_roster
from baodao.jobs.templates import template_for
from baodao.office.sources import SourceCell, SourceRow
from baodao.store import jobs as queue
from baodao.store.register import mark_replaces, record_issued, register_row, register_rows


def run(ctx: JobContext) -> dict[str, Any]:
    old = register_row(ctx.engine, int(ctx.params["entry"]))
    if old is None or old.office_id != ctx.office_id or old.entry.status != "withdrawn":
        raise DataError("只能补发本单位已作废的表单")
    entry = old.entry
    form, version = template_for(ctx.engine, ctx.office_id, entry.form_key, ctx.workdir)
    spec = form.spec
    if spec.id_field is None:
        raise DataError(f"表单 {form.key} 没有编号栏，无法补发")
    issued_by = _issue_job(ctx, entry.source)
    params = issued_by.params
    mapping, blank = dict(params.get("column_map") or {}), list(params.get("blank") or [])
    issue_date = dt.date.today()
    table = read_roster(Path(entry.source), form, mapping)
    rows = [r for r in table.rows if r.number == entry.source_row]
    if not rows:
        raise DataError(f"名册 {params.get('roster_name', '')} 中已没有第 {entry.source_row} 行，无法补发")
    new_id = _new_id(ctx, entry.form_key, entry.form_id)
    columns = ColumnMap(spec, table, mapping, blank, issue_date)
    source = columns.sources.get(spec.id_field)
    headers = list(table.headers)
    if source is None:
        headers.append(spec.field(spec.id_field).label)
        index = len(headers) - 1
    else:
        index = source.indices[0]
    row = SourceRow(rows[0].number, {**rows[0].cells, index: SourceCell(new_id)})
    one = dataclasses.replace(table, headers=headers, rows=[row])
    ctx.expect(1)
    ctx.say(f"补发 {entry.form_key} {entry.form_id}（{entry.recipient}）：新编号 {new_id}")
    options = GenerateOptions(
        outdir=ctx.workdir / "out",
        pdf=True,
        force=True,
        issuer=entry.issuing_org,
        issue_date=issue_date,
        due_date=entry.due_date,
        column_map=mapping,
        blank=frozenset(blank),
    )
    result = generate_table(
        form,
        one,
        options,
        lambda entries: record_issued(ctx.engine, entries, ctx.office_id, version),
        ctx.advance,
    )
    if result.registered:
        mark_replaces(ctx.engine, entry.form_key, new_id, entry.form_id)
    return {**outcome(ctx, form, result), "replaces": entry.form_id, "new_id": new_id}


def _issue_job(ctx: JobContext, source: str) -> queue.Job:
    for job in queue.jobs_of(ctx.engine, {ctx.office_id}, limit=10_000):
        if job.kind == "issue" and str(ctx.data_dir / job.params.get("roster", "")) == source:
            return job
    raise DataError("这份表单不是在工作台发放的（找不到它的名册），请在“发放”中重新发放")


def _new_id(ctx: JobContext, key: str, old: str) -> str:
    rows = register_rows(ctx.engine, {ctx.office_id}, key)
    again = [r.entry.form_id for r in rows if r.replaces == old]
    if again:
        raise DataError(f"{old} 已补发过（新编号 {again[0]}）")
    taken = {r.entry.form_id for r in rows}
    n = 1
    while f"{old}-补{n}" in taken:
        n += 1
    return f"{old}-补{n}"
