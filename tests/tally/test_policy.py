"""Policy profiles load with every rule cited, and a user's edited copy is checked with its key named."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from baodao.errors import PolicyError
from baodao.tally.policy import Rule, bundled, load_policy, read_policy


def test_three_profiles_each_rule_citing_its_clause() -> None:
    assert [p.key for p in bundled()] == ["rongcheng-2019", "yuepu-2015", "zhengzhou-2019"]
    for policy in bundled():
        for rules in (policy.member, policy.unit):
            for value in vars(rules).values():
                if value is not None:
                    assert value.rule[:3] in policy.seeds, (policy.key, value)


def test_the_numbers_the_seeds_set() -> None:
    rc, yp, zz = (load_policy(k) for k in ("rongcheng-2019", "yuepu-2015", "zhengzhou-2019"))
    assert rc.member.min_activities_per_year == Rule(4.0, rc.member.min_activities_per_year.rule)  # type: ignore[union-attr]
    assert rc.member.min_credit_points_per_year.value == 5  # type: ignore[union-attr]
    assert rc.unit.deduction_per_missed_activity.value == 0.05  # type: ignore[union-attr]
    assert rc.member.deduction_per_unreported.value == 0.02  # type: ignore[union-attr]
    assert rc.max_units_per_community is not None and rc.max_units_per_community.warn_only
    assert rc.unit.grades is not None and rc.unit.grades.loses_honours_from == "一般"
    assert yp.member.min_services_per_year.value == 1  # type: ignore[union-attr]
    assert yp.days["receipts_due"].in_year(2015).isoformat() == "2015-07-08"
    assert zz.member.min_services_per_year.value == 2  # type: ignore[union-attr]
    assert zz.member.min_activities_per_year is None  # 志愿服务, not any activity (004 二（二）)
    assert rc.unit.min_studies_per_year.value == 1  # type: ignore[union-attr]
    assert rc.min_community_meetings_per_month.value == 1  # type: ignore[union-attr]
    assert "service_starts" not in rc.days  # the monthly duty holds from January (000 三（三）)
    assert zz.member.points is not None and (zz.member.points.base, zz.member.points.max_adjust) == (5, 3)
    assert zz.member.stars is not None and (zz.member.stars.points_per_star, zz.member.stars.max_stars) == (
        10,
        10,
    )
    assert zz.unit.max_project_score.value == 30  # type: ignore[union-attr]
    assert zz.sample_share is not None and zz.sample_share.value == 0.2
    assert {k: (d.month, d.day) for k, d in zz.deadline_of.items()}["zs-member-slip"] == (10, 25)


def test_deadlines_are_the_forms_own_unless_a_policy_overrides_them_with_its_clause(tmp_path: Path) -> None:
    from baodao.form_templates.catalog import get_form

    zz = load_policy("zhengzhou-2019")
    assert zz.deadlines == {}  # declared once, in the forms' spec.yaml
    assert zz.deadline_of["zz-b1"] == get_form("zz-b1").spec.deadline
    assert "yp-a4" not in zz.deadline_of  # another jurisdiction's form
    mine = tmp_path / "本区规则.yaml"
    mine.write_text(
        zz.source.read_text(encoding="utf-8")
        + 'deadlines:\n  - {form: zz-b1, date: "04-15", rule: "本区通知：4月15日前报到"}\n',
        encoding="utf-8",
    )
    own = load_policy(str(mine)).deadline_of["zz-b1"]
    assert (own.month, own.day, own.rule) == (4, 15, "本区通知：4月15日前报到")
    form_deadline = get_form("zz-b1").spec.deadline  # docgen's due date stays the form's own
    assert form_deadline is not None and form_deadline.after(dt.date(2025, 1, 1)) == dt.date(2025, 3, 31)


def test_a_users_edited_copy_is_taken_by_path(tmp_path: Path) -> None:
    source = load_policy("zhengzhou-2019").source.read_text(encoding="utf-8")
    mine = tmp_path / "本区规则.yaml"
    mine.write_text(
        source.replace("key: zhengzhou-2019", "key: shangjie-2025").replace(
            "value: 2, rule", "value: 3, rule"
        ),
        encoding="utf-8",
    )
    policy = load_policy(str(mine))
    assert policy.key == "shangjie-2025" and policy.member.min_services_per_year.value == 3  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("  min_posts:", "  min_postz:"), r"member\.min_postz 有误：不认识的键“min_postz”"),
        (
            (
                '{value: 1, rule: "004 二（二）：每名党员要主动认领',
                '{value: one, rule: "004 二（二）：每名党员要主动认领',
            ),
            r"member\.min_posts\.value 有误：类型不对",
        ),
        (
            (
                '  max_project_score: {value: 30, rule: "003 §3.5.1：每个项目最高不应超过30分"}',
                "  max_project_score: {value: 30}",
            ),
            r"unit\.max_project_score\.rule 有误：缺少此项",
        ),
        (
            (
                "members_report_by:",
                'deadlines: [{form: zs-member-statz, date: "11-10", rule: "x"}]\nmembers_report_by:',
            ),
            r"deadlines\[0\]\.form 有误：“zs-member-statz”不是目录中的表单",
        ),
        (('date: "10-25"', 'date: "10-32"'), r"members_report_by\.date 有误：“10-32”应写成 月-日"),
    ],
)
def test_a_bad_profile_names_file_and_key(tmp_path: Path, change: tuple[str, str], message: str) -> None:
    source = load_policy("zhengzhou-2019").source.read_text(encoding="utf-8")
    assert change[0] in source
    bad = tmp_path / "bad.yaml"
    bad.write_text(source.replace(*change), encoding="utf-8")
    with pytest.raises(PolicyError, match=message) as info:
        read_policy(bad)
    assert "bad.yaml" in str(info.value)


def test_grades_threshold_must_be_a_level(tmp_path: Path) -> None:
    source = load_policy("rongcheng-2019").source.read_text(encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text(source.replace("loses_honours_from: 一般", "loses_honours_from: 中等"), encoding="utf-8")
    with pytest.raises(PolicyError, match=r"unit\.grades\.loses_honours_from 有误：“中等”不是等次之一"):
        read_policy(bad)


def test_unknown_policy_lists_the_known_ones() -> None:
    with pytest.raises(PolicyError, match="可用的规则：rongcheng-2019、yuepu-2015、zhengzhou-2019"):
        load_policy("beijing-2020")
