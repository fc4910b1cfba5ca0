"""Shortfalls in the words a clerk reads: the one place a `Shortfall` becomes Chinese."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from baodao.tally.model import Found, Shortfall


def _n(value: Found) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _month(period: str) -> str:
    return str(int(period.rsplit("-", 1)[1]))


def _month_day(value: Found) -> str:
    month, day = (int(p) for p in str(value).split("-"))
    return f"{month}月{day}日"


_BY_MONTH = {"monthly_activity": "月未开展活动", "community_meetings": "月未召开联席会议"}
_PHRASES: dict[str, Callable[[Shortfall], str]] = {
    "not_reported": lambda s: "未到居住地社区报到",
    "late_registration": lambda s: f"{s.found}报到，晚于{_month_day(s.required)}（{s.clause}）",
    "late_receipt": lambda s: f"回执{s.found}交回，晚于{_month_day(s.required)}（{s.clause}）",
    "activities": lambda s: f"参加活动{_n(s.found)}次，少于{_n(s.required)}次",
    "services": lambda s: f"参加志愿服务{_n(s.found)}次，少于{_n(s.required)}次",
    "credit_points": lambda s: f"信用加分{_n(s.found)}分，低于{_n(s.required)}分",
    "party_life": lambda s: f"参加组织生活或主题活动{_n(s.found)}次，少于{_n(s.required)}次",
    "posts": lambda s: f"认领岗位（服务项目）{_n(s.found)}个，少于{_n(s.required)}个",
    "intentions": lambda s: f"填报服务意向{_n(s.found)}个，少于{_n(s.required)}个",
    "monthly_activity": lambda s: _month(s.period) + _BY_MONTH["monthly_activity"],
    "joint_meetings": lambda s: f"第{s.period[-1]}季度未参加联席会",
    "theme_days": lambda s: f"{'上' if s.period.endswith('H1') else '下'}半年未组织联合主题党日",
    "practical_matters": lambda s: f"帮办实事{_n(s.found)}件，少于{_n(s.required)}件",
    "projects": lambda s: f"完成服务项目{_n(s.found)}个，少于{_n(s.required)}个",
    "teams": lambda s: f"组建志愿服务队{_n(s.found)}支，少于{_n(s.required)}支",
    "studies": lambda s: f"党组（党委）研究“双报到”工作{_n(s.found)}次，少于{_n(s.required)}次",
    "community_meetings": lambda s: _month(s.period) + _BY_MONTH["community_meetings"],
    "units_per_community": lambda s: f"报到单位{_n(s.found)}家，超过{_n(s.required)}家",
    "unknown_grade": lambda s: f"等次“{s.found}”不是本规则的等次（{s.required}）",
}
_UNCHECKED: dict[str, str] = {
    "posts": "认领岗位（服务项目）未核对：交回的表中没有记录",
    "intentions": "服务意向未核对：交回的报到证中没有记录",
}


def describe(s: Shortfall) -> str:
    """One shortfall as a clause of a sentence: “参加志愿服务1次，少于2次，年底前还需完成”."""
    if s.unchecked:
        return _UNCHECKED.get(s.kind, "未核对")
    text = _PHRASES[s.kind](s)
    return text + ("，年底前还需完成" if s.pending else "（提醒）" if s.warn_only else "")


def describe_all(shortfalls: Iterable[Shortfall]) -> list[str]:
    """Each shortfall described, the months of one kind said once (“7、8、9月未开展活动”)."""
    found = list(shortfalls)
    texts: list[str] = []
    for kind, phrase in _BY_MONTH.items():
        months = [_month(s.period) for s in found if s.kind == kind]
        if months:
            texts.append("、".join(months) + phrase)
    return texts + [describe(s) for s in found if s.kind not in _BY_MONTH]
