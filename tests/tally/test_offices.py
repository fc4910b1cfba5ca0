"""Each office's tally counts its own people: those on its rosters, those it issued forms to, those its
ledgers and returns name; no office given counts everyone."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from openpyxl import Workbook
from sqlalchemy import Engine

from baodao.docgen.issued import IssuedForm
from baodao.store.offices import DEFAULT_OFFICE, add_office, link_file
from baodao.store.records import StoredRecord, ingest
from baodao.store.register import record_issued
from baodao.tally.compute import tally
from baodao.tally.ledger import import_ledger, list_imports, undo_import
from baodao.tally.period import Period
from baodao.tally.policy import load_policy
from baodao.tally.roster import load_roster
from tests.tally.conftest import json_fields

RONGCHENG = load_policy("rongcheng-2019")
YEAR = Period(2025)
END = dt.date(2025, 12, 31)


def roster(path: Path, rows: list[tuple[str, str, str]]) -> Path:
    path.write_text("姓名,工作单位,所属社区\n" + "".join(f"{n},{u},{c}\n" for n, u, c in rows), "utf-8")
    return path


def ledger(path: Path, rows: list[tuple[str, str, str]]) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(["活动日期", "党员姓名", "工作单位", "社区", "活动内容"])
    for day, name, unit in rows:
        ws.append([day, name, unit, "金华社区", "清理卫生"])
    wb.save(path)
    return path


def names(engine: Engine, offices: set[int] | None) -> list[str]:
    return [m.name for m in tally(engine, RONGCHENG, YEAR, END, offices=offices).members]


def test_each_office_tallies_only_its_own_people_and_none_tallies_everyone(
    engine: Engine, tmp_path: Path
) -> None:
    a = add_office(engine, "香河社区", "社区党组织", DEFAULT_OFFICE)
    b = add_office(engine, "金华社区", "社区党组织", DEFAULT_OFFICE)
    load_roster(engine, roster(tmp_path / "a.csv", [("甲", "荣成市财政局", "香河社区")]), office_id=a)
    load_roster(engine, roster(tmp_path / "b.csv", [("乙", "荣成市教育局", "金华社区")]), office_id=b)
    # 丙 is on no roster: office b's ledger names him.
    import_ledger(engine, ledger(tmp_path / "b.xlsx", [("2025-03-05", "丙", "荣成市教育局")]), office_id=b)
    # 丁 returned a 报到证 that office a issued; 戊 one that office a handed in, issued by nobody.
    record_issued(
        engine, [IssuedForm("zz-b1", "A-1", "丁", "香河社区", dt.date(2025, 3, 1), None)], office_id=a
    )
    for n, (name, ident) in enumerate([("丁", "A-1"), ("戊", None)]):
        fields = {"name": name, "employer_and_post": "荣成市财政局 科员", "community": "香河社区"}
        digest = hashlib.sha256(f"return {n}".encode()).hexdigest()
        record = StoredRecord("zz-b1", ident, json_fields({**fields, "unit_sealed_on": "2025-03-02"}))
        ingest(engine, Path(f"return-{n}.docx"), digest, 10, None, [record])
        if ident is None:
            link_file(engine, a, digest, f"return-{n}.docx")

    assert names(engine, {a}) == ["丁", "戊", "甲"]
    assert names(engine, {b}) == ["丙", "乙"]
    assert names(engine, {a, b}) == ["丙", "乙", "丁", "戊", "甲"]  # by unit, then name
    assert names(engine, None) == ["丙", "乙", "丁", "戊", "甲"]
    assert names(engine, set()) == []
    # Units and communities follow their members.
    only_a = tally(engine, RONGCHENG, YEAR, END, offices={a})
    assert [u.name for u in only_a.units] == ["荣成市财政局"]
    assert [c.name for c in only_a.communities] == ["香河社区"]
    # A ledger import is its office's: listed and undone there only.
    assert [Path(i.path).name for i in list_imports(engine, {b})] == ["b.xlsx"]
    assert list_imports(engine, {a}) == []
    [imported] = list_imports(engine, {b})
    undo_import(engine, imported.file_id, {b})
    assert names(engine, {b}) == ["乙"]
