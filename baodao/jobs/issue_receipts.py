"""回执 for chosen register entries as a job: one receipt per issued form, paired by 编号, PDF and ZIP out.

Parameters (JSON): receipt (zz-b2), issued (zz-b1), ids (the 编号 chosen on the register page), issue_date.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from baodao.docgen.batch import GenerateOptions
from baodao.jobs.context import JobContext
from baodao.jobs.issue import outcome
from baodao.jobs.receipts import generate_receipts
from baodao.jobs.templates import template_for


def run(ctx: JobContext) -> dict[str, Any]:
    p = ctx.params
    receipt, version = template_for(ctx.engine, ctx.office_id, p["receipt"], ctx.workdir)
    ids = [str(i) for i in p["ids"]]
    ctx.expect(len(ids))
    ctx.say(f"为 {len(ids)} 份 {p['issued']} 生成回执 {receipt.key}（{receipt.spec.title}）")
    options = GenerateOptions(
        outdir=ctx.workdir / "out", pdf=True, force=True, issue_date=dt.date.fromisoformat(p["issue_date"])
    )
    result = generate_receipts(
        ctx.engine, receipt, p["issued"], options, ids, ctx.advance, ctx.office_id, version
    )
    return outcome(ctx, receipt, result)
