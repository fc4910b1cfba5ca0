"""The first page: the office, what waits (doubtful values, jobs), and where each part of the cycle is."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from baodao.store.jobs import jobs_of
from baodao.store.register import register_rows
from baodao.web.auth import Visitor
from baodao.web.render import page
from baodao.web.scope import visible_doubts

router = APIRouter()


@router.get("/", response_class=HTMLResponse)
async def home(request: Request) -> HTMLResponse:
    visitor: Visitor = request.state.visitor
    engine = request.app.state.engine
    recent = jobs_of(engine, set(visitor.offices), limit=8)
    doubts = visible_doubts(engine, visitor)
    today = dt.date.today()
    entries = [r.entry for r in register_rows(engine, set(visitor.offices))]
    counts = {
        "issued": sum(e.status != "withdrawn" for e in entries),
        "returned": sum(e.status == "returned" for e in entries),
        "overdue": sum(e.overdue_on(today) for e in entries),
    }
    return page(request, "home.html", title="首页", jobs=recent, doubts=len(doubts), counts=counts)
