"""Values as clerks type them become typed values, or a reason in words a clerk understands."""

from __future__ import annotations

import datetime as dt

import pytest

from baodao.form_templates.catalog import get_form
from baodao.form_templates.coerce import CoerceError, coerce

B1 = get_form("zz-b1").spec


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2025-03-12", dt.date(2025, 3, 12)),
        ("2025/3/12", dt.date(2025, 3, 12)),
        ("2025.3.12", dt.date(2025, 3, 12)),
        ("2025年3月12日", dt.date(2025, 3, 12)),
        ("20250312", dt.date(2025, 3, 12)),
        (dt.datetime(2025, 3, 12, 0, 0), dt.date(2025, 3, 12)),
        ("２０２５年３月１２日", dt.date(2025, 3, 12)),
    ],
)
def test_dates_in_the_ways_people_write_them(raw: object, expected: dt.date) -> None:
    assert coerce(B1.field("unit_sealed_on"), raw) == expected


def test_a_month_only_date_where_the_form_prints_months() -> None:
    assert coerce(B1.field("joined_party_on"), "2010年7月") == dt.date(2010, 7, 1)
    with pytest.raises(CoerceError, match="不是日期"):
        coerce(B1.field("unit_sealed_on"), "2010年7月")


@pytest.mark.parametrize(("raw", "expected"), [(36.0, 36), ("36", 36), ("36岁", 36), (" ３６ ", 36)])
def test_integers_lose_no_digits_and_gain_no_decimals(raw: object, expected: int) -> None:
    assert coerce(B1.field("age"), raw) == expected


@pytest.mark.parametrize("raw", ["三十", "36.5", True])
def test_not_integers(raw: object) -> None:
    with pytest.raises(CoerceError, match="不是整数"):
        coerce(B1.field("age"), raw)


def test_phone_typed_as_a_number_keeps_its_leading_zero_from_the_cell_format() -> None:
    assert coerce(B1.field("phone"), 3712345678, "00000000000") == "03712345678"
    assert coerce(B1.field("phone"), 13803710001.0) == "13803710001"


@pytest.mark.parametrize(
    "raw", ["写作、外语", "写作,外语", "写作，外语", "写作；外语", "写作\n外语", ["写作", "外语"]]
)
def test_multi_choice_cells_split_on_any_separator(raw: object) -> None:
    assert coerce(B1.field("skills"), raw) == ["写作", "外语"]


def test_other_is_accepted_as_either_spelling() -> None:
    assert coerce(B1.field("skills"), "写作、其他") == ["写作", "其它"]


def test_an_unknown_option_names_the_choices() -> None:
    with pytest.raises(CoerceError, match="“书法”不是“技能特长”的选项（可选：写作、主持"):
        coerce(B1.field("skills"), "书法")


def test_list_items_on_their_own_lines_may_hold_commas() -> None:
    assert coerce(B1.field("intentions"), "如烘焙、茶道等活动\n政策宣讲") == [
        "如烘焙、茶道等活动",
        "政策宣讲",
    ]


def test_numbered_list_items_lose_their_numbers() -> None:
    assert coerce(B1.field("intentions"), "1.政策宣讲\n2.法律援助") == ["政策宣讲", "法律援助"]
    assert coerce(B1.field("intentions"), "1、政策宣讲；2、法律援助") == ["政策宣讲", "法律援助"]
