"""核对: the queue of doubtful values, each with its label, value, reason and source; correct or confirm."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Form, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from baodao.errors import BaodaoError
from baodao.form_templates.catalog import get_form
from baodao.jobs.crops import crop, is_scan
from baodao.jobs.review import confirm_value, correct_value
from baodao.store.audit import log
from baodao.store.offices import stored_file
from baodao.store.records import corrections_of
from baodao.store.templates import version_of_issued
from baodao.web.auth import NotFound, Visitor
from baodao.web.render import download, page
from baodao.web.scope import visible_doubts, visible_record

router = APIRouter()


@router.get("/review", response_class=HTMLResponse)
async def review_page(request: Request) -> HTMLResponse:
    visitor: Visitor = request.state.visitor
    items = visible_doubts(request.app.state.engine, visitor)
    labels = {}
    for item in items:
        spec = get_form(item.form_key).spec
        labels[(item.form_key, item.field)] = (
            spec.field(item.field).label if item.field in spec.field_names else item.field
        )
    sources = {i.record_id: i.source for i in items}
    scans = {record_id for record_id, source in sources.items() if is_scan(source)}
    return page(request, "review.html", title="核对", items=items, labels=labels, scans=scans)


@router.post("/review/{record_id}")
async def review_set(
    request: Request,
    record_id: int,
    field: str = Form(...),
    value: str = Form(""),
    action: str = Form("correct"),
) -> Response:
    visitor: Visitor = request.state.visitor
    engine = request.app.state.engine
    visible_record(engine, visitor, record_id)
    who = visitor.user.username
    if action == "confirm":
        done = confirm_value(engine, record_id, field, who)
    else:
        done = correct_value(engine, record_id, field, value, who)
    log(
        engine,
        who,
        visitor.user.office_id,
        "确认" if action == "confirm" else "更正",
        f"记录 {record_id} {done.field}",
        {"old": done.old_value, "new": done.new_value},
    )
    return RedirectResponse("/review", status_code=303)


@router.get("/records/{record_id}", response_class=HTMLResponse)
async def record_page(request: Request, record_id: int) -> HTMLResponse:
    visitor: Visitor = request.state.visitor
    engine = request.app.state.engine
    row, file_id, name = visible_record(engine, visitor, record_id)
    spec = get_form(row.form_key).spec
    log(engine, visitor.user.username, visitor.user.office_id, "查看记录", str(record_id))
    return page(
        request,
        "record.html",
        title=f"记录 {record_id}",
        row=row,
        spec=spec,
        file_id=file_id,
        file_name=name,
        corrections=corrections_of(engine, record_id),
    )


@router.get("/records/{record_id}/source")
async def record_source(request: Request, record_id: int) -> FileResponse:
    visitor: Visitor = request.state.visitor
    engine = request.app.state.engine
    _, file_id, name = visible_record(engine, visitor, record_id)
    found = stored_file(engine, file_id)
    if found is None or not Path(found[0]).is_file():
        raise NotFound()
    log(engine, visitor.user.username, visitor.user.office_id, "下载原件", name, {"record": record_id})
    return download(Path(found[0]), name)


@router.get("/records/{record_id}/crop/{field}")
def record_crop(request: Request, record_id: int, field: str) -> FileResponse:
    """Where ``field`` was read on the scanned page (a plain function: FastAPI runs it off the event loop)."""
    visitor: Visitor = request.state.visitor
    engine = request.app.state.engine
    row, file_id, _ = visible_record(engine, visitor, record_id)
    if field not in get_form(row.form_key).spec.field_names or not is_scan(row.source):
        raise NotFound()
    cache = request.app.state.settings.data_dir / "crops" / str(file_id) / f"{field}.png"
    try:
        version = version_of_issued(engine, row.form_key, row.form_id) if row.form_id else None
        made = crop(row.source, row.form_key, field, cache, (engine, version) if version else None)
    except BaodaoError as exc:
        raise NotFound() from exc
    return download(made, f"{row.form_id or record_id}-{field}.png", inline=True)
