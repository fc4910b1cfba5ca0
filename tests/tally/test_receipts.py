"""Yuepu's 回执 by 8 July (002 二、1–2): handed in on the day is on time, a day later is a reminder."""

from __future__ import annotations

import datetime as dt

from baodao.tally.compute import tally
from baodao.tally.period import Period
from baodao.tally.policy import load_policy
from baodao.tally.receipts import receipt_forms
from baodao.tally.wording import describe

from .conftest import Returns

YUEPU = load_policy("yuepu-2015")
ZHENGZHOU = load_policy("zhengzhou-2019")
CLAUSE = "002 二、1–2：回执单于7月8日前交上级（所在单位）党组织存档"


def _slip(returns: Returns, name: str, reported: str, handed: dt.datetime) -> None:
    """A 党员与村居党组织联系报到单 (yp-a4) whose 回执 reached the unit's Party organization at ``handed``."""
    fields = {
        "member_name": name,
        "member_organization": "宝钢股份党支部",
        "addressee_organization": "月浦八村党总支",
        "receipt_received_on": reported,
    }
    returns.add("yp-a4", fields, f"YP4-{name}", mtime=handed)


def test_a_members_receipt_is_late_after_the_8th_of_july(returns: Returns) -> None:
    _slip(returns, "吴静", "2015-06-20", dt.datetime(2015, 7, 8, 17, 30))  # on the day: on time
    _slip(returns, "周敏", "2015-06-25", dt.datetime(2015, 7, 9, 9, 0))  # a day later
    found = tally(returns.engine, YUEPU, Period(2015), dt.date(2015, 12, 31))
    people = {m.name: m for m in found.members}
    assert [s for s in people["吴静"].shortfalls if s.kind == "late_receipt"] == []
    [late] = [s for s in people["周敏"].shortfalls if s.kind == "late_receipt"]
    assert (late.period, late.found, late.required, late.rule, late.clause) == (
        "2015",
        "2015-07-09",
        "07-08",
        "receipts_due",
        CLAUSE,
    )
    assert late.status == "warning" and not late.counts
    assert describe(late) == f"回执2015-07-09交回，晚于7月8日（{CLAUSE}）（提醒）"
    # A reminder: both reported on time, and the late 回执 does not undo what 周敏 met.
    assert people["吴静"].minimum_met == people["周敏"].minimum_met
    assert not [s for m in people.values() for s in m.shortfalls if s.kind == "late_registration"]
    # Seen on 8 July, the 回执 handed in on the 9th is not there yet.
    before = tally(returns.engine, YUEPU, Period(2015), dt.date(2015, 7, 8))
    assert not [s for m in before.members for s in m.shortfalls if s.kind == "late_receipt"]


def test_a_units_receipt_is_late_after_the_8th_of_july_and_only_under_yuepu(returns: Returns) -> None:
    unit = "上海钢月浦资产经营有限责任公司本部支部"
    fields = {"unit_organization_name": unit, "addressee_organization": "月浦八村党总支"}
    returns.add("yp-a1", {**fields, "receipt_received_on": "2015-06-24"}, "YP1-1", dt.datetime(2015, 7, 10))
    assert receipt_forms(YUEPU) == ["yp-a1", "yp-a4"]
    [found] = [u for u in tally(returns.engine, YUEPU, Period(2015), dt.date(2015, 12, 31)).units]
    [late] = [s for s in found.shortfalls if s.kind == "late_receipt"]
    assert (late.found, late.required, late.status) == ("2015-07-10", "07-08", "warning")
    # Zhengzhou sets no day for 回执: nothing is said about them.
    other = tally(returns.engine, ZHENGZHOU, Period(2015), dt.date(2015, 12, 31))
    assert not [s for u in other.units for s in u.shortfalls if s.kind == "late_receipt"]
