"""Writes data/ledger/activities-2025-synthetic.xlsx: a made-up (合成) activity ledger for the demo roster.

From a fixed seed: each member's volunteer activities in 2025 (a few none, a few enough for ten stars,
one with a 一事一记 entry), and each unit's own activities — monthly service with one month missed,
the quarterly 联席会, a 主题党日 each half year — so every rule of zhengzhou-2019 has something to find.
"""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

HERE = Path(__file__).resolve().parent.parent
ROSTER = HERE / "data" / "roster" / "members-synthetic.xlsx"
OUT = HERE / "data" / "ledger" / "activities-2025-synthetic.xlsx"
HEADERS = ["序号", "日期", "姓名", "工作单位", "社区", "类别", "内容", "积分"]
SERVICES = ["政策宣讲", "义诊", "健康讲座", "环境整治", "垃圾分类督导", "入户走访", "法律咨询", "科普宣传"]


def _members() -> list[tuple[str, str, str]]:
    ws = load_workbook(ROSTER, read_only=True).active
    return [(r[1], r[6].split()[0], r[9]) for r in ws.iter_rows(min_row=3, values_only=True) if r[1]]


def _day(rng: random.Random, first_month: int, last_month: int) -> date:
    return date(2025, rng.randint(first_month, last_month), rng.randint(1, 28))


def rows() -> list[list[object]]:
    rng = random.Random(2025)
    out: list[list[object]] = []
    for i, (name, unit, community) in enumerate(_members()):
        # Most do a few activities; every tenth none; two enough for ten stars in the first half.
        count = 0 if i % 10 == 7 else 21 if i in (3, 18) else rng.choice([1, 2, 3, 4, 6, 8])
        for _ in range(count):
            points = 5 if count > 20 else rng.choice([4, 5, 5, 6, 7])
            out.append([_day(rng, 1, 6), name, unit, community, "志愿服务", rng.choice(SERVICES), points])
        if count and i % 4 == 0:
            out.append([_day(rng, 1, 6), name, unit, community, "主题党日", "社区联合主题党日", 5])
        if i == 11:
            out.append([date(2025, 5, 20), name, unit, community, "一事一记", "见义勇为，救起落水儿童", 20])
    units = sorted({u for _, u, _ in _members()})
    communities = sorted({c for _, _, c in _members()})
    for k, unit in enumerate(units):
        home = communities[k % len(communities)]  # the community the unit reports to
        for month in range(1, 7):
            if month != 2 + k % 4:  # each unit misses one month
                out.append([date(2025, month, 15), None, unit, home, "志愿服务", "组织社区志愿服务", None])
        for month in (2, 5):
            out.append([date(2025, month, 8), None, unit, home, "联席会", "街道党建联席会", None])
        out.append([date(2025, 6, 28), None, unit, home, "主题党日", "联合主题党日", None])
    out.sort(key=lambda r: (r[0], r[2] or "", r[1] or ""))  # type: ignore[return-value]
    return [[n, *r] for n, r in enumerate(out, start=1)]


def main() -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "活动台账"
    ws.append(["合成数据（synthetic）：以下人员和活动均为虚构，仅供演示和测试。"])
    ws.append(HEADERS)
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for row in rows():
        ws.append(row)
        ws.cell(ws.max_row, 2).number_format = "yyyy-mm-dd"
    for col, width in zip("ABCDEFGH", (6, 12, 8, 26, 12, 10, 26, 6), strict=True):
        ws.column_dimensions[col].width = width
    wb.save(OUT)
    print(f"wrote {OUT} ({ws.max_row - 2} rows)")


if __name__ == "__main__":
    main()
