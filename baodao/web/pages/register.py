"""发放登记: what went out, to whom, due when, returned or not; a form can be withdrawn (kept, marked)."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from baodao.errors import DataError
from baodao.form_templates.catalog import forms
from baodao.jobs.submit import submit
from baodao.store.audit import log
from baodao.store.register import register_row, register_rows, returned_after_withdrawal, withdraw
from baodao.web.auth import NotFound, Visitor
from baodao.web.render import page

router = APIRouter()
STATUS = {"issued": "待交回", "returned": "已交回", "withdrawn": "已作废"}


def receipt_forms() -> dict[str, str]:
    """issued form key → the key of the receipt that answers it (zz-b1 → zz-b2)."""
    return {f.spec.answers: f.key for f in forms() if f.spec.answers}


@router.get("/register", response_class=HTMLResponse)
async def register_page(request: Request, form: str = "") -> HTMLResponse:
    visitor: Visitor = request.state.visitor
    engine = request.app.state.engine
    rows = register_rows(engine, set(visitor.offices), form or None)
    return page(
        request,
        "register.html",
        title="发放登记",
        rows=rows,
        status=STATUS,
        today=dt.date.today(),
        form=form,
        receipts=receipt_forms(),
        came_back=returned_after_withdrawal(engine, rows),
    )


@router.post("/register/receipts")
async def register_receipts(request: Request) -> Response:
    """回执 for the chosen entries, made as a job, paired with each by its 编号."""
    visitor: Visitor = request.state.visitor
    engine = request.app.state.engine
    chosen = (await request.form()).getlist("entry")
    rows = []
    for raw in chosen:
        found = register_row(engine, int(str(raw))) if str(raw).isdigit() else None
        if found is None or not visitor.sees(found.office_id):
            raise NotFound()
        rows.append(found)
    if not rows:
        raise DataError("请先勾选要生成回执的表单")
    keys = {r.entry.form_key for r in rows}
    answers = receipt_forms()
    if len(keys) > 1 or next(iter(keys)) not in answers:
        raise DataError(f"只能为同一种、有回执的表单生成回执（有回执的：{'、'.join(answers)}）")
    issued = next(iter(keys))
    params = {
        "receipt": answers[issued],
        "issued": issued,
        "ids": [r.entry.form_id for r in rows],
        "issue_date": dt.date.today().isoformat(),
    }
    title = f"为 {len(rows)} 份 {issued} 生成回执 {answers[issued]}"
    job_id = submit(
        engine,
        request.app.state.settings.data_dir,
        visitor.user.office_id,
        visitor.user.username,
        "receipts",
        title,
        params,
        len(rows),
    )
    log(engine, visitor.user.username, visitor.user.office_id, "生成回执", issued, {"job": job_id, **params})
    return RedirectResponse(f"/jobs/{job_id}", status_code=303)


@router.post("/register/{entry_id}/withdraw")
async def register_withdraw(request: Request, entry_id: int) -> Response:
    visitor: Visitor = request.state.visitor
    engine = request.app.state.engine
    found = register_row(engine, entry_id)
    if found is None:
        raise NotFound()
    visitor.check(found.office_id)
    done = withdraw(engine, entry_id)
    log(engine, visitor.user.username, done.office_id, "作废", f"{done.entry.form_key} {done.entry.form_id}")
    return RedirectResponse("/register", status_code=303)


@router.post("/register/{entry_id}/reissue")
async def register_reissue(request: Request, entry_id: int) -> Response:
    """A withdrawn form made again for the same member under a new 编号, as a job."""
    visitor: Visitor = request.state.visitor
    engine = request.app.state.engine
    found = register_row(engine, entry_id)
    if found is None:
        raise NotFound()
    visitor.check(found.office_id)
    if found.entry.status != "withdrawn":
        raise DataError(f"{found.entry.form_id} 没有作废：先作废，再补发")
    title = f"补发 {found.entry.form_key} {found.entry.form_id}（{found.entry.recipient}）"
    office = found.office_id if found.office_id is not None else visitor.user.office_id
    job_id = submit(
        engine,
        request.app.state.settings.data_dir,
        office,
        visitor.user.username,
        "reissue",
        title,
        {"entry": entry_id},
        1,
    )
    log(engine, visitor.user.username, office, "补发", f"{found.entry.form_key} {found.entry.form_id}")
    return RedirectResponse(f"/jobs/{job_id}", status_code=303)
