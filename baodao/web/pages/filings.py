"""报表: each `baodao report` kind as a button, made as a job for the visitor's office, previewed, downloaded.

A filing is known by its parameters and office: asking again for one already made (or being made) opens
it instead of making it twice.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from baodao.jobs.filing import ABOUT, FORM_KINDS, TITLES, read_params
from baodao.store import jobs as queue
from baodao.store.audit import log
from baodao.tally.policy import bundled
from baodao.web.auth import NotFound, Visitor
from baodao.web.render import download, page
from baodao.web.scope import queue_job, visible_job

router = APIRouter()
LISTED = 1000  # a year's filings of an office, and more


def preview(request: Request, job: queue.Job, index: int) -> FileResponse:
    """The PNG of a finished job's ``index``-th PDF page, shown in the page (inline)."""
    paths = (job.result or {}).get("previews", [])
    if job.state != "done" or not 0 <= index < len(paths):
        raise NotFound()
    data_dir = request.app.state.settings.data_dir
    path = (data_dir / paths[index]).resolve()
    if not path.is_relative_to((data_dir / "jobs").resolve()) or not path.is_file():
        raise NotFound()
    return download(path, f"预览-{job.id}-{index + 1}.png", inline=True)


def same_job(request: Request, office_id: int, kind: str, params: dict[str, Any]) -> queue.Job | None:
    """A job of this office made (or being made) from these very parameters: the one to show again."""
    for job in queue.jobs_of(request.app.state.engine, {office_id}, limit=LISTED):
        if job.kind == kind and job.params == params and job.state != "failed":
            return job
    return None


@router.get("/filings", response_class=HTMLResponse)
async def filings_page(request: Request) -> HTMLResponse:
    visitor: Visitor = request.state.visitor
    made = [
        j
        for j in queue.jobs_of(request.app.state.engine, set(visitor.offices), limit=LISTED)
        if j.kind == "filing"
    ]
    today = dt.date.today()
    return page(
        request,
        "filings.html",
        title="报表",
        kinds=[(k, TITLES[k], ABOUT[k]) for k in TITLES],
        form_kinds=FORM_KINDS,
        policies=bundled(),
        year=today.year if today.month > 6 else today.year - 1,
        half=1 if today.month > 6 else 2,
        today=today,
        made=made,
    )


@router.post("/filings")
async def filings_run(request: Request) -> Response:
    visitor: Visitor = request.state.visitor
    engine = request.app.state.engine
    form = await request.form()
    raw = {k: str(form.get(k) or "") for k in ("kind", "policy", "year", "half", "as_of", "by", "issuer")}
    raw["issued_on"] = str(form.get("issued_on") or "") or None  # type: ignore[assignment]
    params = read_params(raw).as_json()
    office = visitor.user.office_id
    found = same_job(request, office, "filing", params)
    if found is not None:
        return RedirectResponse(f"/filings/{found.id}", status_code=303)
    title = read_params(params).title
    job_id = queue_job(request, office, "filing", title, params)
    log(engine, visitor.user.username, office, "报表", title, {"job": job_id, **params})
    return RedirectResponse(f"/filings/{job_id}", status_code=303)


@router.get("/filings/{job_id}", response_class=HTMLResponse)
async def filing_page(request: Request, job_id: int) -> HTMLResponse:
    job = visible_job(request, job_id, "filing")
    return page(request, "filing.html", title=job.title, job=job)


@router.get("/filings/{job_id}/preview/{index}")
async def filing_preview(request: Request, job_id: int, index: int) -> FileResponse:
    return preview(request, visible_job(request, job_id, "filing"), index)
