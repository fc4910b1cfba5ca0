"""The 登记簿's queries: filters, counts per state and pages in SQL; each entry's history in order."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import Engine

from baodao.docgen.issued import IssuedForm
from baodao.store.audit import log
from baodao.store.offices import DEFAULT_OFFICE, add_office, link_file
from baodao.store.records import StoredRecord, correct, ingest
from baodao.store.register import record_issued, register_row, register_rows, withdraw
from baodao.store.register_view import RegisterFilter, entry_history, register_counts, register_page

TODAY = dt.date(2026, 4, 15)


def _issue(engine: Engine, office: int, n: int, day: dt.date, due: dt.date, key: str = "zz-b1") -> None:
    entries = [
        IssuedForm(key, f"{key.upper()}-{office}-{i:03d}", f"成员{i:03d}", "社区", day, due) for i in range(n)
    ]
    record_issued(engine, entries, office)


def test_filters_counts_and_pages_are_answered_in_sql(engine: Engine) -> None:
    a = add_office(engine, "新安社区党委", "社区党组织", DEFAULT_OFFICE)
    b = add_office(engine, "金华社区党委", "社区党组织", DEFAULT_OFFICE)
    _issue(engine, a, 120, dt.date(2026, 3, 1), dt.date(2026, 3, 31))  # overdue on TODAY unless returned
    _issue(engine, a, 5, dt.date(2026, 4, 10), dt.date(2026, 5, 10), "zz-c")
    _issue(engine, b, 7, dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    rows = {r.entry.form_id: r for r in register_rows(engine, {a})}
    withdraw(engine, rows["ZZ-B1-2-003"].id)
    ingest(
        engine, Path("return.docx"), "a" * 64, 10, None, [StoredRecord("zz-b1", "ZZ-B1-2-004", {"name": "x"})]
    )
    both = frozenset({a, b})
    every = RegisterFilter(both)
    assert register_counts(engine, every, TODAY) == {
        "issued": 5,
        "overdue": 125,
        "returned": 1,
        "withdrawn": 1,
    }
    only_a = RegisterFilter(both, office=a)
    assert register_counts(engine, only_a, TODAY)["overdue"] == 118
    first, total = register_page(engine, only_a, TODAY, page=1, size=50)
    third, _ = register_page(engine, only_a, TODAY, page=3, size=50)
    assert total == 125 and len(first) == 50 and len(third) == 25
    assert first[0].entry.form_key == "zz-c"  # newest first
    overdue, n = register_page(engine, RegisterFilter(both, state="overdue", form_key="zz-b1"), TODAY)
    assert n == 125 and all(r.entry.overdue_on(TODAY) for r in overdue)
    by_name, n = register_page(engine, RegisterFilter(both, office=a, search="成员004"), TODAY)
    assert n == 2 and {r.entry.form_key for r in by_name} == {"zz-b1", "zz-c"}
    _, n = register_page(engine, RegisterFilter(both, search="ZZ-B1-3-00"), TODAY)
    assert n == 7
    april, n = register_page(engine, RegisterFilter(both, issued_from=dt.date(2026, 4, 1)), TODAY)
    assert n == 5 and all(r.entry.issue_date >= dt.date(2026, 4, 1) for r in april)
    # A wildcard typed in the search box is a character, not a pattern.
    assert register_page(engine, RegisterFilter(both, search="%"), TODAY)[1] == 0
    # An office not among those seen selects nothing, even when asked for by id.
    assert register_page(engine, RegisterFilter(frozenset({a}), office=b), TODAY)[1] == 0


def test_an_entrys_history_shows_issue_return_correction_and_withdrawal(engine: Engine) -> None:
    a = add_office(engine, "新安社区党委", "社区党组织", DEFAULT_OFFICE)
    _issue(engine, a, 1, dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    [row] = register_rows(engine, {a})
    stored = ingest(
        engine,
        Path("/data/x.docx"),
        "b" * 64,
        10,
        dt.datetime(2026, 3, 10, 9, 0),
        [StoredRecord("zz-b1", row.entry.form_id, {"name": "李晓燕", "age": 37})],
    )
    link_file(engine, a, "b" * 64, "李晓燕-报到证.docx")
    correct(engine, stored.records[0].record_id, "age", 38, "clerk-a")
    withdraw(engine, row.id)
    log(engine, "clerk-a", a, "作废", f"zz-b1 {row.entry.form_id}")
    found = register_row(engine, row.id)
    assert found is not None
    events = entry_history(engine, found, frozenset({a}))
    assert [e.what for e in events] == ["发放", "交回", "更正", "作废"]
    assert "读入文件 李晓燕-报到证.docx" in events[1].detail
    assert events[2].detail == "年龄：37 → 38" and events[2].who == "clerk-a"
    assert events[3].who == "clerk-a"
    # Another office's clerk, were they shown it, would not learn the file's name.
    assert "（其他组织交来的文件）" in entry_history(engine, found, frozenset({DEFAULT_OFFICE}))[1].detail
