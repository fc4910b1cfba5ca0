"""发放登记: what went out, to whom, due when, returned or not; a form can be withdrawn (kept, marked)."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from baodao.store.audit import log
from baodao.store.register import register_row, register_rows, withdraw
from baodao.web.auth import NotFound, Visitor
from baodao.web.render import page

router = APIRouter()
STATUS = {"issued": "待交回", "returned": "已交回", "withdrawn": "已作废"}


@router.get("/register", response_class=HTMLResponse)
async def register_page(request: Request, form: str = "") -> HTMLResponse:
    visitor: Visitor = request.state.visitor
    rows = register_rows(request.app.state.engine, set(visitor.offices), form or None)
    return page(
        request, "register.html", title="发放登记", rows=rows, status=STATUS, today=dt.date.today(), form=form
    )


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
