"""The 统计 page's tables as XLSX sheets: every row as filtered and sorted on the page."""

from __future__ import annotations

from baodao.docgen.sheets import Sheet
from baodao.tally.model import Tally
from baodao.tally.policy import load_policy
from baodao.web.tallies import Choice, community_lines, member_lines, unit_lines

MEMBER_HEADERS = ["姓名", "单位", "社区", "在名册", "已报到", "报到日期", "活动", "志愿服务", "积分", "星"]
MEMBER_HEADERS += ["问题", "依据"]
UNIT_HEADERS = ["单位", "社区", "应报到", "已报到", "报到率", "活动参与率", "缺月", "联席会", "主题党日"]
UNIT_HEADERS += ["扣分", "等次", "问题"]


def export_sheet(result: Tally, choice: Choice, table: str, title: str) -> Sheet:
    """The members', units' or communities' table as the page shows it (filtered, sorted), every row."""
    if table == "members":
        lines = member_lines(result, choice)
        return Sheet(
            "党员",
            title,
            MEMBER_HEADERS,
            [
                [
                    m.name,
                    m.unit,
                    m.community,
                    "是" if m.on_roster else "否",
                    "是" if m.reported else "否",
                    m.reported_on.isoformat() if m.reported_on else "",
                    m.activities,
                    m.services,
                    m.points,
                    m.stars,
                    "；".join(f"{p.text}（{p.status}）" for p in m.problems),
                    "；".join(p.clause for p in m.problems),
                ]
                for m in lines
            ],
            [10, 22, 14, 8, 8, 12, 8, 10, 8, 6, 50, 50],
        )
    elif table == "units":
        ulines = unit_lines(result, choice)
        return Sheet(
            "单位",
            title,
            UNIT_HEADERS,
            [
                [
                    u.name,
                    u.community,
                    u.members,
                    u.reported,
                    round(u.report_rate, 4) if u.report_rate is not None else None,
                    round(u.participation_rate, 4) if u.participation_rate is not None else None,
                    u.missed_months,
                    u.joint_meetings,
                    u.theme_days,
                    u.deduction,
                    u.grade or "",
                    "；".join(f"{p.text}（{p.status}）" for p in u.problems),
                ]
                for u in ulines
            ],
            [24, 14, 8, 8, 8, 10, 6, 8, 8, 6, 8, 50],
        )
    else:
        clines = community_lines(result, load_policy(choice.policy))
        return Sheet(
            "社区",
            title,
            ["社区", "报到单位数", "报到单位", "已报到党员", "有活动的单位占比", "问题"],
            [
                [
                    c.name,
                    len(c.units),
                    "、".join(c.units),
                    c.members_reported,
                    round(c.coverage, 4) if c.coverage is not None else None,
                    "；".join(f"{p.text}（{p.status}）" for p in c.problems),
                ]
                for c in clines
            ],
            [16, 10, 50, 10, 14, 50],
        )
