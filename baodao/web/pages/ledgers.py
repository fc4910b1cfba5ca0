"""台账: upload a roster or an activity ledger, check how its columns map and which rows would be left out
(as the issue page shows a roster), read it into the office's tally; list what was read, undo one."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from baodao.errors import DataError
from baodao.jobs.tally_files import KINDS, fields_of, preview
from baodao.store.audit import log
from baodao.store.offices import subtree
from baodao.tally.ledger import import_ledger, list_imports, undo_import
from baodao.tally.roster import list_rosters, load_roster, unload_roster
from baodao.web.auth import NotFound, Visitor
from baodao.web.pages.issue import _mapping as read_mapping  # the issue page's reading of the mapping form
from baodao.web.render import page
from baodao.web.uploads import checked, receive, ref, resolve

router = APIRouter()
SUFFIXES = (".xlsx", ".csv")


@router.get("/ledgers", response_class=HTMLResponse)
def ledgers_page(request: Request) -> HTMLResponse:
    visitor: Visitor = request.state.visitor
    engine = request.app.state.engine
    names = {o.id: o.name for o in subtree(engine, visitor.user.office_id)}
    return page(
        request,
        "ledgers.html",
        title="台账",
        kinds=KINDS,
        rosters=list_rosters(engine, visitor.offices),
        imports=list_imports(engine, visitor.offices),
        office_names=names,
    )


@router.post("/ledgers/preview", response_class=HTMLResponse)
async def ledgers_preview(
    request: Request,
    upload: Annotated[UploadFile, File()],
    kind: Annotated[str, Form()],
    sheet: Annotated[str, Form()] = "",
) -> HTMLResponse:
    visitor: Visitor = request.state.visitor
    if kind not in KINDS:
        raise DataError("请选择名册或活动台账")
    suffix = "." + (upload.filename or "").rsplit(".", 1)[-1].lower()
    if suffix not in SUFFIXES:
        raise DataError(f"{upload.filename}：{KINDS[kind].what}须是 Excel（.xlsx）或 CSV 文件")
    stored = await receive(upload, request.app.state.settings, visitor.user.office_id)
    checked(stored)
    return _preview_page(request, kind, ref(stored), stored.name, sheet, {})


@router.post("/ledgers/check", response_class=HTMLResponse)
async def ledgers_check(request: Request) -> HTMLResponse:
    form = await request.form()
    kind = str(form.get("kind", ""))
    if kind not in KINDS:
        raise NotFound()
    return _preview_page(
        request,
        kind,
        str(form.get("file", "")),
        str(form.get("name", "")),
        str(form.get("sheet", "")),
        read_mapping(form),
    )


@router.post("/ledgers")
async def ledgers_import(request: Request) -> Response:
    """Read the checked file into the visitor's own office's tally, with the mapping as last checked."""
    visitor: Visitor = request.state.visitor
    engine = request.app.state.engine
    form = await request.form()
    kind = str(form.get("kind", ""))
    if kind not in KINDS:
        raise NotFound()
    path = resolve(request.app.state.settings, visitor.user.office_id, str(form.get("file", "")))
    name, sheet = str(form.get("name", ""))[:255] or path.name, str(form.get("sheet", "")) or None
    columns = fields_of(kind, read_mapping(form))
    office = visitor.user.office_id
    if kind == "roster":
        loaded = await run_in_threadpool(load_roster, engine, path, sheet, office, columns, name)
        detail: dict[str, object] = {
            "rows": loaded.members,
            "added": loaded.added,
            "problems": len(loaded.problems),
        }
    else:
        read = await run_in_threadpool(import_ledger, engine, path, sheet, office, columns, name)
        detail = {
            "rows": read.rows,
            "known": read.known,
            "changed": len(read.changed),
            "problems": len(read.problems),
            "file": read.file_id,
        }
    log(engine, visitor.user.username, office, f"读入{KINDS[kind].what}", name, detail)
    return RedirectResponse("/ledgers", status_code=303)


@router.post("/ledgers/imports/{file_id}/undo")
def ledgers_undo(request: Request, file_id: int) -> Response:
    visitor: Visitor = request.state.visitor
    engine = request.app.state.engine
    if file_id not in {i.file_id for i in list_imports(engine, visitor.offices)}:
        raise NotFound()
    done = undo_import(engine, file_id, visitor.offices)
    detail: dict[str, object] = {"rows": done.rows, "restored": done.restored}
    log(engine, visitor.user.username, visitor.user.office_id, "撤销台账读入", str(file_id), detail)
    return RedirectResponse("/ledgers", status_code=303)


@router.post("/ledgers/rosters/undo")
async def ledgers_unload(request: Request) -> Response:
    visitor: Visitor = request.state.visitor
    engine = request.app.state.engine
    path = str((await request.form()).get("path", ""))
    loaded = {r.path: r for r in list_rosters(engine, visitor.offices)}
    if path not in loaded:
        raise NotFound()
    rows = unload_roster(engine, path, visitor.offices)
    log(engine, visitor.user.username, loaded[path].office_id, "撤销名册", loaded[path].name, {"rows": rows})
    return RedirectResponse("/ledgers", status_code=303)


def _preview_page(
    request: Request, kind: str, file_ref: str, name: str, sheet: str, mapping: dict[str, str]
) -> HTMLResponse:
    visitor: Visitor = request.state.visitor
    path = resolve(request.app.state.settings, visitor.user.office_id, file_ref)
    shown = preview(path, kind, mapping, sheet or None)
    return page(
        request,
        "ledgers_preview.html",
        title=f"台账：核对{KINDS[kind].what}",
        kind=kind,
        what=KINDS[kind].what,
        file=file_ref,
        file_name=name,
        sheet=sheet,
        preview=shown,
    )
