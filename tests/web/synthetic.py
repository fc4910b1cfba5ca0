"""The bundled synthetic roster and activity ledger cut into one pair per community, with 报到 rows for
two members in three, so two 社区 offices each have their own people for the 统计 and 台账 pages."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook, load_workbook

from tests.web.server import ROOT

ROSTER = ROOT / "data" / "roster" / "members-synthetic.xlsx"
LEDGER = ROOT / "data" / "ledger" / "activities-2025-synthetic.xlsx"
QUERY = "policy=zhengzhou-2019&year=2025&half=1&as_of=2025-06-30"


def _rows(path: Path) -> tuple[list[str], list[list[object]]]:
    sheet = load_workbook(path).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    first = next(i for i, r in enumerate(rows) if sum(1 for c in r if c) >= 3)  # past a title row
    return [str(h or "") for h in rows[first]], [r for r in rows[first + 1 :] if any(r)]


def _save(path: Path, headers: list[str], rows: list[list[object]]) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def community_files(folder: Path, community: str) -> tuple[Path, Path, list[str]]:
    """(roster, ledger, names) of the members living in ``community``; the ledger has their activities and,
    for two in three, a 报到 row in March."""
    folder.mkdir(parents=True, exist_ok=True)
    headers, people = _rows(ROSTER)
    at = headers.index("所属社区")
    mine = [r for r in people if r[at] == community]
    roster = _save(folder / f"{community}名册.xlsx", headers, mine)
    names = [str(r[headers.index("姓名")]) for r in mine]
    lheaders, acts = _rows(LEDGER)
    name_col = next(i for i, h in enumerate(lheaders) if "姓名" in h)
    date_col = next(i for i, h in enumerate(lheaders) if "日期" in h)
    unit_col = next(i for i, h in enumerate(lheaders) if "单位" in h)
    kind_col = next(i for i, h in enumerate(lheaders) if "类别" in h)
    where_col = lheaders.index("社区")
    kept = [r for r in acts if r[name_col] in names]
    units = {str(r[headers.index("姓名")]): r[headers.index("工作单位及职务")] for r in mine}
    for n, name in enumerate(names):
        if n % 3 != 2:
            row: list[object] = [None] * len(lheaders)
            row[date_col], row[name_col], row[kind_col] = dt.datetime(2025, 3, 1 + n % 20), name, "报到"
            row[unit_col], row[where_col] = str(units[name]).split(" ")[0], community
            kept.append(row)
    ledger = _save(folder / f"{community}活动台账.xlsx", lheaders, kept)
    return roster, ledger, names
