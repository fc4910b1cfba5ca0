"""Writes data/roster/members-synthetic.xlsx: a made-up (合成) member roster with Chinese headers.

Every name, phone and address is invented from a fixed seed; the file says so in its first row.
"""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

from baodao.form_templates.catalog import get_form

OUT = Path(__file__).resolve().parent.parent / "data" / "roster" / "members-synthetic.xlsx"
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英晓燕建华红梅志强海燕国庆丽娟春梅"
UNITS = [
    "郑州市卫生健康委员会机关",
    "郑州市人民医院",
    "郑州市疾病预防控制中心",
    "郑州市中心血站",
    "郑州市第二人民医院",
    "郑州市妇幼保健院",
    "郑州市急救中心",
]
POSTS = ["科员", "副科长", "科长", "主治医师", "护士长", "干事", "副主任"]
COMMUNITIES = ["新安社区", "济源路社区", "工业路社区", "峡窝社区", "中心路社区", "金华社区"]
EDUCATION = ["大学本科", "硕士研究生", "大学专科", "博士研究生"]
INTENTIONS = ["政策宣讲", "环境整治", "义务护绿", "调解纠纷", "法律援助", "医疗保健", "科普宣传", "治安巡逻"]


def address(rng: random.Random) -> str:
    street = rng.choice(["新安路", "济源路", "中心路", "工业路"])
    return f"上街区{street}{rng.randint(1, 99)}号院{rng.randint(1, 12)}号楼"


def main(count: int = 60) -> None:
    rng = random.Random(20250312)
    spec = get_form("zz-b1").spec
    fields = [
        "number",
        "name",
        "gender",
        "age",
        "education",
        "joined_party_on",
        "employer_and_post",
        "phone",
        "home_address",
        "community",
        "skills",
        "intentions",
        "organization",
    ]
    wb = Workbook()
    ws = wb.active
    ws.title = "在职党员名册"
    ws.append(["合成数据（synthetic）：以下人员、电话、住址均为虚构，仅供演示和测试。"])
    ws["A1"].font = Font(bold=True, color="C00000")
    headers = [spec.field(n).printed_label or spec.field(n).label for n in fields]
    ws.append(headers)
    for i in range(count):
        name = rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice((1, 2))))
        community = rng.choice(COMMUNITIES)
        skills = rng.sample(spec.field("skills").options[:-1], rng.randint(1, 3))
        joined = date(rng.randint(1995, 2020), rng.randint(1, 12), rng.randint(1, 28))
        ws.append(
            [
                f"SJ-2025-{i + 1:04d}",
                name,
                rng.choice(["男", "女"]),
                rng.randint(24, 58),
                rng.choice(EDUCATION),
                joined,
                f"{rng.choice(UNITS)} {rng.choice(POSTS)}",
                rng.choice(
                    [
                        f"1{rng.choice('3589')}{rng.randint(0, 999999999):09d}",
                        f"0371-{rng.randint(6000000, 6999999)}",
                    ]
                ),
                address(rng),
                community,
                "、".join(skills),
                "、".join(rng.sample(INTENTIONS, rng.randint(2, 3))),
                f"中共上街区{community}委员会",
            ]
        )
        ws.cell(ws.max_row, 6).number_format = "yyyy-mm-dd"
    for col, width in zip("ABCDEFGHIJKLM", [14, 8, 6, 6, 12, 12, 30, 16, 30, 12, 30, 28, 26], strict=True):
        ws.column_dimensions[col].width = width
    note = wb.create_sheet("说明")
    note.append(["本名册为合成数据，表头按 baodao 表单 zz-b1（在职党员社区报到证）的标签编列。"])
    note.append(["供 make demo 与测试使用。"])
    OUT.parent.mkdir(parents=True, exist_ok=True)
    wb.save(OUT)
    print(OUT)


if __name__ == "__main__":
    main()
