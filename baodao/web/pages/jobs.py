"""Jobs: progress while running (the page asks again every second), the result and its files when done."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from baodao.jobs.status import summary
from baodao.jobs.submit import retry
from baodao.store import jobs as queue
from baodao.store.audit import log
from baodao.store.offices import DEFAULT_OFFICE
from baodao.web.auth import NotFound, Visitor
from baodao.web.render import download, page
from baodao.web.scope import visible_job

router = APIRouter()


@router.get("/jobs", response_class=HTMLResponse)
async def jobs_page(request: Request) -> HTMLResponse:
    visitor: Visitor = request.state.visitor
    engine = request.app.state.engine
    # The whole queue (every office's jobs, counted) for the administrator of the top office only.
    top_admin = visitor.user.role == "admin" and visitor.user.office_id == DEFAULT_OFFICE
    return page(
        request,
        "jobs.html",
        title="任务",
        jobs=queue.jobs_of(engine, set(visitor.offices)),
        queue_state=summary(engine) if top_admin else None,
    )


@router.get("/jobs/{job_id}", response_class=HTMLResponse)
async def job_page(request: Request, job_id: int) -> HTMLResponse:
    job = visible_job(request, job_id)
    partial = "hx-request" in request.headers
    return page(request, "job_status.html" if partial else "job.html", title=f"任务 {job.id}", job=job)


@router.post("/jobs/{job_id}/retry")
async def job_retry(request: Request, job_id: int) -> Response:
    job = visible_job(request, job_id)
    visitor: Visitor = request.state.visitor
    if retry(request.app.state.engine, job.id):
        log(request.app.state.engine, visitor.user.username, job.office_id, "重新运行任务", str(job.id))
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


@router.get("/jobs/{job_id}/files/{index}")
async def job_file(request: Request, job_id: int, index: int) -> FileResponse:
    job = visible_job(request, job_id)
    files = (job.result or {}).get("downloads", [])
    if job.state != "done" or not 0 <= index < len(files):
        raise NotFound()
    data_dir = request.app.state.settings.data_dir
    path = (data_dir / files[index]["path"]).resolve()
    if not path.is_relative_to(data_dir / "jobs") or not path.is_file():
        raise NotFound()
    visitor: Visitor = request.state.visitor
    log(
        request.app.state.engine,
        visitor.user.username,
        job.office_id,
        "下载",
        files[index]["name"],
        {"job": job.id},
    )
    return download(path, files[index]["name"])
