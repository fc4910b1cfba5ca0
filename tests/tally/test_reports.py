"""Each filing's content, read back from the files written (not only that they exist)."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from baodao.docgen.issued import IssuedForm
from baodao.errors import PolicyError, WriteError
from baodao.intake.model import ReadRecord
from baodao.intake.run import read_file
from baodao.store.offices import DEFAULT_OFFICE, add_office
from baodao.store.register import record_issued
from baodao.tally.compute import tally
from baodao.tally.model import Tally
from baodao.tally.period import Period
from baodao.tally.policy import load_policy
from baodao.tally.reports import ReportOptions, spot_check_sample, write_report
from baodao.tally.roster import load_roster

from .conftest import Returns

ZHENGZHOU = load_policy("zhengzhou-2019")
BLOOD, HOSPITAL = "郑州市中心血站", "郑州市人民医院"
AS_OF = dt.date(2025, 7, 10)


@pytest.fixture
def half_year(sqlite_returns: Returns, tmp_path: Path) -> Tally:
    """Two units: 血站 with a ten-star member, a one-star one and one unreported; 医院 with ten members."""
    r = sqlite_returns
    lines = [
        "姓名,工作单位及职务,所属社区,编号",
        f"陈海,{BLOOD} 科员,金华社区,SJ-1",
        f"张洋,{BLOOD},金华社区,SJ-2",
    ]
    lines += [f"吕华,{BLOOD},新安社区,SJ-3"] + [f"医{i},{HOSPITAL},峡窝社区,SJ-H{i}" for i in range(10)]
    (tmp_path / "roster.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    load_roster(r.engine, tmp_path / "roster.csv")
    r.registration("陈海", BLOOD, "金华社区", "2025-03-01", "SJ-1")
    r.registration("张洋", BLOOD, "金华社区", "2025-03-02", "SJ-2")
    for i in range(10):
        r.registration(f"医{i}", HOSPITAL, "峡窝社区", "2025-03-03", f"SJ-H{i}")
    r.score_sheet("陈海", BLOOD, [(f"2025-0{1 + d % 6}-{1 + d:02d}", "义诊", 5) for d in range(21)])
    r.score_sheet(
        "张洋",
        BLOOD,
        [("2025-06-30", "宣讲", 6), ("2025-07-01", "下半年的不计", 5), ("2025-05-01", "护绿", 5)],
    )
    record_issued(
        r.engine,
        [IssuedForm("zz-b1", "SJ-3", "吕华", "上街区委组织部", dt.date(2025, 3, 1), dt.date(2025, 3, 31))],
    )
    return tally(r.engine, ZHENGZHOU, Period(2025, 1), AS_OF)


def read_back(path: Path) -> ReadRecord:
    found = read_file(path)
    assert isinstance(found, ReadRecord), found
    return found


def test_summary_per_unit_reads_back_as_the_tally_says(
    sqlite_returns: Returns, half_year: Tally, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    result = write_report("summary", sqlite_returns.engine, ZHENGZHOU, half_year, ReportOptions(out))
    assert result.count == 2
    [blood] = [p for p in result.files if p.suffix == ".docx" and BLOOD in p.name]
    record = read_back(blood)
    assert record.form == "zz-f1"
    assert record.fields["unit_org"] == BLOOD
    assert record.fields["community_org"] == "新安社区、金华社区"
    assert record.fields["period"] == "2025年上半年"
    members = record.fields["members"]
    assert isinstance(members, list)
    rows = {row["name"]: row for row in members if isinstance(row, dict)}
    assert rows["陈海"] == {
        "name": "陈海",
        "reported": "是",
        "points": 105,
        "stars": 10,
        "comment": "参加志愿服务21次，积分105分。",
    }
    assert (rows["张洋"]["points"], rows["张洋"]["stars"]) == (11, 1)  # 30 June counts, 1 July does not
    assert (rows["吕华"]["reported"], rows["吕华"]["comment"]) == ("否", "未按要求到社区报到，请单位督促。")
    assert (out / "zz-f1-combined.docx").is_file()


def test_feedback_letter_carries_its_units_summary(
    sqlite_returns: Returns, half_year: Tally, tmp_path: Path
) -> None:
    options = ReportOptions(
        tmp_path / "out", issuer="中共郑州市上街区委组织部", issued_on=dt.date(2025, 7, 15)
    )
    result = write_report("feedback", sqlite_returns.engine, ZHENGZHOU, half_year, options)
    [blood] = [p for p in result.files if BLOOD in p.name]
    doc = Document(str(blood))
    text = "".join(doc.element.body.itertext())
    assert f"{BLOOD}党组织：" in text
    assert "中共郑州市上街区委组织部" in text
    assert "在职党员志愿服务情况汇总表" in text
    cells = {c.text for t in doc.tables for row in t.rows for c in row.cells}
    assert {"陈海", "张洋", "吕华", "105", "10星"} <= cells
    assert not {f"医{i}" for i in range(10)} & cells  # only this unit's members
    assert len(doc.sections) == 2


def test_feedback_needs_its_issuer(sqlite_returns: Returns, half_year: Tally, tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="--issuer"):
        write_report("feedback", sqlite_returns.engine, ZHENGZHOU, half_year, ReportOptions(tmp_path))


def test_star_filings_need_a_half_year_under_zhengzhou(sqlite_returns: Returns, tmp_path: Path) -> None:
    sqlite_returns.registration("陈海", BLOOD, "金华社区", "2025-03-01")
    year = tally(sqlite_returns.engine, ZHENGZHOU, Period(2025), AS_OF)
    with pytest.raises(PolicyError, match=r"请加 --half 1 或 --half 2"):
        write_report("summary", sqlite_returns.engine, ZHENGZHOU, year, ReportOptions(tmp_path))


def test_score_sheet_lists_the_half_years_activities_with_their_points(
    sqlite_returns: Returns, half_year: Tally, tmp_path: Path
) -> None:
    result = write_report(
        "score-sheets", sqlite_returns.engine, ZHENGZHOU, half_year, ReportOptions(tmp_path / "out")
    )
    assert result.count == 2  # 陈海 and 张洋; no sheet for members without activities
    [zhang] = [p for p in result.files if "张洋" in p.name]
    record = read_back(zhang)
    assert record.fields["half_year_points"] == 11 and record.fields["half_year_stars"] == 1
    services = record.fields["services"]
    assert [(r["served_on"], r["content"], r["points"]) for r in services] == [  # type: ignore[union-attr, index]
        ("2025-05-01", "护绿", 5),
        ("2025-06-30", "宣讲", 6),
    ]


def test_statistics_table_per_unit(sqlite_returns: Returns, half_year: Tally, tmp_path: Path) -> None:
    result = write_report(
        "stats", sqlite_returns.engine, ZHENGZHOU, half_year, ReportOptions(tmp_path / "out")
    )
    [blood] = [p for p in result.files if p.suffix == ".xlsx" and BLOOD in p.name]
    record = read_back(blood)
    assert record.fields["unit"] == BLOOD
    lines = [(r["name"], r["community"], r["reported"], r["times"]) for r in record.fields["members"]]  # type: ignore[union-attr, index]
    assert lines == [
        ("吕华", "新安社区", "否", 0),
        ("张洋", "金华社区", "是", 2),
        ("陈海", "金华社区", "是", 21),
    ]


def test_spot_check_draws_at_least_a_fifth_of_each_unit_and_the_same_each_time(
    sqlite_returns: Returns, half_year: Tally, tmp_path: Path
) -> None:
    drawn = spot_check_sample(half_year, ZHENGZHOU)
    assert {u: len(ms) for u, ms in drawn.items()} == {BLOOD: math.ceil(0.2 * 2), HOSPITAL: 2}
    assert spot_check_sample(half_year, ZHENGZHOU) == drawn
    result = write_report(
        "spot-check", sqlite_returns.engine, ZHENGZHOU, half_year, ReportOptions(tmp_path / "out")
    )
    ws = load_workbook(result.files[0]).active
    assert "不少于已报到党员的20%" in ws["A1"].value
    names = [(row[0], row[1]) for row in ws.iter_rows(min_row=3, values_only=True)]
    assert names == [(u, m.name) for u, ms in drawn.items() for m in ms]


def test_overdue_lists_unreturned_forms_and_unreported_members(
    sqlite_returns: Returns, half_year: Tally, tmp_path: Path
) -> None:
    result = write_report(
        "overdue", sqlite_returns.engine, ZHENGZHOU, half_year, ReportOptions(tmp_path / "out")
    )
    wb = load_workbook(result.files[0])
    late = list(wb["逾期未交回"].iter_rows(min_row=3, values_only=True))
    assert late == [
        ("zz-b1", "在职党员社区报到证", "SJ-3", "吕华", "上街区委组织部", "2025-03-01", "2025-03-31", 101)
    ]
    unreported = list(wb["未报到党员"].iter_rows(min_row=3, values_only=True))
    assert unreported == [(BLOOD, "吕华", "新安社区", "SJ-3", None)]


def test_overdue_slips_say_whom_which_form_by_when_and_what_to_do(
    sqlite_returns: Returns, half_year: Tally, tmp_path: Path
) -> None:
    options = ReportOptions(tmp_path / "out", issuer="新安社区党委")
    result = write_report("overdue", sqlite_returns.engine, ZHENGZHOU, half_year, options)
    [slips] = [p for p in result.files if p.name == "催交提醒-2025-07-10.docx"]
    cells = [c.text for t in Document(str(slips)).tables for c in t.rows[0].cells]
    assert len(cells) == 2  # the overdue 报到证, and 吕华 not reported
    late, unreported = cells
    for line in ("姓名：吕华", f"单位：{BLOOD}", "表单：在职党员社区报到证", "编号：SJ-3"):
        assert line in late
    assert "应交回日期：2025年3月31日" in late and "已逾期101天未交回" in late
    assert "新安社区党委　2025年7月10日" in late
    assert "表单：到居住地社区报到" in unreported and "您尚未到新安社区报到" in unreported


def test_overdue_of_one_office_lists_only_its_forms(
    sqlite_returns: Returns, half_year: Tally, tmp_path: Path
) -> None:
    street = add_office(sqlite_returns.engine, "城东街道党工委", "街道党工委", DEFAULT_OFFICE)
    options = ReportOptions(tmp_path / "out", offices={street})
    result = write_report("overdue", sqlite_returns.engine, ZHENGZHOU, half_year, options)
    late = list(load_workbook(result.files[0])["逾期未交回"].iter_rows(min_row=3, values_only=True))
    assert late == []  # 吕华's 报到证 went out from the default office


def test_certificates_for_ten_stars_and_the_honour_roll_most_stars_first(
    sqlite_returns: Returns, half_year: Tally, tmp_path: Path
) -> None:
    options = ReportOptions(tmp_path / "out")
    certs = write_report("certificates", sqlite_returns.engine, ZHENGZHOU, half_year, options)
    text = "".join(p.text for p in Document(str(certs.files[0])).paragraphs)
    assert certs.count == 1
    assert f"陈海同志（{BLOOD}）：" in text
    assert "积分105分" in text and "中共金华社区委员会" in text and "张洋" not in text
    roll = write_report("honour-roll", sqlite_returns.engine, ZHENGZHOU, half_year, options)
    doc = Document(str(roll.files[0]))
    assert "金华社区在职党员志愿服务先锋榜" in doc.paragraphs[0].text
    rows = [[c.text for c in row.cells] for row in doc.tables[0].rows]
    assert rows == [
        ["名次", "姓名", "工作单位", "积分", "星级"],
        ["1", "陈海", BLOOD, "105", "★" * 10],
        ["2", "张洋", BLOOD, "11", "★"],
    ]


@pytest.mark.parametrize(
    ("activities", "reported", "judged", "said"),
    [
        (3, True, True, "参加志愿服务3次，积分15分，达到要求。"),
        (3, True, False, "参加志愿服务3次，积分15分。"),  # a half year: the yearly minimum is not judged
        (0, True, False, "本期未参加志愿服务，请单位督促。"),
        (3, False, True, "未按要求到社区报到，请单位督促。"),
    ],
)
def test_the_community_comment_says_only_what_the_period_shows(
    activities: int, reported: bool, judged: bool, said: str
) -> None:
    from baodao.tally.filings import comment
    from baodao.tally.model import MemberTally

    m = MemberTally(
        1, "陈海", BLOOD, "金华社区", None, True, reported, None, activities, points=activities * 5
    )
    assert comment(m, judged) == said


def test_a_report_folder_that_cannot_be_written_is_a_clear_error(
    sqlite_returns: Returns, half_year: Tally, tmp_path: Path
) -> None:
    taken = tmp_path / "报表"
    taken.write_text("a file where the folder should be", encoding="utf-8")
    with pytest.raises(WriteError, match=r"无法写入 .*报表") as caught:
        write_report("stats", sqlite_returns.engine, ZHENGZHOU, half_year, ReportOptions(taken / "out"))
    assert "Errno" not in str(caught.value)
    assert taken.read_text(encoding="utf-8") == "a file where the folder should be"
