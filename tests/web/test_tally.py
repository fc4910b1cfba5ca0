"""统计: a street compares its two communities side by side; a 社区 clerk sees, exports and drills into its
own tally only; another office's member by id answers 404."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from playwright.sync_api import Page, expect

from baodao.store.accounts import add_user
from baodao.store.db import connect
from baodao.store.offices import DEFAULT_OFFICE, add_office
from baodao.tally.ledger import import_ledger
from baodao.tally.roster import load_roster
from tests.web.conftest import PASSWORD, Workbench, user
from tests.web.server import CHROMIUM, running_server
from tests.web.synthetic import QUERY as SYNTHETIC
from tests.web.synthetic import community_files
from tests.web.test_browser import browser, page, shot, sign_in

__all__ = ["browser", "page"]  # Chromium fixtures, shared with the foundation's browser test

QUERY = "policy=rongcheng-2019&year=2025&as_of=2025-12-31"


def roster(path: Path, rows: list[tuple[str, str, str]]) -> Path:
    path.write_text("姓名,工作单位,所属社区\n" + "".join(f"{n},{u},{c}\n" for n, u, c in rows), "utf-8")
    return path


def ledger(path: Path, rows: list[tuple[str, str, str, str]]) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(["活动日期", "党员姓名", "工作单位", "社区", "活动类别", "活动内容"])
    for day, name, unit, community in rows:
        ws.append([day, name, unit, community, "报到" if name.endswith("报到") else "志愿服务", "清理卫生"])
    wb.save(path)
    return path


def two_communities(bench: Workbench, tmp_path: Path) -> None:
    """新安 has three members on its roster (two with activities in its ledger); 金华 two."""
    a_rows = [
        ("李晓燕", "荣成市财政局", "新安社区"),
        ("王刚", "荣成市财政局", "新安社区"),
        ("赵敏", "荣成市教育局", "新安社区"),
    ]
    b_rows = [("周峰", "荣成市民政局", "金华社区"), ("吴芳", "荣成市民政局", "金华社区")]
    load_roster(bench.engine, roster(tmp_path / "a.csv", a_rows), office_id=bench.community_a)
    load_roster(bench.engine, roster(tmp_path / "b.csv", b_rows), office_id=bench.community_b)
    acts = [
        ("2025-03-05", "李晓燕", "荣成市财政局", "新安社区"),
        ("2025-04-05", "李晓燕", "荣成市财政局", "新安社区"),
        ("2025-03-06", "王刚", "荣成市财政局", "新安社区"),
    ]
    import_ledger(bench.engine, ledger(tmp_path / "a.xlsx", acts), office_id=bench.community_a)


def test_a_street_sees_its_communities_side_by_side(workbench: Workbench, tmp_path: Path) -> None:
    two_communities(workbench, tmp_path)
    street = user(workbench, "street", workbench.street)
    page = street.get(f"/tally?{QUERY}")
    assert page.status_code == 200, page.text
    side = page.text.split('id="side-by-side"')[1].split("</table>")[0]
    rows = re.findall(r"<tr><td>([^<]+)</td><td>(\d+)</td><td>(\d+)</td><td>([^<]+)</td>", side)
    assert rows == [("新安社区党委", "3", "0", "0%"), ("金华社区党委", "2", "0", "0%")]
    assert "<svg" in page.text and "各单位报到率" in page.text


def test_a_community_clerk_sees_only_its_own_and_another_offices_member_is_404(
    workbench: Workbench, tmp_path: Path
) -> None:
    two_communities(workbench, tmp_path)
    clerk_a = user(workbench, "clerk-a", workbench.community_a)
    clerk_b = user(workbench, "clerk-b", workbench.community_b)
    page_a = clerk_a.get(f"/tally?{QUERY}&show=all").text
    assert "李晓燕" in page_a and "周峰" not in page_a and "荣成市民政局" not in page_a
    assert 'id="side-by-side"' not in page_a  # a 社区 has no office under it
    ids = dict(re.findall(r'href="/tally/members/(\d+)\?[^"]*">([^<]+)</a>', page_a))
    li = next(i for i, name in ids.items() if name == "李晓燕")
    member = clerk_a.get(f"/tally/members/{li}?{QUERY}")
    assert member.status_code == 200
    assert "活动（2 次）" in member.text and "活动台账" in member.text
    # 金华's clerk asking for 新安's member by id gets what an id that does not exist gets.
    for asked in (li, "99999"):
        answer = clerk_b.get(f"/tally/members/{asked}?{QUERY}")
        assert answer.status_code == 404 and "无权查看" in answer.text
    # The export is the table as shown: 新安's members, with their problems and clauses.
    got = clerk_a.get(f"/tally/export?{QUERY}&show=all&table=members")
    assert got.status_code == 200
    assert "filename*=UTF-8''" in got.headers["content-disposition"]
    sheet = load_workbook(io.BytesIO(got.content)).active
    assert sheet["A2"].value == "姓名" and sheet["K2"].value == "问题"
    names = sorted(str(sheet.cell(r, 1).value) for r in range(3, sheet.max_row + 1))
    assert names == ["李晓燕", "王刚", "赵敏"]
    assert clerk_a.get(f"/tally/export?{QUERY}&table=nothing").status_code == 404
    # Asking for an office the clerk does not see is the same 404.
    assert clerk_a.get(f"/tally?{QUERY}&office={workbench.community_b}").status_code == 404


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed")
def test_in_the_browser_an_organisation_department_compares_and_a_clerk_exports(
    page: Page, tmp_path: Path
) -> None:
    """In Chromium against `baodao serve`: 组织部 sees its two 社区 side by side; 金华's clerk filters,
    exports its members to XLSX, opens one; 新安's member by id is 404 to 金华's clerk."""
    db = str(tmp_path / "baodao.sqlite3")
    with running_server(db, tmp_path / "data") as served:
        engine = connect(db)
        jinhua = add_office(engine, "金华社区党委", "社区党组织", DEFAULT_OFFICE)
        xinan = add_office(engine, "新安社区党委", "社区党组织", DEFAULT_OFFICE)
        names = {}
        for office, community in ((jinhua, "金华社区"), (xinan, "新安社区")):
            roster_file, ledger_file, names[community] = community_files(tmp_path / community, community)
            load_roster(engine, roster_file, office_id=office)
            import_ledger(engine, ledger_file, office_id=office)
        add_user(engine, "zuzhibu", PASSWORD, "reader", DEFAULT_OFFICE)
        add_user(engine, "jinhua", PASSWORD, "clerk", jinhua)
        engine.dispose()

        sign_in(page, served, "zuzhibu", PASSWORD)
        page.goto(f"{served.url}/tally?{SYNTHETIC}")
        side = page.locator("#side-by-side tbody tr")
        expect(side).to_have_count(2)
        expect(side.nth(0)).to_contain_text("金华社区党委")
        expect(side.nth(0).locator("td").nth(1)).to_have_text("13")  # 应报到
        expect(side.nth(0).locator("td").nth(2)).to_have_text("9")  # 已报到: two in three
        expect(side.nth(1)).to_contain_text("新安社区党委")
        expect(side.nth(1).locator("td").nth(1)).to_have_text("11")
        expect(side.nth(1).locator("td").nth(2)).to_have_text("8")
        expect(page.locator("#summary")).to_contain_text("24")
        expect(page.locator("svg.chart")).to_have_count(3)
        shot(page, "tally-compare")
        side.nth(0).get_by_role("link", name="只看它").click()
        expect(page.locator("#side-by-side")).to_have_count(0)
        expect(page.locator("#summary .card").first).to_contain_text("13")
        page.get_by_role("button", name="退出").click()

        sign_in(page, served, "jinhua", PASSWORD)
        page.goto(f"{served.url}/tally?{SYNTHETIC}")
        expect(page.locator(".tally-members")).not_to_contain_text(names["新安社区"][0])
        page.locator("#member-filter select[name=show]").select_option("all")
        page.locator("#member-filter select[name=sort]").select_option("points")
        page.locator("#member-filter button").click()
        shot(page, "tally-community")
        with page.expect_download() as got:
            page.locator("#export-members").click()
        out = tmp_path / "export.xlsx"
        got.value.save_as(out)
        sheet = load_workbook(out).active
        assert str(sheet["A1"].value).startswith("金华社区党委 2025年上半年 党员")
        assert [c.value for c in sheet[2]][:3] == ["姓名", "单位", "社区"]
        exported = [str(sheet.cell(r, 1).value) for r in range(3, sheet.max_row + 1)]
        assert sorted(exported) == sorted(names["金华社区"])
        points = [int(sheet.cell(r, 9).value) for r in range(3, sheet.max_row + 1)]
        assert points == sorted(points)  # 积分低的在前, as the page showed
        problems = [str(sheet.cell(r, 11).value or "") for r in range(3, sheet.max_row + 1)]
        assert sum("未到居住地社区报到" in p for p in problems) == 4  # one in three of 13 has no 报到 row
        page.locator(".tally-members a[href^='/tally/members/']").last.click()  # the most points
        expect(page.locator("#member-activities")).to_be_visible()
        expect(page.locator("#member-forms")).to_contain_text("活动台账")
        shot(page, "tally-member")
        other = _person_id(db, names["新安社区"][0])
        page.goto(f"{served.url}/tally/members/{other}?{SYNTHETIC}")
        expect(page.locator("main")).to_contain_text("无权查看")


def _person_id(db: str, name: str) -> int:
    from sqlalchemy import select

    from baodao.tally.schema import tally_people

    engine = connect(db)
    try:
        with engine.connect() as conn:
            found = conn.scalar(select(tally_people.c.id).where(tally_people.c.name == name))
    finally:
        engine.dispose()
    assert found is not None
    return int(found)


def test_a_kept_tally_is_shown_again_only_while_its_data_is_unchanged(
    workbench: Workbench, tmp_path: Path
) -> None:
    two_communities(workbench, tmp_path)
    clerk_a = user(workbench, "clerk-a", workbench.community_a)
    assert "孙丽" not in clerk_a.get(f"/tally?{QUERY}&show=all").text
    assert "孙丽" not in clerk_a.get(f"/tally?{QUERY}&show=all").text  # kept
    # 金华's roster gains 孙丽: 新安's page is made again and still does not show her; 金华's does.
    b_rows = [("周峰", "荣成市民政局", "金华社区"), ("孙丽", "荣成市民政局", "金华社区")]
    load_roster(workbench.engine, roster(tmp_path / "b.csv", b_rows), office_id=workbench.community_b)
    assert "孙丽" not in clerk_a.get(f"/tally?{QUERY}&show=all").text
    clerk_b = user(workbench, "clerk-b", workbench.community_b)
    assert "孙丽" in clerk_b.get(f"/tally?{QUERY}&show=all").text
    # 新安's roster gains 钱进: shown at once, not the kept page.
    a_rows = [("李晓燕", "荣成市财政局", "新安社区"), ("钱进", "荣成市财政局", "新安社区")]
    load_roster(workbench.engine, roster(tmp_path / "a.csv", a_rows), office_id=workbench.community_a)
    assert "钱进" in clerk_a.get(f"/tally?{QUERY}&show=all").text
