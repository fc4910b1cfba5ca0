"""Which roster column likely feeds a field its label does not name: same meaning, a birth date, a join."""

from __future__ import annotations

import datetime as dt

from baodao.docgen.mapping import Suggestion, age_on, suggest_mapping
from baodao.form_templates.catalog import get_form
from baodao.form_templates.text import normalize_header

# A roster as units keep it: 手机号码, 出生年月, 工作单位 and 职务 in place of the form's labels.
HEADERS = ["序号", "姓名", "性别", "出生年月", "工作单位", "职务", "手机号码", "家庭住址", "所属社区"]


def test_each_unfed_field_gets_its_likely_column() -> None:
    found = suggest_mapping(get_form("zz-b1").spec, HEADERS)
    assert found == [
        Suggestion("age", "年龄", ("出生年月",), "age_from_birth"),
        Suggestion("employer_and_post", "工作单位及职务", ("工作单位", "职务"), "join"),
        Suggestion("phone", "联系方式", ("手机号码",), "alias"),
    ]
    assert [s.mapping for s in found] == [
        ("出生年月", "年龄"),
        ("工作单位+职务", "工作单位及职务"),
        ("手机号码", "联系方式"),
    ]
    assert found[1].describe() == "可由“工作单位”“职务”两列合并（中间空一格）"


def test_fields_fed_by_their_label_get_no_suggestion() -> None:
    headers = ["姓名", "联系方式", "手机号码", "年龄", "出生年月", "工作单位及职务", "工作单位", "职务"]
    assert suggest_mapping(get_form("zz-b1").spec, headers) == []


def test_a_receipt_finds_its_phone_under_another_title() -> None:
    found = suggest_mapping(get_form("zz-b2").spec, ["姓名", "电话"])
    assert Suggestion("phone", "联系电话", ("电话",), "alias") in found


def test_age_is_whole_years_at_the_issue_date() -> None:
    assert age_on(dt.date(1989, 5, 12), dt.date(2025, 3, 1)) == 35
    assert age_on(dt.date(1989, 3, 1), dt.date(2025, 3, 1)) == 36


def test_one_header_normalizer_for_every_reader() -> None:
    assert normalize_header(" *联系方式（手机）：") == normalize_header("联系方式") == "联系方式"
    assert normalize_header("Phone") == "phone"


def test_a_label_two_fields_share_leaves_both_blank() -> None:
    from pathlib import Path

    from baodao.docgen.mapping import ColumnMap
    from baodao.office.sources import SourceTable

    spec = get_form("zz-c").spec  # 负责人 under 甲方 and under 乙方
    table = SourceTable(Path("联建单位.csv"), ["甲方", "乙方", "签订日期"], 1)
    both = ColumnMap(spec, table, {}, ["负责人"])
    assert {"party_a_leader", "party_b_leader"} <= both.blank
    assert [f.name for f in both.missing] == []
    one = ColumnMap(spec, table, {}, ["party_a_leader"])  # by name: that field only
    assert [f.name for f in one.missing] == ["party_b_leader"]
