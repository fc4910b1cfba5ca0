"""发放登记 in the workbench: filtered, counted and paged; each entry's history; nothing of another office."""

from __future__ import annotations

import datetime as dt
import re

from baodao.docgen.issued import IssuedForm
from baodao.store.register import record_issued, register_rows
from tests.web.conftest import Workbench, user


def _issue(bench: Workbench, office: int, n: int, due: dt.date) -> None:
    day = dt.date(2026, 3, 1)
    entries = [
        IssuedForm("zz-b1", f"XA-{office}-{i:03d}", f"成员{i:03d}", "社区", day, due) for i in range(n)
    ]
    record_issued(bench.engine, entries, office)


def test_the_register_is_filtered_counted_and_paged(workbench: Workbench) -> None:
    clerk = user(workbench, "clerk-a", workbench.community_a)
    _issue(workbench, workbench.community_a, 150, dt.date(2026, 3, 31))  # overdue by now
    _issue(workbench, workbench.community_b, 3, dt.date(2026, 3, 31))
    first = clerk.get("/register")
    assert first.status_code == 200
    counts = re.sub(r"<[^>]+>", "", first.text.split('id="register-counts"')[1].split("</p>")[0])
    assert "逾期未交回 150" in counts and "待交回 0" in counts
    assert first.text.count('name="entry"') == 100
    assert "共 150 条，第 1/2 页" in first.text and 'rel="next"' in first.text
    second = clerk.get("/register?page=2")
    assert second.text.count('name="entry"') == 50 and 'rel="prev"' in second.text
    found = clerk.get("/register", params={"q": "成员007"})
    assert found.text.count('name="entry"') == 1 and "XA-" in found.text
    by_id = clerk.get("/register", params={"q": f"XA-{workbench.community_a}-14"})
    assert by_id.text.count('name="entry"') == 10
    none = clerk.get("/register", params={"state": "returned"})
    assert "没有符合条件的登记" in none.text
    later = clerk.get("/register", params={"issued_from": "2026-04-01"})
    assert "共 0 条" in later.text
    assert "XA-" + str(workbench.community_b) not in clerk.get("/register", params={"q": "XA"}).text
    bad = clerk.get("/register", params={"issued_from": "昨天"})
    assert bad.status_code == 400 and "发放日期（起）格式不对" in bad.text


def test_an_entry_shows_its_history_and_another_office_gets_none(workbench: Workbench) -> None:
    a = user(workbench, "clerk-a", workbench.community_a)
    b = user(workbench, "clerk-b", workbench.community_b)
    _issue(workbench, workbench.community_a, 1, dt.date(2026, 3, 31))
    [row] = register_rows(workbench.engine, {workbench.community_a})
    done = a.post(f"/register/{row.id}/withdraw", {"back": "/register?state=overdue&page=1"})
    assert done.status_code == 303 and done.headers["location"] == "/register?state=overdue&page=1"
    record_issued(
        workbench.engine,
        [IssuedForm("zz-b1", "XA-OTHER", "李晓燕", "社区", dt.date(2026, 3, 1), None)],
        workbench.community_a,
    )
    other = next(r for r in register_rows(workbench.engine, {workbench.community_a}) if r.id != row.id)
    elsewhere = a.post(f"/register/{other.id}/withdraw", {"back": "/register?//evil.example"})
    assert elsewhere.headers["location"] == "/register"  # never an address outside the page
    shown = a.get(f"/register/{row.id}")
    assert shown.status_code == 200
    history = shown.text.split('id="history"')[1]
    assert history.index("发放") < history.index("作废") and "clerk-a" in history
    assert "模板：内置" in shown.text
    answer = b.get(f"/register/{row.id}")
    assert answer.status_code == 404 and "无权查看" in answer.text
    assert "XA-" not in b.get("/register").text
