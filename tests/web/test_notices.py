"""公文: a clerk types a notice in Chromium against a real server, is told what is wrong, attaches an issued
form and a blank one, and reads the PDF back; by the routes, fields refused in Chinese with what was typed
kept, and another office gets 404 for every id of a notice."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from baodao.docgen.issued import IssuedForm
from baodao.store import jobs as queue
from baodao.store.accounts import add_user
from baodao.store.db import connect
from baodao.store.offices import DEFAULT_OFFICE, add_office
from baodao.store.register import record_issued, register_rows
from tests.conftest import pdf_text
from tests.jobs.conftest import small_roster
from tests.web.conftest import PASSWORD, Workbench, user
from tests.web.server import CHROMIUM, Server

# The browser test's fixtures by their own names: Debian's Chromium, a real server on SQLite and PostgreSQL.
from tests.web.test_browser import browser, page, served, shot, sign_in, wait_for_job  # noqa: F401

needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed")

NOTICE = {
    "issuers": "中共新安社区委员会",
    "number": "新社发〔2026〕3号",
    "title": "关于做好在职党员报到工作的通知",
    "addressees": "辖区各单位党组织：",
    "body": "请按附件做好报到工作。\n\n一、报到时间",
    "signatures": "中共新安社区委员会",
    "date": "2026-03-02",
    "cc": "",
    "printer": "",
}


def test_notice_fields_are_refused_with_every_problem_and_kept(workbench: Workbench) -> None:
    a = user(workbench, "clerk-a", workbench.community_a)
    answer = a.post("/notices", {**NOTICE, "title": " ", "number": "新社发[2026]3号", "date": "3月2日"})
    assert answer.status_code == 400
    problems = re.findall(r'<li class="error">([^<]+)</li>', answer.text)
    assert problems == [
        "发文字号“新社发[2026]3号”的年份要用六角括号〔〕括起，如 荣社发〔2026〕3号",
        "标题不能为空，如 关于做好在职党员到社区报到工作的通知",
        "成文日期应为 年-月-日，如 2026-03-02",
    ]
    assert 'value="新社发[2026]3号"' in answer.text and "一、报到时间</textarea>" in answer.text
    assert queue.jobs_of(workbench.engine, {workbench.community_a}) == []


def test_a_notice_of_one_office_is_not_anothers(workbench: Workbench) -> None:
    a = user(workbench, "clerk-a", workbench.community_a)
    b = user(workbench, "clerk-b", workbench.community_b)
    entry = IssuedForm(
        "zz-b1", "XA-0001", "李晓燕", "新安社区党委", dt.date(2026, 3, 1), dt.date(2026, 3, 31)
    )
    record_issued(workbench.engine, [entry], workbench.community_a)
    [row] = register_rows(workbench.engine, {workbench.community_a})
    assert "XA-0001" in a.get("/notices").text and "XA-0001" not in b.get("/notices").text
    refused = b.post("/notices", {**NOTICE, "entry": str(row.id)})
    assert refused.status_code == 400 and "附件中有一份表单不是本单位发放的" in refused.text
    made = a.post("/notices", {**NOTICE, "blank": "zz-d1"})
    assert made.status_code == 303
    url = made.headers["location"]
    assert a.post("/notices", {**NOTICE, "blank": "zz-d1"}).headers["location"] == url
    job_id = int(url.rsplit("/", 1)[1])
    for address in (url, f"{url}/preview/0", f"/jobs/{job_id}/files/0", f"/filings/{job_id}"):
        assert b.get(address).status_code == 404, address
    assert f'href="{url}"' not in b.get("/notices").text


@needs_chromium
def test_a_clerk_types_a_notice_fixes_it_and_attaches_an_issued_and_a_blank_form(
    page: Page,  # noqa: F811
    served: Server,  # noqa: F811
    tmp_path: Path,
) -> None:
    engine = connect(served.db)
    try:
        street = add_office(engine, "城东街道党工委", "街道党工委", DEFAULT_OFFICE)
        xinan = add_office(engine, "新安社区党委", "社区党组织", street)
        add_user(engine, "xinan", PASSWORD, "clerk", xinan)
    finally:
        engine.dispose()
    sign_in(page, served, "xinan", PASSWORD)
    # Three 报到证 issued in the workbench: one of them goes with the notice as it went out.
    page.goto(f"{served.url}/issue")
    page.get_by_label("表单").select_option("zz-b1")
    page.get_by_label("名册").set_input_files(small_roster(tmp_path / "新安社区名册.xlsx"))
    page.get_by_role("button", name="上传并核对").click()
    page.get_by_role("button", name="发放（生成 PDF 并登记）").click()
    wait_for_job(page)

    page.goto(f"{served.url}/notices")
    page.get_by_label("发文机关").fill("中共新安社区委员会")
    page.get_by_label("发文字号").fill("新社发(2026)3号")
    page.get_by_label("主送机关").fill("辖区各单位党组织：")
    page.get_by_label("正文").fill(
        "为做好在职党员到社区报到工作，现将有关事项通知如下。\n一、报到时间\n3月底前报到。"
    )
    page.get_by_label("成文日期").fill("2026-03-02")
    page.get_by_label("落款").fill("中共新安社区委员会")
    page.locator("#issued-attachments label", has_text="SJ-2025-0001").locator("input").check()
    page.locator("#blank-attachments label", has_text="zz-d1").locator("input").check()
    page.get_by_role("button", name="排版（生成 DOCX 和 PDF）").click()
    problems = page.locator("#notice-problems")
    expect(problems).to_contain_text("年份要用六角括号〔〕括起")
    expect(problems).to_contain_text("标题不能为空")
    expect(page.get_by_label("正文")).to_have_value(re.compile("3月底前报到"))  # nothing typed is lost
    expect(page.locator("#issued-attachments input:checked")).to_have_count(1)
    shot(page, "notices")
    page.get_by_label("发文字号").fill("新社发〔2026〕3号")
    page.get_by_label("标题", exact=True).fill("关于做好在职党员到社区报到工作的通知")
    page.get_by_role("button", name="排版（生成 DOCX 和 PDF）").click()
    wait_for_job(page)
    preview = page.locator("img.preview")
    expect(preview).to_be_visible()
    assert preview.evaluate("img => img.complete && img.naturalWidth > 300")
    shot(page, "notice-done")
    name = "新社发〔2026〕3号-关于做好在职党员到社区报到工作的通知"
    with page.expect_download() as got:
        page.get_by_role("link", name=f"{name}.pdf").click()
    assert got.value.suggested_filename == f"{name}.pdf"
    got.value.save_as(tmp_path / "notice.pdf")
    text = pdf_text(tmp_path / "notice.pdf")
    for part in (
        "中共新安社区委员会文件",
        "新社发〔2026〕3号",
        "关于做好在职党员到社区报到工作的通知",
        "附件：1.在职党员社区报到证（张洋）",
        "2.（半年度）在职党员志愿服务积分评星登记表",
        "附件1",
        "附件2",
        "SJ-2025-0001",  # the issued form as it went out, its 编号 printed
        "2026年3月2日",
    ):
        assert part in text, part
    with page.expect_download() as got:
        page.get_by_role("link", name=f"{name}.docx").click()
    assert got.value.suggested_filename == f"{name}.docx"
