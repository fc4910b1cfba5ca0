"""A half year of returns for the filing jobs and pages: two units, a ten-star member, one not reported."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook, load_workbook
from sqlalchemy import Engine

from baodao.docgen.issued import IssuedForm
from baodao.store.offices import DEFAULT_OFFICE
from baodao.store.register import record_issued
from baodao.tally.roster import load_roster
from tests.tally.conftest import Returns

ROOT = Path(__file__).resolve().parents[2]

BLOOD, HOSPITAL = "郑州市中心血站", "郑州市人民医院"
AS_OF = dt.date(2025, 7, 10)


def seed_half_year(engine: Engine, folder: Path, office: int = DEFAULT_OFFICE) -> None:
    """陈海 of the 血站 earns ten stars (21 services of 5 points), 张洋 one, 吕华 never reports (her 报到证,
    issued by ``office``, is overdue); ten 医院 members report and do nothing more."""
    r = Returns(engine)
    lines = ["姓名,工作单位及职务,所属社区,编号", f"陈海,{BLOOD} 科员,金华社区,SJ-1"]
    lines += [f"张洋,{BLOOD},金华社区,SJ-2"]
    lines += [f"吕华,{BLOOD},新安社区,SJ-3"] + [f"医{i},{HOSPITAL},峡窝社区,SJ-H{i}" for i in range(10)]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "roster.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    load_roster(engine, folder / "roster.csv", office_id=office)  # the office loaded the roster: its people
    r.registration("陈海", BLOOD, "金华社区", "2025-03-01", "SJ-1")
    r.registration("张洋", BLOOD, "金华社区", "2025-03-02", "SJ-2")
    for i in range(10):
        r.registration(f"医{i}", HOSPITAL, "峡窝社区", "2025-03-03", f"SJ-H{i}")
    r.score_sheet("陈海", BLOOD, [(f"2025-0{1 + d % 6}-{1 + d:02d}", "义诊", 5) for d in range(21)])
    r.score_sheet("张洋", BLOOD, [("2025-06-30", "宣讲", 6), ("2025-05-01", "护绿", 5)])
    late = IssuedForm("zz-b1", "SJ-3", "吕华", "新安社区党委", dt.date(2025, 3, 1), dt.date(2025, 3, 31))
    record_issued(engine, [late], office)


def small_roster(path: Path, rows: int = 3) -> Path:
    """The bundled synthetic roster's first ``rows`` members, as a clerk's sheet (header on the first row)."""
    source = load_workbook(ROOT / "data" / "roster" / "members-synthetic.xlsx").active
    lines = list(source.iter_rows(min_row=2, values_only=True))
    wb = Workbook()
    for line in lines[: rows + 1]:
        wb.active.append(list(line))
    wb.save(path)
    return path
