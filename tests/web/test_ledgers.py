"""台账: a roster or ledger uploaded, its columns mapped as on the issue page, read into the clerk's office,
listed with its rows and undone (audit-logged); another office can neither see nor undo it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from openpyxl import Workbook
from playwright.sync_api import Page, expect
from sqlalchemy import select

from baodao.store.accounts import add_user
from baodao.store.db import connect
from baodao.store.offices import add_office
from baodao.store.schema import audit
from tests.web.conftest import PASSWORD, Browser, Workbench, user
from tests.web.server import CHROMIUM, running_server
from tests.web.synthetic import QUERY as SYNTHETIC
from tests.web.synthetic import community_files
from tests.web.test_browser import browser, page, shot, sign_in

__all__ = ["browser", "page"]  # Chromium fixtures, shared with the foundation's browser test
QUERY = "policy=rongcheng-2019&year=2025&as_of=2025-12-31&show=all"


def ledger_with_own_headers(path: Path) -> Path:
    """A ledger whose 单位 column is titled 所在支部 (no alias), with one row lacking its date."""
    wb = Workbook()
    ws = wb.active
    ws.append(["活动日期", "参加党员", "所在支部", "社区", "活动内容"])
    ws.append(["2025-03-05", "李晓燕", "荣成市财政局", "新安社区", "清理卫生"])
    ws.append(["2025-04-05", "李晓燕", "荣成市财政局", "新安社区", "义诊"])
    ws.append(["", "王刚", "荣成市财政局", "新安社区", "宣讲"])
    wb.save(path)
    return path


def upload(clerk: Browser, path: Path, kind: str) -> str:
    answer = clerk.post(
        "/ledgers/preview",
        {"kind": kind, "sheet": ""},
        files={"upload": (path.name, path.read_bytes(), "application/octet-stream")},
    )
    assert answer.status_code == 200, answer.text
    return str(answer.text)


def hidden(page: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', page)
    assert found is not None, name
    return found.group(1)


def test_a_ledger_is_mapped_read_listed_and_undone_by_its_office_only(
    workbench: Workbench, tmp_path: Path
) -> None:
    a = user(workbench, "clerk-a", workbench.community_a)
    b = user(workbench, "clerk-b", workbench.community_b)
    shown = upload(a, ledger_with_own_headers(tmp_path / "新安台账.xlsx"), "ledger")
    # As on the issue page: each column with what it is read as; 所在支部 is read as nothing yet.
    assert '<select name="map:参加党员"' in shown and "<option selected>姓名</option>" in shown
    assert 'id="absent"' in shown and "没有列读作：单位" in shown and 'id="import-button"' not in shown
    form = {"kind": "ledger", "file": hidden(shown, "file"), "name": "新安台账.xlsx", "sheet": ""}
    columns = {"活动日期": "日期", "参加党员": "姓名", "所在支部": "单位", "社区": "社区", "活动内容": "内容"}
    mapped = {**form, **{f"map:{k}": v for k, v in columns.items()}}
    checked = a.post("/ledgers/check", mapped)
    assert 'id="absent"' not in checked.text and 'id="import-button"' in checked.text
    assert "问题行（1 处）" in checked.text and "王刚" in checked.text  # the row without a date
    done = a.post("/ledgers", mapped)
    assert done.status_code == 303
    listing = a.get("/ledgers").text
    imports = listing.split('id="imports"')[1].split("</table>")[0]
    assert "新安台账.xlsx" in imports and "<td>2</td><td>2</td>" in imports
    assert "李晓燕" in a.get(f"/tally?{QUERY}").text
    # 金华's clerk sees none of it, and undoing it by id is 404.
    assert "新安台账.xlsx" not in b.get("/ledgers").text
    file_id = int(re.findall(r'action="/ledgers/imports/(\d+)/undo"', listing)[0])
    assert b.post(f"/ledgers/imports/{file_id}/undo").status_code == 404
    assert a.post(f"/ledgers/imports/{file_id}/undo").status_code == 303
    assert "已撤销" in a.get("/ledgers").text
    assert "李晓燕" not in a.get(f"/tally?{QUERY}").text
    with workbench.engine.connect() as conn:
        actions = [r.action for r in conn.execute(select(audit).order_by(audit.c.id))]
    assert "读入活动台账" in actions and "撤销台账读入" in actions


def test_a_roster_is_read_into_the_office_listed_and_taken_back_out(
    workbench: Workbench, tmp_path: Path
) -> None:
    a = user(workbench, "clerk-a", workbench.community_a)
    b = user(workbench, "clerk-b", workbench.community_b)
    path = tmp_path / "名册.csv"
    rows = ["姓名,工作单位及职务,所属社区", "李晓燕,荣成市财政局 科员,新安社区", ",荣成市财政局,新安社区"]
    path.write_text("\n".join(rows) + "\n", "utf-8")
    shown = upload(a, path, "roster")
    assert "问题行（1 处）" in shown and "是空的，这一行没有计入名册" in shown
    form = {"kind": "roster", "file": hidden(shown, "file"), "name": "名册.csv", "sheet": ""}
    assert a.post("/ledgers", form).status_code == 303
    rosters = a.get("/ledgers").text.split('id="rosters"')[1].split("</table>")[0]
    assert "名册.csv" in rosters and "<td>1</td>" in rosters
    tally = a.get(f"/tally?{QUERY}").text
    assert "李晓燕" in tally and "应报到（名册上的党员）" in tally
    roster_path = hidden(rosters, "path")
    assert b.post("/ledgers/rosters/undo", {"path": roster_path}).status_code == 404
    assert a.post("/ledgers/rosters/undo", {"path": roster_path}).status_code == 303
    assert "还没有读入名册" in a.get("/ledgers").text


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed")
def test_in_the_browser_a_clerk_uploads_checks_and_reads_a_roster_and_a_ledger(
    page: Page, tmp_path: Path
) -> None:
    db = str(tmp_path / "baodao.sqlite3")
    with running_server(db, tmp_path / "data") as served:
        engine = connect(db)
        jinhua = add_office(engine, "金华社区党委", "社区党组织", 1)
        add_user(engine, "jinhua", PASSWORD, "clerk", jinhua)
        engine.dispose()
        roster, ledger, names = community_files(tmp_path / "files", "金华社区")
        sign_in(page, served, "jinhua", PASSWORD)
        for kind, path in (("党员名册", roster), ("活动台账", ledger)):
            page.goto(f"{served.url}/ledgers")
            page.get_by_label("读入").select_option(label=kind)
            page.get_by_label("文件（Excel 或 CSV）").set_input_files(str(path))
            page.get_by_role("button", name="上传并核对").click()
            expect(page.locator("table.mapping")).to_be_visible()
            if kind == "活动台账":
                shot(page, "ledgers-preview")
            page.locator("#import-button").click()
            expect(page).to_have_url(re.compile("/ledgers$"))
        expect(page.locator("#rosters tbody tr")).to_have_count(1)
        expect(page.locator("#rosters")).to_contain_text(str(len(names)))
        expect(page.locator("#imports tbody tr")).to_have_count(1)
        shot(page, "ledgers")
        page.goto(f"{served.url}/tally?{SYNTHETIC}")
        expect(page.locator("#summary .card").first).to_contain_text(str(len(names)))
