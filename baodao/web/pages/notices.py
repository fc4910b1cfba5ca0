"""公文: a notice typed in the page (发文机关, 字号, 标题, 主送, 正文, 落款), forms attached, made as a job.

Fields with a problem bring the page back with every problem listed and what was typed kept.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from baodao.form_templates.catalog import forms
from baodao.jobs.notice import MAX_ATTACHMENTS, lines, problems
from baodao.store import jobs as queue
from baodao.store.audit import log
from baodao.store.register import register_rows
from baodao.web.auth import Visitor
from baodao.web.pages.filings import LISTED, preview, same_job
from baodao.web.render import page
from baodao.web.scope import queue_job, visible_job

router = APIRouter()
ENTRIES_SHOWN = 300  # the office's latest issued forms offered as attachments


def _page(request: Request, fields: dict[str, Any], found: list[str], status: int = 200) -> HTMLResponse:
    visitor: Visitor = request.state.visitor
    engine = request.app.state.engine
    entries = [r for r in register_rows(engine, {visitor.user.office_id}) if r.entry.status != "withdrawn"][
        :ENTRIES_SHOWN
    ]
    made = [j for j in queue.jobs_of(engine, set(visitor.offices), limit=LISTED) if j.kind == "notice"]
    return page(
        request,
        "notices.html",
        status,
        title="公文",
        fields=fields,
        problems=found,
        entries=entries,
        blank_forms=forms(),
        made=made,
        max_attachments=MAX_ATTACHMENTS,
    )


@router.get("/notices", response_class=HTMLResponse)
async def notices_page(request: Request) -> HTMLResponse:
    visitor: Visitor = request.state.visitor
    office = visitor.user.office_name
    fields = {
        "issuers": office,
        "signatures": office,
        "date": dt.date.today().isoformat(),
        "entries": [],
        "blank": [],
    }
    return _page(request, fields, [])


@router.post("/notices", response_model=None)
async def notices_run(request: Request) -> Response:
    visitor: Visitor = request.state.visitor
    engine = request.app.state.engine
    form = await request.form()
    text = {k: str(form.get(k) or "") for k in ("issuers", "number", "title", "addressees", "body")}
    text |= {k: str(form.get(k) or "") for k in ("signatures", "date", "cc", "printer")}
    entries = [str(v) for v in form.getlist("entry") if str(v).isdigit()]
    blank = [str(v) for v in form.getlist("blank")]
    params: dict[str, Any] = {
        "issuers": lines(text["issuers"]),
        "number": text["number"].strip(),
        "title": " ".join(lines(text["title"])),
        "addressees": text["addressees"].strip(),
        "body": lines(text["body"]),
        "signatures": lines(text["signatures"]),
        "date": text["date"].strip(),
        "cc": text["cc"].strip(),
        "printer": text["printer"].strip(),
        "attachments": [{"entry": int(e)} for e in entries] + [{"form": b} for b in blank],
    }
    mine = {r.id for r in register_rows(engine, {visitor.user.office_id})}
    found = problems(params)
    if any(int(e) not in mine for e in entries):
        found.append("附件中有一份表单不是本单位发放的，请重新选择")
    if found:
        return _page(request, {**text, "entries": entries, "blank": blank}, found, 400)
    office = visitor.user.office_id
    again = same_job(request, office, "notice", params)
    if again is not None:
        return RedirectResponse(f"/notices/{again.id}", status_code=303)
    title = f"公文 {params['number']}《{params['title']}》"
    job_id = queue_job(request, office, "notice", title, params, 3)
    log(engine, visitor.user.username, office, "公文", title, {"job": job_id})
    return RedirectResponse(f"/notices/{job_id}", status_code=303)


@router.get("/notices/{job_id}", response_class=HTMLResponse)
async def notice_page(request: Request, job_id: int) -> HTMLResponse:
    job = visible_job(request, job_id, "notice")
    return page(request, "notice.html", title=job.title, job=job)


@router.get("/notices/{job_id}/preview/{index}")
async def notice_preview(request: Request, job_id: int, index: int) -> FileResponse:
    return preview(request, visible_job(request, job_id, "notice"), index)
