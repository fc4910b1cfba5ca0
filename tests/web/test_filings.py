"""报表: a 社区 clerk makes the 反馈通知单, the 先锋榜 and the overdue slips in Chromium against a real
server and reads them back; by the routes, a filing is made once per parameters and office, and another
office gets 404 for every id of it."""

from __future__ import annotations

import re
from pathlib import Path

import pdfplumber
import pytest
from docx import Document
from playwright.sync_api import Page, expect

from baodao.store import jobs as queue
from baodao.store.accounts import add_user
from baodao.store.db import connect
from baodao.store.offices import DEFAULT_OFFICE, add_office
from tests.conftest import pdf_text
from tests.jobs.conftest import BLOOD, seed_half_year
from tests.web.conftest import PASSWORD, Workbench, user
from tests.web.server import CHROMIUM, Server

# The browser test's fixtures by their own names: Debian's Chromium, a real server on SQLite and PostgreSQL.
from tests.web.test_browser import browser, page, served, shot, sign_in, wait_for_job  # noqa: F401

needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed")


def community_clerk(server: Server, seed: Path) -> None:
    """新安社区党委 under a street, its clerk “xinan”, and a half year of returns it issued and tallies."""
    engine = connect(server.db)
    try:
        street = add_office(engine, "城东街道党工委", "街道党工委", DEFAULT_OFFICE)
        xinan = add_office(engine, "新安社区党委", "社区党组织", street)
        add_user(engine, "xinan", PASSWORD, "clerk", xinan)
        seed_half_year(engine, seed, xinan)
    finally:
        engine.dispose()


def make(window: Page, server: Server, button: str, name: str) -> None:
    """On the 报表 page, the first half of 2025 under 郑州 rules as of 10 July; one kind's button."""
    window.goto(f"{server.url}/filings")
    window.get_by_label("规则").select_option("zhengzhou-2019")
    window.get_by_label("年度").fill("2025")
    window.get_by_label("期间").select_option("1")
    window.get_by_label("统计日").fill("2025-07-10")
    window.get_by_label("落款（发文）单位").fill("中共郑州市上街区委组织部")
    if name:
        shot(window, name)
    window.get_by_role("button", name=re.compile(f"^{button}")).click()
    wait_for_job(window)
    preview = window.locator("img.preview").first
    expect(preview).to_be_visible()
    assert preview.evaluate("img => img.complete && img.naturalWidth > 300")


def fetch(window: Page, link: str, to: Path) -> Path:
    with window.expect_download() as got:
        window.get_by_role("link", name=link, exact=True).click()
    assert got.value.suggested_filename == link  # the Chinese name, as RFC 5987 sends it
    got.value.save_as(to / link)
    return to / link


@needs_chromium
def test_a_clerk_makes_the_feedback_letters_the_honour_roll_and_the_overdue_slips(
    page: Page,  # noqa: F811
    served: Server,  # noqa: F811
    tmp_path: Path,
) -> None:
    community_clerk(served, tmp_path / "seed")
    sign_in(page, served, "xinan", PASSWORD)
    make(page, served, "反馈通知单", "filings")
    shot(page, "filing-feedback")
    letters = Document(str(fetch(page, "反馈通知单-2025年上半年.docx", tmp_path)))
    text = "".join(letters.element.body.itertext())
    assert f"{BLOOD}党组织：" in text and "中共郑州市上街区委组织部" in text
    cells = {c.text for t in letters.tables for row in t.rows for c in row.cells}
    assert {"陈海", "张洋", "吕华", "105", "10星", "11"} <= cells  # 陈海's 105 points, 张洋's 11
    pdf = pdf_text(fetch(page, "反馈通知单-2025年上半年.pdf", tmp_path))
    assert "在职党员志愿服务情况反馈通知单" in pdf and "陈海" in pdf and "参加志愿服务21次，积分105分" in pdf
    assert fetch(page, "反馈通知单-2025年上半年-2份.zip", tmp_path).stat().st_size > 0

    make(page, served, "先锋榜", "")
    shot(page, "filing-honour-roll")
    roll = Document(str(fetch(page, "先锋榜-2025年上半年.docx", tmp_path)))
    assert "金华社区在职党员志愿服务先锋榜" in roll.paragraphs[0].text
    rows = [[c.text for c in r.cells] for r in roll.tables[0].rows]
    assert rows[1:] == [["1", "陈海", BLOOD, "105", "★" * 10], ["2", "张洋", BLOOD, "11", "★"]]
    with pdfplumber.open(fetch(page, "先锋榜-2025年上半年.pdf", tmp_path)) as doc:
        assert "陈海" in (doc.pages[0].extract_text() or "")

    make(page, served, "逾期和未报到名单", "")
    expect(page.locator("img.preview")).to_have_count(2)  # the list and the slips
    shot(page, "filing-overdue")
    slips = pdf_text(fetch(page, "催交提醒-2025-07-10.pdf", tmp_path))
    assert "催交提醒" in slips and "姓名：吕华" in slips and "编号：SJ-3" in slips
    assert "应交回日期：2025年3月31日" in slips and "已逾期101天未交回" in slips

    # Listed on the page, each once; asking again opens the one made.
    page.goto(f"{served.url}/filings")
    expect(page.locator("table.filings tbody tr")).to_have_count(3)
    first = page.locator("table.filings a", has_text="反馈通知单").get_attribute("href")
    make(page, served, "反馈通知单", "")
    assert page.url.endswith(str(first))


HONOUR_ROLL = {
    "kind": "honour-roll",
    "policy": "zhengzhou-2019",
    "year": "2025",
    "half": "1",
    "as_of": "2025-07-10",
    "by": "unit",
    "issuer": "",
}


def test_a_filing_is_made_once_per_parameters_and_office_and_hidden_from_others(
    workbench: Workbench, tmp_path: Path
) -> None:
    seed_half_year(workbench.engine, tmp_path / "seed", workbench.community_a)
    a = user(workbench, "clerk-a", workbench.community_a)
    b = user(workbench, "clerk-b", workbench.community_b)
    made = a.post("/filings", HONOUR_ROLL)
    assert made.status_code == 303
    url = made.headers["location"]
    assert re.fullmatch(r"/filings/\d+", url)
    assert a.post("/filings", HONOUR_ROLL).headers["location"] == url  # asked again: the same filing
    b_made = b.post("/filings", HONOUR_ROLL).headers["location"]
    assert b_made != url  # the same parameters for another office: its own filing
    workbench.run_jobs()
    done = a.get(url)
    assert "已完成" in done.text and "先锋榜-2025年上半年.pdf" in done.text
    job_id = int(url.rsplit("/", 1)[1])
    preview = a.get(f"{url}/preview/0")
    assert preview.status_code == 200 and preview.headers["content-type"] == "image/png"
    assert preview.content.startswith(b"\x89PNG")
    assert "先锋榜" in a.get("/filings").text
    # B: not in its list, and every address of A's filing answers as a missing one does.
    assert f'href="{url}"' not in b.get("/filings").text
    for address in (url, f"{url}/preview/0", f"/jobs/{job_id}", f"/jobs/{job_id}/files/0"):
        answer = b.get(address)
        assert answer.status_code == 404, address
        assert "无权查看" in answer.text
    # A filing's id is not a notice's, nor the other way round.
    assert a.get(f"/notices/{job_id}").status_code == 404


def test_a_filing_of_an_unknown_kind_or_policy_is_refused_in_chinese(workbench: Workbench) -> None:
    a = user(workbench, "clerk-a", workbench.community_a)
    answer = a.post("/filings", {**HONOUR_ROLL, "kind": "secret"})
    assert answer.status_code == 400 and "没有“secret”这种报表" in answer.text
    answer = a.post("/filings", {**HONOUR_ROLL, "policy": "/etc/passwd"})
    assert answer.status_code == 400 and "没有名为“/etc/passwd”的规则" in answer.text
    assert queue.jobs_of(workbench.engine, {workbench.community_a}) == []
