"""Units and communities spelled as different forms spell them come out the same."""

from __future__ import annotations

import pytest

from baodao.tally.names import community_key, member_key, unit_key, unit_of


@pytest.mark.parametrize(
    ("written", "unit"),
    [
        ("郑州市卫生健康委员会", "郑州市卫生健康委员会"),  # a unit's own 委员会 stays
        ("中共郑州市卫生健康委员会机关委员会", "郑州市卫生健康委员会"),
        ("郑州市卫生健康委员会党委", "郑州市卫生健康委员会"),
        ("郑州市中心血站党支部", "郑州市中心血站"),
        ("宝钢股份 党总支", "宝钢股份"),
        ("中共荣成市财政局支部委员会", "荣成市财政局"),
    ],
)
def test_unit_key(written: str, unit: str) -> None:
    assert unit_key(written) == unit


@pytest.mark.parametrize(
    ("written", "community"),
    [
        ("中共上街区济源路街道新安社区委员会", "新安社区"),
        ("新安社区", "新安社区"),
        ("月浦八村党总支", "月浦八村"),
        ("香河社区党委", "香河社区"),
    ],
)
def test_community_key(written: str, community: str) -> None:
    assert community_key(written) == community


def test_a_member_is_unit_and_name_and_the_unit_is_before_the_post() -> None:
    assert unit_of("郑州市中心血站 副科长") == "郑州市中心血站"
    assert unit_of("郑州市中心血站\u3000副科长") == "郑州市中心血站"
    assert member_key(" 张 洋", "郑州市中心血站党支部") == "郑州市中心血站|张洋"


@pytest.mark.parametrize(
    ("written", "points"), [(5, 5), ("5", 5), ("8分", 8), ("+3", 3), (6.0, 6), ("五分", None), ("", None)]
)
def test_points_as_people_write_them(written: object, points: int | None) -> None:
    from baodao.tally.facts import _points

    assert _points(written) == points
