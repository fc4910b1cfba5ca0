"""回收: drop many returned files at once; kept by hash and read by a job, each said what it became."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from baodao.errors import DataError
from baodao.store.audit import log
from baodao.store.jobs import jobs_of
from baodao.web.auth import Visitor
from baodao.web.render import page
from baodao.web.scope import queue_job
from baodao.web.uploads import receive

router = APIRouter()


@router.get("/returns", response_class=HTMLResponse)
async def returns_page(request: Request) -> HTMLResponse:
    visitor: Visitor = request.state.visitor
    recent = [j for j in jobs_of(request.app.state.engine, set(visitor.offices)) if j.kind == "returns"]
    return page(request, "returns.html", title="回收", jobs=recent[:10])


@router.post("/returns")
async def returns_upload(request: Request, files: Annotated[list[UploadFile], File()]) -> Response:
    visitor: Visitor = request.state.visitor
    settings = request.app.state.settings
    if len(files) > settings.max_files:
        raise DataError(f"一次至多上传 {settings.max_files} 个文件（这次 {len(files)} 个），请分几次上传")
    kept, refused = [], []
    for upload in files:
        try:
            stored = await receive(upload, settings, visitor.user.office_id)
        except DataError as exc:
            refused.append(str(exc))
            continue
        kept.append(
            {
                "path": str(stored.path.relative_to(settings.data_dir)),
                "name": stored.name,
                "sha256": stored.sha256,
            }
        )
    if not kept:
        raise DataError("没有收下任何文件：" + "；".join(refused))
    engine = request.app.state.engine
    title = f"回收 {len(kept)} 个文件"
    params: dict[str, object] = {"files": kept, "refused": refused}
    job_id = queue_job(request, visitor.user.office_id, "returns", title, params, len(kept))
    log(engine, visitor.user.username, visitor.user.office_id, "回收", title, {"job": job_id})
    return RedirectResponse(f"/jobs/{job_id}", status_code=303)
