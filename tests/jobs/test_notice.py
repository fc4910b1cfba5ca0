"""A 公文 job's pieces: what a clerk types is printed as typed, bad fields are named, and an issued form is
found as it went out, for its own office only."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from baodao.docgen.official import build_notice
from baodao.errors import DataError
from baodao.jobs.notice import issued_form, notice_of, problems
from baodao.jobs.worker import run_one
from baodao.store import jobs as queue
from baodao.store.db import connect
from baodao.store.offices import DEFAULT_OFFICE, add_office
from baodao.store.register import register_rows
from tests.jobs.conftest import small_roster

FIELDS: dict[str, Any] = {
    "issuers": ["中共新安社区委员会"],
    "number": "新社发〔2026〕3号",
    "title": "关于做好在职党员报到工作的通知",
    "addressees": "辖区各单位党组织：",
    "body": ["请按时报到。"],
    "signatures": ["中共新安社区委员会"],
    "date": "2026-03-02",
}


def test_what_a_clerk_types_is_printed_as_typed_never_run_as_a_template(tmp_path: Path) -> None:
    typed = "{{ 7*7 }}{% if 1 %}是{% endif %}<b>&amp;</b>"
    notice = notice_of({**FIELDS, "title": f"关于{typed}的通知", "body": [typed]}, ())
    doc = Document(str(build_notice(notice, tmp_path / "n.docx")))
    paragraphs = [p.text for p in doc.paragraphs]
    assert f"关于{typed}的通知" in paragraphs and typed in paragraphs
    assert not any("49" in p for p in paragraphs)


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"title": "长" * 81}, "标题超过 80 字（现 81 字），请删减"),
        ({"addressees": "各单位\x0b党组织："}, "主送机关中有看不见的控制字符"),
        ({"body": ["第一段", "第二\x00段"]}, "正文中有看不见的控制字符"),
        ({"issuers": []}, "发文机关不能为空"),
        ({"signatures": []}, "落款不能为空"),
        ({"body": []}, "正文不能为空"),
        ({"attachments": [{"form": "zz-none"}]}, "没有表单“zz-none”"),
    ],
)
def test_problems_name_the_field_and_what_to_do(change: dict[str, Any], problem: str) -> None:
    assert problems(FIELDS) == []
    assert any(problem in p for p in problems({**FIELDS, **change})), problems({**FIELDS, **change})
    with pytest.raises(DataError, match=problem.split("（")[0]):
        notice_of({**FIELDS, **change}, ())


def test_an_issued_form_is_found_in_its_issue_jobs_folder_for_its_office_only(tmp_path: Path) -> None:
    engine = connect(str(tmp_path / "db.sqlite3"))
    data = tmp_path / "data"
    xinan = add_office(engine, "新安社区党委", "社区党组织", DEFAULT_OFFICE)
    (data / "uploads").mkdir(parents=True)
    roster = small_roster(data / "uploads" / "roster.xlsx")
    params = {
        "form": "zz-b1",
        "roster": str(roster.relative_to(data)),
        "roster_name": "名册.xlsx",
        "issue_date": dt.date(2026, 3, 2).isoformat(),
        "issuer": "新安社区党委",
        "pdf": False,
    }
    queue.enqueue(engine, xinan, "clerk", "issue", "发放", params)
    job = queue.claim(engine, "test")
    assert job is not None
    run_one(engine, job, data)
    rows = register_rows(engine, {xinan})
    assert len(rows) == 3
    row, path = issued_form(engine, data, xinan, rows[-1].id)
    assert path.name == f"zz-b1-{row.entry.form_id}-{row.entry.recipient}.docx"
    assert row.entry.form_id in "".join(Document(str(path)).element.body.itertext())
    with pytest.raises(DataError, match="不是本单位发放的"):
        issued_form(engine, data, DEFAULT_OFFICE, rows[-1].id)
