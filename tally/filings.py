"""The records a tally files upward, shaped for the catalog's forms (汇总表, 反馈通知单, 登记表, 统计表).

Each builder turns a `Tally` into typed records of one form; `tally.reports` hands them to the generator.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from baodao.docgen.filing import FilingItem
from baodao.errors import PolicyError, StorageError
from baodao.form_templates.spec import Record
from baodao.tally.model import MemberTally, Tally
from baodao.tally.policy import Policy
from baodao.tally.queries import activity_rows
from baodao.tally.wording import describe


def ident(result: Tally, *parts: str) -> str:
    """A filing's id: its period and a digest of what it is about (“2025H1-3F9A2C”), stable across runs."""
    period = f"{result.period.year}" + (f"H{result.period.half}" if result.period.half else "")
    digest = hashlib.sha256("|".join(parts).encode("utf-8")).hexdigest()[:6].upper()
    return f"{period}-{digest}"


def needs_half(result: Tally, policy: Policy, what: str) -> int:
    """The half a star-bearing filing is for: stars are settled each half year where the policy says so."""
    stars = policy.member.stars
    if stars is None:
        raise PolicyError(f"规则 {policy.key} 不评星，没有{what}")
    if stars.settle == "half_year" and result.period.half is None:
        raise PolicyError(f"{what}按半年填写（{stars.rule}）：请加 --half 1 或 --half 2")
    return result.period.half or 0


def comment(m: MemberTally, judged: bool) -> str:
    """The 社区评语 a summary prints: what the member did, or what is missing, in one sentence.

    ``judged``: the period is a whole year that is over, so meeting the yearly minimums can be said."""
    if not m.reported:
        return "未按要求到社区报到，请单位督促。"
    missing = [describe(s) for s in m.shortfalls if s.counts]
    if missing:
        return "；".join(missing) + "，请单位督促。"
    if not m.activities:
        return "本期未参加志愿服务，请单位督促。"
    return f"参加志愿服务{m.activities}次，积分{m.points}分" + ("，达到要求。" if judged else "。")


def _summary_rows(
    members: Iterable[MemberTally], half: int, judged: bool
) -> list[dict[str, str | int | None]]:
    return [
        {
            "name": m.name,
            "reported": "是" if m.reported else "否",
            "points": m.points_by_half.get(half, 0) if half else m.points,
            "stars": m.stars_by_half.get(half, 0),
            "comment": comment(m, judged),
        }
        for m in members
    ]


def summaries(result: Tally, policy: Policy, by: str = "unit") -> list[FilingItem]:
    """zz-f1 汇总表: one per unit (its members, whatever their community) or one per community."""
    half = needs_half(result, policy, "汇总表的评星情况")
    judged = result.period.half is None and result.as_of >= result.period.end
    groups: dict[str, list[MemberTally]] = defaultdict(list)
    for m in result.members:
        groups[m.unit if by == "unit" else (m.community or "未报到")].append(m)
    items = []
    for name, members in sorted(groups.items()):
        others = sorted({(m.community or "未报到") if by == "unit" else m.unit for m in members})
        record: Record = {
            "unit_org": name if by == "unit" else "、".join(others),
            "community_org": "、".join(others) if by == "unit" else name,
            "period": result.period.label,
            "members": _summary_rows(members, half, judged),  # type: ignore[dict-item]
        }
        items.append(FilingItem(record, ident(result, "zz-f1", by, name), name))
    return items


def feedback(result: Tally, policy: Policy, issuer: str, issued_on: dt.date) -> list[FilingItem]:
    """zz-e 反馈通知单 to each unit, with that unit's own zz-f1 attached (003 附录E, §5.3.1)."""
    letters = []
    for item in summaries(result, policy, "unit"):
        record: Record = {"addressee": f"{item.who}党组织", "issuer": issuer, "issued_on": issued_on}
        letters.append(FilingItem(record, item.ident, item.who, attachment=item.record))
    return letters


def score_sheets(engine: Engine, result: Tally, policy: Policy) -> list[FilingItem]:
    """zz-d1 积分评星登记表: one per member with activities in the half year, rows as counted."""
    half = needs_half(result, policy, "积分评星登记表")
    rows = _activity_rows(engine, result, policy)
    items = []
    for m in result.members:
        services = rows.get(m.person_id, [])
        if not services:
            continue
        record: Record = {
            "half_year": result.period.label,
            "name": m.name,
            "employer_and_post": m.unit,
            "services": services,  # type: ignore[dict-item]
            "half_year_points": m.points_by_half.get(half, 0),
            "half_year_stars": m.stars_by_half.get(half, 0),
        }
        items.append(FilingItem(record, ident(result, "zz-d1", m.unit, m.name), m.name))
    return items


def _activity_rows(engine: Engine, result: Tally, policy: Policy) -> dict[int, list[dict[str, object]]]:
    try:
        with engine.connect() as conn:
            rows = activity_rows(
                conn, result.period, policy.member.points, [m.person_id for m in result.members]
            )
    except SQLAlchemyError as exc:
        raise StorageError(f"无法读取活动记录：{exc}") from exc
    return {
        pid: [
            {"served_on": on, "content": content or "志愿服务", "points": points}
            for on, content, points in acts
        ]
        for pid, acts in rows.items()
    }


def _remark(m: MemberTally) -> str | None:
    """A 备注 short enough for its narrow column: what the 是否报到 and 参加次数 columns do not say."""
    if any(s.counts and s.kind != "not_reported" for s in m.shortfalls):
        return "未达最低要求"
    if any("迁居" in note for note in m.notes):
        return "迁居，待重新报到" if m.reported else "迁居后未报到"
    return None


def member_stats(result: Tally, filled_on: dt.date) -> list[FilingItem]:
    """zs-member-stats 统计表: one per unit, a line per member (004 31号)."""
    groups: dict[str, list[MemberTally]] = defaultdict(list)
    for m in result.members:
        groups[m.unit].append(m)
    items = []
    for unit, members in sorted(groups.items()):
        lines = [
            {
                "number": i,
                "name": m.name,
                "community": m.community,
                "reported": "是" if m.reported else "否",
                "times": m.activities,
                "remarks": _remark(m),
            }
            for i, m in enumerate(members, start=1)
        ]
        record: Record = {"unit": unit, "members": lines, "filled_on": filled_on}  # type: ignore[dict-item]
        items.append(FilingItem(record, ident(result, "zs-member-stats", unit), unit))
    return items
