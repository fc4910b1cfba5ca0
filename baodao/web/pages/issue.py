"""发放: choose a form, upload a roster, check the column mapping and the problem rows, issue as a job."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from baodao.errors import DataError
from baodao.form_templates.catalog import Form as CatalogForm
from baodao.form_templates.catalog import forms, get_form
from baodao.jobs.roster import preview
from baodao.store.audit import log
from baodao.web.auth import Visitor
from baodao.web.render import page
from baodao.web.scope import queue_job
from baodao.web.uploads import checked, receive, ref, resolve

router = APIRouter()
ROSTER_SUFFIXES = (".xlsx", ".csv")


def issuable() -> list[CatalogForm]:
    """Forms that go out to people one by one come first (they carry a 编号 the return is known by)."""
    every = list(forms())
    return [f for f in every if f.spec.id_field] + [f for f in every if not f.spec.id_field]


@router.get("/issue", response_class=HTMLResponse)
async def issue_page(request: Request) -> HTMLResponse:
    return page(request, "issue.html", title="发放", forms=issuable())


@router.post("/issue/preview", response_class=HTMLResponse)
async def issue_preview(
    request: Request, roster: Annotated[UploadFile, File()], form: Annotated[str, Form()]
) -> HTMLResponse:
    visitor: Visitor = request.state.visitor
    settings = request.app.state.settings
    chosen = get_form(form)
    suffix = "." + (roster.filename or "").rsplit(".", 1)[-1].lower()
    if suffix not in ROSTER_SUFFIXES:
        raise DataError(f"{roster.filename}：名册须是 Excel（.xlsx）或 CSV 文件")
    stored = await receive(roster, settings, visitor.user.office_id)
    checked(stored)
    return _preview_page(request, chosen, ref(stored), stored.name, {}, [], dt.date.today(), None)


@router.post("/issue/check", response_class=HTMLResponse)
async def issue_check(request: Request) -> HTMLResponse:
    form_data = await request.form()
    chosen = get_form(str(form_data.get("form", "")))
    issue_date, due_date = _dates(form_data)
    mapping, blank = _mapping(form_data), _blank(form_data)
    roster_ref = str(form_data.get("roster", ""))
    if form_data.get("step") == "suggested":  # 采用全部建议: every suggestion taken, then checked again
        visitor: Visitor = request.state.visitor
        path = resolve(request.app.state.settings, visitor.user.office_id, roster_ref)
        for suggestion in preview(path, chosen, mapping, blank, issue_date).suggested:
            mapping[suggestion.key] = suggestion.label
    return _preview_page(
        request,
        chosen,
        roster_ref,
        str(form_data.get("roster_name", "")),
        mapping,
        blank,
        issue_date,
        due_date,
    )


@router.post("/issue")
async def issue_run(request: Request) -> Response:
    visitor: Visitor = request.state.visitor
    settings = request.app.state.settings
    form_data = await request.form()
    chosen = get_form(str(form_data.get("form", "")))
    roster_ref = str(form_data.get("roster", ""))
    path = resolve(settings, visitor.user.office_id, roster_ref)
    issue_date, due_date = _dates(form_data)
    mapping, blank = _mapping(form_data), _blank(form_data)
    checked_now = preview(path, chosen, mapping, blank, issue_date)
    if checked_now.absent_required:
        raise DataError(
            f"没有列填写这些必填项：{'、'.join(checked_now.absent_required)}。"
            "请在“列对应”中选一列，或勾选“留空，由本人手填”，再发放"
        )
    due = due_date or (chosen.spec.deadline.after(issue_date) if chosen.spec.deadline else None)
    params = {
        "form": chosen.key,
        "roster": str(path.relative_to(settings.data_dir)),
        "roster_name": str(form_data.get("roster_name", ""))[:255],
        "column_map": mapping,
        "blank": blank,
        "issue_date": issue_date.isoformat(),
        "due_date": due.isoformat() if due else None,
        "issuer": visitor.user.office_name,
        "pdf": True,
    }
    engine = request.app.state.engine
    title = f"发放 {chosen.spec.title}（{params['roster_name']}）"
    job_id = queue_job(request, visitor.user.office_id, "issue", title, params)
    log(engine, visitor.user.username, visitor.user.office_id, "发放", chosen.key, {"job": job_id, **params})
    return RedirectResponse(f"/jobs/{job_id}", status_code=303)


def _preview_page(
    request: Request,
    chosen: CatalogForm,
    roster_ref: str,
    roster_name: str,
    mapping: dict[str, str],
    blank: list[str],
    issue_date: dt.date,
    due_date: dt.date | None,
) -> HTMLResponse:
    visitor: Visitor = request.state.visitor
    settings = request.app.state.settings
    path = resolve(settings, visitor.user.office_id, roster_ref)
    shown = preview(path, chosen, mapping, blank, issue_date)
    deadline = chosen.spec.deadline
    default_due = deadline.after(issue_date) if deadline else None
    return page(
        request,
        "issue_preview.html",
        title="发放：核对名册",
        form=chosen,
        roster=roster_ref,
        roster_name=roster_name,
        preview=shown,
        issue_date=issue_date,
        due_date=due_date,  # only the clerk's own choice: a default follows the issue date as it changes
        default_due=default_due,
        deadline=deadline,
    )


def _mapping(form_data: object) -> dict[str, str]:
    """The clerk's column_map: header → label from the selects (map:<header>), and joins kept (use)."""
    items = form_data.multi_items()  # type: ignore[attr-defined]
    mapping = {str(k)[4:]: str(v) for k, v in items if str(k).startswith("map:") and v}
    for k, v in items:
        if k == "use" and "=>" in str(v):
            key, label = str(v).split("=>", 1)
            mapping[key] = label
    labels = list(mapping.values())
    twice = sorted({label for label in labels if labels.count(label) > 1})
    if twice:
        raise DataError(f"有两列都对应“{'”“'.join(twice)}”：每个字段只能由一列填写，请改一列")
    return mapping


def _blank(form_data: object) -> list[str]:
    return [str(v) for v in form_data.getlist("blank")]  # type: ignore[attr-defined]


def _dates(form_data: object) -> tuple[dt.date, dt.date | None]:
    get = form_data.get  # type: ignore[attr-defined]
    try:
        issue_date = dt.date.fromisoformat(str(get("issue_date") or dt.date.today().isoformat()))
        due_raw = str(get("due_date") or "")
        due_date = dt.date.fromisoformat(due_raw) if due_raw else None
    except ValueError as exc:
        raise DataError("日期格式不对，应为 年-月-日（如 2026-03-01）") from exc
    if due_date is not None and due_date < issue_date:
        raise DataError(f"应交回日期 {due_date} 早于发放日期 {issue_date}")
    return issue_date, due_date
