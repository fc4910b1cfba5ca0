"""A 公文 as a job: the fields a clerk typed, laid out in GB/T 9704 form, with forms attached, DOCX and PDF.

Parameters (JSON): issuers, body, signatures (lists of lines), number (发文字号), title, addressees,
date (ISO), cc, printer (both may be empty: no 版记 without a printer), attachments: a list of
{"entry": register row id} (a form this office issued, attached as it went out) or {"form": catalog key}
(the blank form).
What the clerk typed is data: it goes into the document's runs as text and is never read as a template.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from baodao.docgen.ids import file_stem
from baodao.docgen.notice_model import Attachment, Notice, number_problem
from baodao.docgen.notice_pdf import render_notices
from baodao.errors import DataError
from baodao.form_templates.catalog import forms, get_form
from baodao.jobs.context import JobContext
from baodao.office.images import first_page_png
from baodao.store import jobs as queue
from baodao.store.register import RegisterRow, register_row

MAX_ATTACHMENTS = 20
MAX_TEXT = 5000  # characters of 正文, about six pages: a longer text is pasted by mistake
# The longest each one-line field may be: a 标题 of 80 characters already takes three lines in 2号.
LIMITS = {
    "number": ("发文字号", 30),
    "title": ("标题", 80),
    "addressees": ("主送机关", 200),
    "cc": ("抄送", 200),
    "printer": ("印发机关", 40),
}
MAX_ISSUERS = 6
MADE_BY = ("issue", "reissue", "receipts")  # the jobs whose results list the issued forms they wrote


def lines(text: str) -> list[str]:
    """A textarea's lines, each stripped, blank ones left out (a paragraph is a line)."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def _hidden(text: str) -> bool:
    """A control character (pasted from another program) that a DOCX cannot hold."""
    return any(unicodedata.category(c) == "Cc" for c in text)


def problems(params: dict[str, Any]) -> list[str]:
    """What is wrong with the fields, each in Chinese with what to do; empty when the notice can be made."""
    found = []
    for key, (label, most) in LIMITS.items():
        text = str(params.get(key) or "")
        if len(text) > most:
            found.append(f"{label}超过 {most} 字（现 {len(text)} 字），请删减")
        if _hidden(text):
            found.append(f"{label}中有看不见的控制字符（多是从别的程序粘贴带来的），请删去重打")
    for key, label in (("issuers", "发文机关"), ("body", "正文"), ("signatures", "落款")):
        if any(_hidden(str(line)) for line in params.get(key) or []):
            found.append(f"{label}中有看不见的控制字符（多是从别的程序粘贴带来的），请删去重打")
    if len(params.get("issuers") or []) > MAX_ISSUERS:
        found.append(f"联合发文的机关最多 {MAX_ISSUERS} 个")
    if not params.get("issuers"):
        found.append("发文机关不能为空，如 中共新安社区委员会（联合发文每行一个）")
    wrong = number_problem(str(params.get("number", "")))
    if wrong:
        found.append(wrong)
    if not str(params.get("title", "")).strip():
        found.append("标题不能为空，如 关于做好在职党员到社区报到工作的通知")
    if not str(params.get("addressees", "")).strip():
        found.append("主送机关不能为空，如 辖区各单位党组织：")
    body = params.get("body") or []
    if not body:
        found.append("正文不能为空：每段一行")
    elif sum(len(p) for p in body) > MAX_TEXT:
        found.append(f"正文超过 {MAX_TEXT} 字，请删减或分成几份公文")
    if not params.get("signatures"):
        found.append("落款不能为空：写发文机关的署名，联合发文每行一个")
    try:
        day = dt.date.fromisoformat(str(params.get("date", "")))
        if not 1949 <= day.year <= 2100:
            found.append(f"成文日期 {day} 不对")
    except ValueError:
        found.append("成文日期应为 年-月-日，如 2026-03-02")
    attachments = params.get("attachments") or []
    if len(attachments) > MAX_ATTACHMENTS:
        found.append(f"附件最多 {MAX_ATTACHMENTS} 个，现选了 {len(attachments)} 个")
    for a in attachments:
        if "form" in a and a["form"] not in {f.key for f in forms()}:
            found.append(f"没有表单“{a['form']}”")
    return found


def issued_form(engine: Engine, data_dir: Path, office_id: int, entry_id: int) -> tuple[RegisterRow, Path]:
    """A register entry of ``office_id`` and the DOCX it went out as; DataError when neither is there."""
    row = register_row(engine, entry_id)
    if row is None or row.office_id != office_id:
        raise DataError("附件中有一份表单不是本单位发放的，或已不在发放登记中")
    e = row.entry
    stem = file_stem(e.form_key, e.form_id, e.recipient)
    for job in queue.jobs_of(engine, {office_id}, limit=10_000):
        if job.kind not in MADE_BY or job.state != "done":
            continue
        for made in (job.result or {}).get("docx", []):  # each chunk's files, named from the data folder
            path = data_dir / made
            if path.name == f"{stem}.docx" and path.is_file():
                return row, path
    raise DataError(
        f"找不到 {e.form_key} {e.form_id}（{e.recipient}）发出时的文件：它不是在工作台发放的，"
        "请改选空白表单作附件"
    )


def attachments_of(ctx: JobContext) -> tuple[Attachment, ...]:
    made = []
    for a in ctx.params.get("attachments") or []:
        if "entry" in a:
            row, path = issued_form(ctx.engine, ctx.data_dir, ctx.office_id, int(a["entry"]))
            title = get_form(row.entry.form_key).spec.title
            made.append(Attachment(f"{title}（{row.entry.recipient}）", docx=path))
        else:
            form = get_form(str(a["form"]))
            made.append(Attachment(form.spec.title, form=form.key, data={}))
    return tuple(made)


def notice_of(params: dict[str, Any], attachments: tuple[Attachment, ...]) -> Notice:
    """The Notice the checked fields make."""
    found = problems(params)
    if found:
        raise DataError("；".join(found))
    return Notice(
        issuers=tuple(params["issuers"]),
        number=str(params["number"]).strip(),
        title=str(params["title"]).strip(),
        addressees=str(params["addressees"]).strip(),
        body=tuple(params["body"]),
        signatures=tuple(params["signatures"]),
        date=dt.date.fromisoformat(str(params["date"])),
        attachments=attachments,
        cc=str(params.get("cc") or "").strip() or None,
        printer=str(params.get("printer") or "").strip() or None,
    )


def run(ctx: JobContext) -> dict[str, Any]:
    ctx.expect(3)
    notice = notice_of(ctx.params, attachments_of(ctx))
    ctx.say(f"排版 {notice.number}《{notice.title}》，附件 {len(notice.attachments)} 个")
    name = f"{notice.number}-{notice.title}"[:80].replace("/", "_")
    out = ctx.workdir / "out"
    # Printed once, and again where that shows the 版记 belongs under the text or keeps its number.
    [(docx, pdf)] = render_notices([(notice, out / "notice.docx")], out)
    ctx.advance(2)
    preview = first_page_png(pdf, ctx.workdir / "preview" / "1.png", dpi=100)
    ctx.advance()
    return {
        "title": notice.title,
        "number": notice.number,
        "attachments": [a.title for a in notice.attachments],
        "downloads": [
            {"name": f"{name}.docx", "path": str(docx.relative_to(ctx.data_dir))},
            {"name": f"{name}.pdf", "path": str(pdf.relative_to(ctx.data_dir))},
        ],
        "previews": [str(preview.relative_to(ctx.data_dir))],
    }
