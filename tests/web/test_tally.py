"""统计: a street compares its two communities side by side; a 社区 clerk sees, exports and drills into its
own tally only; another office's member by id answers 404."""

from __future__ import annotations

import datetime as dt
import html
import io
import re
import threading
import time
from collections import OrderedDict
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import Workbook, load_workbook
from playwright.sync_api import Page, expect
from sqlalchemy import select

from baodao.errors import StorageError
from baodao.store.accounts import add_user, user_named
from baodao.store.db import connect
from baodao.store.offices import DEFAULT_OFFICE, add_office
from baodao.store.tally_views import remember_view
from baodao.tally.compute import tally as tally_of
from baodao.tally.ledger import import_ledger
from baodao.tally.roster import load_roster
from baodao.tally.schema import tally_people
from baodao.web import cache, tallies
from baodao.web.app import create_app
from tests.web.conftest import PASSWORD, Browser, Workbench, user
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
    # Asking for an office the clerk does not see is the same 404, for the page and for its newer figures.
    assert clerk_a.get(f"/tally?{QUERY}&office={workbench.community_b}").status_code == 404
    other = f"office={workbench.community_b}&shown=2025-01-01T00:00:00"
    assert clerk_a.get(f"/tally/newer?{QUERY}&{other}").status_code == 404
    assert clerk_a.get(f"/tally/newer?{QUERY}&shown=yesterday").status_code == 404


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
    workbench: Workbench, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As a street's or a city's tally is, which takes longer than a view waits (`GRACE`)."""
    monkeypatch.setattr(cache, "GRACE", 0.0)
    two_communities(workbench, tmp_path)
    clerk_a = user(workbench, "clerk-a", workbench.community_a)
    first = clerk_a.get(f"/tally?{QUERY}&show=all").text
    assert "孙丽" not in first and 'id="tally-stale"' not in first
    assert made_at(clerk_a.get(f"/tally?{QUERY}&show=all").text) == made_at(first)  # kept
    # 金华's roster gains 孙丽: 新安's page is made again and still does not show her; 金华's does.
    b_rows = [("周峰", "荣成市民政局", "金华社区"), ("孙丽", "荣成市民政局", "金华社区")]
    load_roster(workbench.engine, roster(tmp_path / "b.csv", b_rows), office_id=workbench.community_b)
    assert "孙丽" not in shown_fresh(clerk_a, f"/tally?{QUERY}&show=all")
    clerk_b = user(workbench, "clerk-b", workbench.community_b)
    assert "孙丽" in clerk_b.get(f"/tally?{QUERY}&show=all").text  # a first view: made before it is shown
    # 新安's roster gains 钱进: the page is at once the kept one, saying so, while it is tallied again.
    a_rows = [("李晓燕", "荣成市财政局", "新安社区"), ("钱进", "荣成市财政局", "新安社区")]
    load_roster(workbench.engine, roster(tmp_path / "a.csv", a_rows), office_id=workbench.community_a)
    assert "钱进" in shown_fresh(clerk_a, f"/tally?{QUERY}&show=all")


def made_at(page: str) -> str:
    found = re.search(r"数据截至 (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)", page)
    assert found, "the page says when its data is from"
    return found.group(1)


def shown_fresh(clerk: Browser, url: str) -> str:
    """The page after the data changed: the kept figures at once, marked stale and asking for a newer
    tally every few seconds; that answers 204 until it is made, then offers it; the page then has it."""
    stale = clerk.get(url).text
    assert 'id="tally-stale"' in stale and "正在按最新数据重新统计" in stale
    asks = re.search(r'hx-get="(/tally/newer\?[^"]+)" hx-trigger="every 3s"', stale)
    assert asks is not None
    deadline = time.monotonic() + 60
    while (answer := clerk.get(html.unescape(asks.group(1)))).status_code == 204:
        assert time.monotonic() < deadline, "a newer tally is offered within a minute"
        time.sleep(0.1)
    assert answer.status_code == 200 and "已按最新数据重新统计好" in answer.text
    assert "hx-trigger" not in answer.text  # asked no more
    fresh: str = clerk.get(url).text
    assert 'id="tally-stale"' not in fresh and made_at(fresh) >= made_at(stale)
    return fresh


def test_a_small_tally_made_again_within_the_grace_is_shown_as_new(
    workbench: Workbench, tmp_path: Path
) -> None:
    """A 社区's few members are tallied again while the view waits: the page is simply up to date."""
    two_communities(workbench, tmp_path)
    clerk_a = user(workbench, "clerk-a", workbench.community_a)
    first = clerk_a.get(f"/tally?{QUERY}&show=all").text
    a_rows = [("李晓燕", "荣成市财政局", "新安社区"), ("钱进", "荣成市财政局", "新安社区")]
    load_roster(workbench.engine, roster(tmp_path / "a.csv", a_rows), office_id=workbench.community_a)
    assert "钱进" not in first
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(cache, "GRACE", 30.0)  # however slow the machine, the view waits for it
        again = clerk_a.get(f"/tally?{QUERY}&show=all").text
    assert "钱进" in again and 'id="tally-stale"' not in again


def test_the_export_and_the_drill_down_count_the_data_as_it_is_now(
    workbench: Workbench, tmp_path: Path
) -> None:
    """Unlike the page, what is downloaded or opened from it never comes from a tally the data outgrew."""
    two_communities(workbench, tmp_path)
    clerk_a = user(workbench, "clerk-a", workbench.community_a)
    assert "钱进" not in clerk_a.get(f"/tally?{QUERY}&show=all").text
    a_rows = [("李晓燕", "荣成市财政局", "新安社区"), ("钱进", "荣成市财政局", "新安社区")]
    load_roster(workbench.engine, roster(tmp_path / "a.csv", a_rows), office_id=workbench.community_a)
    got = clerk_a.get(f"/tally/export?{QUERY}&show=all&table=members")
    sheet = load_workbook(io.BytesIO(got.content)).active
    assert "钱进" in {str(sheet.cell(r, 1).value) for r in range(3, sheet.max_row + 1)}
    with workbench.engine.connect() as conn:
        qian = conn.scalar(select(tally_people.c.id).where(tally_people.c.name == "钱进"))
    member = clerk_a.get(f"/tally/members/{qian}?{QUERY}")
    assert member.status_code == 200 and "钱进" in member.text


def test_a_refresh_that_fails_leaves_the_next_view_to_say_why(
    workbench: Workbench, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    two_communities(workbench, tmp_path)
    clerk_a = user(workbench, "clerk-a", workbench.community_a)
    assert clerk_a.get(f"/tally?{QUERY}").status_code == 200

    def out_of_reach(*args: object, **kw: object) -> None:
        raise StorageError("无法读取统计数据：数据库连不上")

    monkeypatch.setattr(cache, "GRACE", 0.0)
    monkeypatch.setattr(tallies, "tally", out_of_reach)  # the database lost between two views
    a_rows = [("李晓燕", "荣成市财政局", "新安社区"), ("钱进", "荣成市财政局", "新安社区")]
    load_roster(workbench.engine, roster(tmp_path / "a.csv", a_rows), office_id=workbench.community_a)
    assert 'id="tally-stale"' in clerk_a.get(f"/tally?{QUERY}").text  # the kept one, while it fails
    deadline = time.monotonic() + 60
    while 'id="tally-stale"' in (page := clerk_a.get(f"/tally?{QUERY}")).text:
        assert time.monotonic() < deadline, "after a failed refresh the next view tallies itself"
        time.sleep(0.1)
    assert page.status_code == 400 and "数据库连不上" in page.text and "Traceback" not in page.text
    monkeypatch.undo()
    again = clerk_a.get(f"/tally?{QUERY}&show=all")
    assert again.status_code == 200 and "钱进" in again.text and 'id="tally-stale"' not in again.text


def test_a_restarted_workbench_makes_the_views_asked_for_before_anyone_asks(
    workbench: Workbench, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A street's tally takes seconds; what the server kept is lost when it restarts, so it makes the views
    clerks asked for again as it starts, and the first view after the restart is one already made."""
    two_communities(workbench, tmp_path)
    clerk_a = user(workbench, "clerk-a", workbench.community_a)
    user(workbench, "street", workbench.street).get(f"/tally?{QUERY}")
    before = clerk_a.get(f"/tally?{QUERY}&show=all").text
    monkeypatch.setattr(cache, "_kept", OrderedDict())  # the server stopped: what it kept is gone
    made: list[object] = []
    counting = tally_of

    def tally(*args: Any, **kw: Any) -> Any:
        made.append(kw.get("offices"))
        return counting(*args, **kw)

    monkeypatch.setattr(tallies, "tally", tally)
    with TestClient(create_app(workbench.settings)):  # started: its lifespan warms
        deadline = time.monotonic() + 60
        while any(t.name == "baodao-warm" for t in threading.enumerate()):
            assert time.monotonic() < deadline, "the views are made again within a minute"
            time.sleep(0.05)
        assert len(made) == 2  # the street's and 新安's
        after = clerk_a.get(f"/tally?{QUERY}&show=all").text
        assert len(made) == 2 and made_at(after) >= made_at(before)
        assert "李晓燕" in after and "周峰" not in after and 'id="tally-stale"' not in after


def test_a_view_that_can_no_longer_be_made_is_passed_over(workbench: Workbench) -> None:
    """A clerk moved to another office (or a rule gone): that view fails, is logged, the rest are made."""
    user(workbench, "clerk-a", workbench.community_a)
    clerk = user_named(workbench.engine, "clerk-a")
    assert clerk is not None
    remember_view(
        workbench.engine,
        clerk.id,
        {
            "policy": "rongcheng-2019",
            "year": 2025,
            "half": None,
            "as_of": None,
            "office": workbench.community_b,
        },
    )
    remember_view(
        workbench.engine,
        clerk.id,
        {"policy": "rongcheng-2019", "year": 2025, "half": 1, "as_of": None, "office": None},
    )
    done = tallies.warm(workbench.engine)
    assert (done.views, done.failed) == (1, 1)


def test_a_restarted_workbench_makes_the_most_recent_views_first_and_no_more_than_it_keeps(
    workbench: Workbench, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With room for 6 members' figures (4.8 of them to warm), 金华's (2, asked last) and 新安's (3) are
    made and the street's (5, asked first) is not: it would only push one of them out."""
    two_communities(workbench, tmp_path)
    monkeypatch.setattr(cache, "_kept", OrderedDict())
    monkeypatch.setattr(cache, "KEPT", 6)
    asked: dict[str, str | int | None] = {"policy": "rongcheng-2019", "year": 2025, "as_of": "2025-12-31"}
    at = dt.datetime.now()
    for n, (name, office) in enumerate(
        [("street", workbench.street), ("clerk-a", workbench.community_a), ("clerk-b", workbench.community_b)]
    ):
        add_user(workbench.engine, name, PASSWORD, "clerk", office)
        found = user_named(workbench.engine, name)
        assert found is not None
        remember_view(workbench.engine, found.id, asked, at + dt.timedelta(minutes=n))
    done = tallies.warm(workbench.engine)
    assert (done.views, done.failed) == (2, 0)
    # Kept in the order they would give way: 新安's first, then 金华's, the most recently asked.
    assert [entry.size for entry in cache._kept.values()] == [3, 2]
