"""模板: every form with its picture and spec; an office's edited template checked, kept as a version,
downloaded repaired and put in use (activated) for the office."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from baodao.errors import BaodaoError, DataError
from baodao.files import atomic_path
from baodao.form_templates.catalog import Form, forms, get_form
from baodao.form_templates.spec import FieldSpec
from baodao.jobs.previews import kept_preview, previews
from baodao.jobs.templates import check_edited, keep_version, version_form
from baodao.store.audit import log
from baodao.store.offices import subtree
from baodao.store.templates import (
    TemplateVersion,
    active_version,
    deactivate,
    version_by_id,
    version_content,
    versions_of,
)
from baodao.store.uploads import office_folder
from baodao.web.auth import NotFound, Visitor
from baodao.web.render import download, page
from baodao.web.scope import queue_job
from baodao.web.uploads import checked, receive

router = APIRouter()
TYPES = {
    "text": "文字",
    "integer": "整数",
    "date": "日期",
    "choice": "单选",
    "choices": "多选",
    "list": "条目",
    "table": "表格",
}
LEVELS = {"错误": "error", "警告": "warn", "已修复": "ok"}


def limits(f: FieldSpec) -> str:
    """A field's limits as the spec states them, in a clerk's words."""
    parts = ["必填"] if f.required else ["选填"]
    if f.max_length:
        parts.append(f"不超过 {f.max_length} 字")
    if f.min_items:
        parts.append(f"至少 {f.min_items} 项")
    if f.format:
        parts.append(f"格式 {f.format}")
    if f.options:
        parts.append("选项：" + "、".join(f.options))
    if f.columns:
        parts.append("列：" + "、".join(c.label for c in f.columns))
    return "；".join(parts)


@router.get("/templates", response_class=HTMLResponse)
async def templates_page(request: Request) -> HTMLResponse:
    visitor: Visitor = request.state.visitor
    engine = request.app.state.engine
    own = {v.form_key: v for v in versions_of(engine, {visitor.user.office_id}) if v.active}
    return page(request, "templates.html", title="模板", forms=forms(), active=own)


@router.get("/templates/{key}", response_class=HTMLResponse)
async def template_page(request: Request, key: str) -> HTMLResponse:
    visitor: Visitor = request.state.visitor
    form = _form(key)
    engine = request.app.state.engine
    return page(
        request,
        "template.html",
        title=f"模板：{form.key} {form.spec.title}",
        form=form,
        types=TYPES,
        limits=limits,
        versions=versions_of(engine, set(visitor.offices), form.key),
        offices={o.id: o.name for o in subtree(engine, visitor.user.office_id)},
        active=active_version(engine, visitor.user.office_id, form.key),
    )


@router.get("/templates/{key}/preview.png")
def template_preview(request: Request, key: str) -> FileResponse:
    """The blank form's first page (a plain function: LibreOffice runs off the event loop, once)."""
    form = _form(key)
    cache = request.app.state.settings.data_dir / "previews"
    made = previews(cache, forms())[form.key]
    return download(made, f"{form.key}-{form.spec.title}.png", inline=True)


@router.get("/templates/{key}/template.docx")
async def template_download(request: Request, key: str) -> FileResponse:
    form = _form(key)
    return download(form.docx, f"{form.key}-{form.spec.title}-模板.docx")


@router.post("/templates/{key}/check", response_model=None)
async def template_check(request: Request, key: str, template: Annotated[UploadFile, File()]) -> Response:
    """The edited copy checked: findings with their places; kept as a version of the office's when usable."""
    visitor: Visitor = request.state.visitor
    engine = request.app.state.engine
    form = _form(key)
    name = template.filename or "未命名.docx"
    if not name.lower().endswith(".docx"):
        raise DataError(f"{name}：模板须是 Word 文档（.docx）；WPS 或 .doc 文件请先另存为 .docx")
    stored = await receive(template, request.app.state.settings, visitor.user.office_id)
    checked(stored)
    with tempfile.TemporaryDirectory(prefix="baodao-check-") as work:
        try:
            found = check_edited(stored.path, form.key, Path(work))
        except BaodaoError as exc:
            raise DataError(f"{stored.name}：{exc}") from exc
        if not found.ok:
            log(engine, visitor.user.username, visitor.user.office_id, "检查模板", form.key, {"ok": False})
            return page(
                request,
                "template_check.html",
                title=f"模板检查：{form.key} {form.spec.title}",
                form=form,
                file_name=stored.name,
                findings=found.findings(),
                levels=LEVELS,
            )
        version = keep_version(engine, visitor.user.office_id, found, stored.name, visitor.user.username)
    detail: dict[str, object] = {"version": version.id, "number": version.version}
    log(engine, visitor.user.username, visitor.user.office_id, "上传模板", form.key, detail)
    return RedirectResponse(f"/templates/versions/{version.id}", status_code=303)


@router.get("/templates/versions/{version_id}", response_class=HTMLResponse)
async def version_page(request: Request, version_id: int) -> HTMLResponse:
    version = _visible(request, version_id)
    form = get_form(version.form_key)
    return page(
        request,
        "template_version.html",
        title=f"模板：{form.key} {form.spec.title} 第 {version.version} 版",
        form=form,
        version=version,
        levels=LEVELS,
        repaired=any(f["level"] == "已修复" for f in version.findings),
    )


@router.get("/templates/versions/{version_id}/file")
async def version_download(request: Request, version_id: int) -> FileResponse:
    """The version's file as it is used (the repaired copy when the check mended it)."""
    version = _visible(request, version_id)
    engine = request.app.state.engine
    visitor: Visitor = request.state.visitor
    # Written once into the office's folder under its hash, as uploads are kept.
    path = (
        office_folder(request.app.state.settings.data_dir, version.office_id)
        / "templates"
        / f"{version.sha256}.docx"
    )
    if not path.exists():
        with atomic_path(path) as tmp:
            tmp.write_bytes(version_content(engine, version.id))
    log(
        engine,
        visitor.user.username,
        version.office_id,
        "下载模板",
        version.form_key,
        {"version": version.id},
    )
    return download(path, f"{version.form_key}-第{version.version}版-{Path(version.file_name).stem}.docx")


@router.get("/templates/versions/{version_id}/preview.png")
def version_preview(request: Request, version_id: int) -> FileResponse:
    """The version's first page, blank, as the office will print it (rendered once, then kept)."""
    version = _visible(request, version_id)
    cache = request.app.state.settings.data_dir / "previews"
    kept = kept_preview(cache, version.form_key, version.sha256)
    if not kept.exists():
        with tempfile.TemporaryDirectory(prefix="baodao-version-") as work:
            form = version_form(request.app.state.engine, version, Path(work))
            kept = previews(cache, [form])[form.key]
    return download(kept, f"{version.form_key}-第{version.version}版.png", inline=True)


@router.post("/templates/versions/{version_id}/activate")
async def version_activate(request: Request, version_id: int) -> Response:
    """Put the version in use for its office, as a job: LibreOffice measures its layout first."""
    visitor: Visitor = request.state.visitor
    engine = request.app.state.engine
    version = _visible(request, version_id)
    title = f"启用 {version.form_key} 模板第 {version.version} 版（{version.file_name}）"
    params = {"version": version.id}
    job_id = queue_job(request, version.office_id, "template", title, params, 2)
    log(
        engine,
        visitor.user.username,
        version.office_id,
        "启用模板",
        version.form_key,
        {"job": job_id, **params},
    )
    return RedirectResponse(f"/jobs/{job_id}", status_code=303)


@router.post("/templates/{key}/bundled")
async def template_bundled(request: Request, key: str) -> Response:
    """Back to the bundled template for the visitor's office (its versions are kept)."""
    visitor: Visitor = request.state.visitor
    engine = request.app.state.engine
    form = _form(key)
    if deactivate(engine, visitor.user.office_id, form.key):
        log(engine, visitor.user.username, visitor.user.office_id, "停用模板", form.key)
    return RedirectResponse(f"/templates/{form.key}", status_code=303)


def _form(key: str) -> Form:
    try:
        return get_form(key)
    except BaodaoError as exc:
        raise NotFound() from exc


def _visible(request: Request, version_id: int) -> TemplateVersion:
    """The version, when it is of an office the visitor sees; NotFound otherwise (the same for none)."""
    visitor: Visitor = request.state.visitor
    found = version_by_id(request.app.state.engine, version_id)
    if found is None:
        raise NotFound()
    visitor.check(found.office_id)
    return found
