"""发放登记: what went out, to whom, due when, returned or not; a form can be withdrawn (kept, marked)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from baodao.errors import DataError
from baodao.form_templates.catalog import forms
from baodao.store.audit import log
from baodao.store.offices import subtree
from baodao.store.register import register_row, returned_after_withdrawal, withdraw
from baodao.store.register_view import (
    STATES,
    RegisterFilter,
    State,
    entry_history,
    register_counts,
    register_forms,
)
from baodao.store.register_view import register_page as register_page_of
from baodao.store.templates import version_by_id
from baodao.web.auth import NotFound, Visitor
from baodao.web.render import page
from baodao.web.scope import queue_job, visible_entry

router = APIRouter()
STATUS = {"issued": "待交回", "returned": "已交回", "withdrawn": "已作废"}
PAGE_SIZE = 100  # a page of the register; a batch of 60 报到证 fits on one


def receipt_forms() -> dict[str, str]:
    """issued form key → the key of the receipt that answers it (zz-b1 → zz-b2)."""
    return {f.spec.answers: f.key for f in forms() if f.spec.answers}


@router.get("/register", response_class=HTMLResponse)
async def register_page(
    request: Request,
    form: str = "",
    office: str = "",
    state: str = "",
    issued_from: str = "",
    issued_to: str = "",
    q: str = "",
    page_no: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    """登记簿: filtered by form, office, state, issue period and a name or 编号, counted per state, and
    paged — all in SQL, so a register of 100,000 entries answers as fast as one of 100."""
    visitor: Visitor = request.state.visitor
    engine = request.app.state.engine
    today = dt.date.today()
    chosen = RegisterFilter(
        offices=visitor.offices,
        office=int(office) if office.isdigit() else None,
        form_key=form.strip() or None,
        state=_state(state),
        issued_from=_day(issued_from, "发放日期（起）"),
        issued_to=_day(issued_to, "发放日期（止）"),
        search=q[:100],
    )
    rows, total = register_page_of(engine, chosen, today, page_no, PAGE_SIZE)
    query = {
        k: v
        for k, v in {
            "form": form,
            "office": office,
            "state": state,
            "issued_from": issued_from,
            "issued_to": issued_to,
            "q": q,
        }.items()
        if v
    }
    return page(
        request,
        "register.html",
        title="发放登记",
        rows=rows,
        total=total,
        page_no=page_no,
        pages=max(1, -(-total // PAGE_SIZE)),
        counts=register_counts(engine, chosen, today),
        states=STATES,
        chosen=chosen,
        query=query,
        link=lambda **changes: "/register?" + urlencode({**query, **changes}),
        offices=[o for o in subtree(engine, visitor.user.office_id)],
        form_keys=register_forms(engine, visitor.offices),
        status=STATUS,
        today=today,
        form=form,
        receipts=receipt_forms(),
        came_back=returned_after_withdrawal(engine, rows),
    )


@router.get("/register/{entry_id}", response_class=HTMLResponse)
async def register_entry(request: Request, entry_id: int) -> HTMLResponse:
    """One entry with its history: issued, returned (which file), corrected, withdrawn, reissued."""
    visitor: Visitor = request.state.visitor
    engine = request.app.state.engine
    found = visible_entry(request, entry_id)
    version = version_by_id(engine, found.template_version_id) if found.template_version_id else None
    return page(
        request,
        "register_entry.html",
        title=f"登记：{found.entry.form_key} {found.entry.form_id}",
        row=found,
        events=entry_history(engine, found, visitor.offices),
        version=version,
        status=STATUS,
        today=dt.date.today(),
    )


def _state(raw: str) -> State | None:
    for known in STATES:
        if raw == known:
            return known
    return None


def _day(raw: str, what: str) -> dt.date | None:
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError as exc:
        raise DataError(f"{what}格式不对，应为 年-月-日（如 2026-03-01）") from exc


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
    job_id = queue_job(request, visitor.user.office_id, "receipts", title, params, len(rows))
    log(engine, visitor.user.username, visitor.user.office_id, "生成回执", issued, {"job": job_id, **params})
    return RedirectResponse(f"/jobs/{job_id}", status_code=303)


@router.post("/register/{entry_id}/withdraw")
async def register_withdraw(request: Request, entry_id: int) -> Response:
    visitor: Visitor = request.state.visitor
    engine = request.app.state.engine
    visible_entry(request, entry_id)  # NotFound unless it is one of the visitor's offices'
    done = withdraw(engine, entry_id)
    log(engine, visitor.user.username, done.office_id, "作废", f"{done.entry.form_key} {done.entry.form_id}")
    back = str((await request.form()).get("back") or "")
    # Back to the same filtered page; only a path of this page, never another address.
    same = back.startswith("/register?") and "//" not in back and "\\" not in back
    return RedirectResponse(back if same else "/register", status_code=303)


@router.post("/register/{entry_id}/reissue")
async def register_reissue(request: Request, entry_id: int) -> Response:
    """A withdrawn form made again for the same member under a new 编号, as a job."""
    visitor: Visitor = request.state.visitor
    engine = request.app.state.engine
    found = visible_entry(request, entry_id)
    if found.entry.status != "withdrawn":
        raise DataError(f"{found.entry.form_id} 没有作废：先作废，再补发")
    title = f"补发 {found.entry.form_key} {found.entry.form_id}（{found.entry.recipient}）"
    office = found.office_id if found.office_id is not None else visitor.user.office_id
    job_id = queue_job(request, office, "reissue", title, {"entry": entry_id}, 1)
    log(engine, visitor.user.username, office, "补发", f"{found.entry.form_key} {found.entry.form_id}")
    return RedirectResponse(f"/jobs/{job_id}", status_code=303)
