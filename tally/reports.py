"""`baodao report KIND`: every filing the rules ask for, written into one output folder.

Forms of the catalog go through the generator (one file each, a combined print file, PDF on request);
lists a clerk works through (抽查, 逾期) are Excel workbooks; certificates and the 先锋榜 are DOCX.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import defaultdict
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, TypeVar

from sqlalchemy import Engine

from baodao.docgen.awards import Certificate, HonourRoll, Pioneer, write_certificates, write_honour_rolls
from baodao.docgen.filing import FilingItem, write_filing
from baodao.docgen.issued import IssuedForm
from baodao.docgen.outputs import OutputFolder
from baodao.docgen.reminders import Reminder, write_reminders
from baodao.docgen.sheets import Sheet, write_sheets
from baodao.errors import PolicyError, write_failure
from baodao.form_templates.catalog import get_form
from baodao.office.pdf import convert_to_pdf
from baodao.store.register import list_issued
from baodao.tally import filings
from baodao.tally.model import MemberTally, Tally
from baodao.tally.policy import Policy

_Item = TypeVar("_Item", Certificate, HonourRoll, Reminder)
Kind = Literal[
    "summary", "feedback", "score-sheets", "stats", "spot-check", "overdue", "certificates", "honour-roll"
]
KINDS: dict[str, str] = {
    "summary": "在职党员志愿服务情况汇总表（zz-f1），每单位一份（--by community 每社区一份）",
    "feedback": "反馈通知单（zz-e），每单位一份，附该单位的汇总表",
    "score-sheets": "（半年度）积分评星登记表（zz-d1），每名有活动的党员一份",
    "stats": "在职党员到居住地社区统计表（zs-member-stats），每单位一份",
    "spot-check": "实地走访抽查名单（每单位不少于规定比例，随机抽取，可复现）",
    "overdue": "逾期未交回的表单和未报到的党员（Excel）",
    "certificates": "十星级党员志愿者荣誉证书",
    "honour-roll": "先锋榜（每社区一页）",
}


@dataclass
class ReportOptions:
    out: Path
    pdf: bool = False
    force: bool = False
    by: Literal["unit", "community"] = "unit"
    issuer: str | None = None
    issued_on: dt.date | None = None
    # The offices whose register entries the overdue list reads (None: every office's, as the CLI does).
    offices: Collection[int] | None = None
    progress: Callable[[int], object] = lambda n: None  # one per form written


@dataclass
class ReportResult:
    kind: str
    files: list[Path] = field(default_factory=list)
    count: int = 0  # forms, lines or pages written


def write_report(
    kind: str, engine: Engine, policy: Policy, result: Tally, options: ReportOptions
) -> ReportResult:
    """Write the filing ``kind`` for ``result`` into ``options.out``."""
    writers: dict[str, Callable[[Engine, Policy, Tally, ReportOptions], ReportResult]] = {
        "summary": _summary,
        "feedback": _feedback,
        "score-sheets": _score_sheets,
        "stats": _stats,
        "spot-check": _spot_check,
        "overdue": _overdue,
        "certificates": _certificates,
        "honour-roll": _honour_roll,
    }
    if kind not in writers:
        raise PolicyError(f"没有“{kind}”这种报表；可用的：{'、'.join(KINDS)}")
    try:
        return writers[kind](engine, policy, result, options)
    except OSError as exc:  # a full disk or a folder without permission: said in words, nothing half-written
        raise write_failure(Path(exc.filename) if exc.filename else options.out, exc) from exc


def _forms(
    kind: str, key: str, items: list[FilingItem], options: ReportOptions, attach: str | None = None
) -> ReportResult:
    if not items:
        raise PolicyError(f"没有可填写的{KINDS[kind].split('（')[0]}：统计结果中没有相应的党员或单位")
    written = write_filing(
        get_form(key),
        items,
        options.out,
        attachment=get_form(attach) if attach else None,
        pdf=options.pdf,
        force=options.force,
        progress=options.progress,
    )
    files = [*written.files, *(p for p in (written.combined_docx, written.combined_pdf) if p is not None)]
    return ReportResult(kind, files, len(items))


def _summary(engine: Engine, policy: Policy, result: Tally, options: ReportOptions) -> ReportResult:
    return _forms("summary", "zz-f1", filings.summaries(result, policy, options.by), options)


def _feedback(engine: Engine, policy: Policy, result: Tally, options: ReportOptions) -> ReportResult:
    if not options.issuer:
        raise PolicyError(
            "反馈通知单要写明发文的组织部门：请加 --issuer，如 --issuer 中共郑州市上街区委组织部"
        )
    issued_on = options.issued_on or result.as_of
    return _forms(
        "feedback", "zz-e", filings.feedback(result, policy, options.issuer, issued_on), options, "zz-f1"
    )


def _score_sheets(engine: Engine, policy: Policy, result: Tally, options: ReportOptions) -> ReportResult:
    return _forms("score-sheets", "zz-d1", filings.score_sheets(engine, result, policy), options)


def _stats(engine: Engine, policy: Policy, result: Tally, options: ReportOptions) -> ReportResult:
    return _forms(
        "stats", "zs-member-stats", filings.member_stats(result, options.issued_on or result.as_of), options
    )


def spot_check_sample(result: Tally, policy: Policy) -> dict[str, list[MemberTally]]:
    """Per unit, the members to visit: at least the policy's share of those who reported, drawn at random
    from a seed made of policy, year and unit, so the same tally always draws the same names."""
    share = policy.sample_share
    if share is None:
        raise PolicyError(f"规则 {policy.key} 没有规定抽查比例")
    by_unit: dict[str, list[MemberTally]] = defaultdict(list)
    for m in result.members:
        if m.reported:
            by_unit[m.unit].append(m)
    drawn = {}
    for unit, members in sorted(by_unit.items()):
        count = math.ceil(share.value * len(members) - 1e-9)
        chooser = random.Random(f"{policy.key}|{result.period.year}|{unit}")
        picked = set(chooser.sample(range(len(members)), count))
        drawn[unit] = [m for i, m in enumerate(members) if i in picked]
    return drawn


def _spot_check(engine: Engine, policy: Policy, result: Tally, options: ReportOptions) -> ReportResult:
    drawn = spot_check_sample(result, policy)
    rows = [
        [unit, m.name, m.community, m.activities, None, None, None]
        for unit, members in drawn.items()
        for m in members
    ]
    share = policy.sample_share
    cited = f"{share.value:.0%}，{share.rule}" if share else ""
    title = f"{result.period.year}年在职党员实地走访抽查名单（每单位不少于已报到党员的{cited}）"
    headers = ["单位", "姓名", "居住地社区", "参加活动次数", "走访日期", "走访人", "核实情况"]
    sheet = Sheet("抽查名单", title, headers, rows, (26, 10, 14, 12, 12, 10, 30))
    return _sheets("spot-check", f"抽查名单-{result.period.label}.xlsx", [sheet], options, len(rows))


def _overdue(engine: Engine, policy: Policy, result: Tally, options: ReportOptions) -> ReportResult:
    late = list_issued(engine, overdue_on=result.as_of, office_ids=options.offices)
    forms = [
        [
            e.form_key,
            get_form(e.form_key).spec.title,
            e.form_id,
            e.recipient,
            e.issuing_org,
            e.issue_date.isoformat(),
            e.due_date.isoformat() if e.due_date else None,
            (result.as_of - e.due_date).days if e.due_date else None,
        ]
        for e in late
    ]
    unreported = [
        [m.unit, m.name, m.community, m.member_no, "；".join(m.notes) or None]
        for m in result.members
        if not m.reported
    ]
    sheets = [
        Sheet(
            "逾期未交回",
            f"截至{result.as_of:%Y年%m月%d日}逾期未交回的表单（{len(forms)}份）",
            ["表单", "名称", "编号", "发给", "发放单位", "发放日期", "应交回日期", "逾期天数"],
            forms,
            (14, 28, 16, 10, 20, 12, 12, 10),
        ),
        Sheet(
            "未报到党员",
            f"{result.period.label}未报到的党员（{len(unreported)}人，截至{result.as_of:%Y年%m月%d日}）",
            ["单位", "姓名", "名册中的社区", "编号", "说明"],
            unreported,
            (26, 10, 14, 16, 40),
        ),
    ]
    written = _sheets(
        "overdue",
        f"逾期和未报到-{result.as_of.isoformat()}.xlsx",
        sheets,
        options,
        len(forms) + len(unreported),
    )
    slips = reminders(late, result, options)
    if slips:
        written.files += _document(
            "overdue", f"催交提醒-{result.as_of.isoformat()}.docx", write_reminders, slips, options
        ).files
    return written


def reminders(late: list[IssuedForm], result: Tally, options: ReportOptions) -> list[Reminder]:
    """A 催交提醒 for each overdue form and each member not reported: what, by when, what to do."""
    day = _printed(options.issued_on or result.as_of)
    units: dict[str, set[str]] = defaultdict(set)
    for m in result.members:
        units[m.name].add(m.unit)
    slips = []
    for e in late:
        title = get_form(e.form_key).spec.title
        known = units.get(e.recipient, set())
        late_days = (result.as_of - e.due_date).days if e.due_date else 0
        slips.append(
            Reminder(
                e.recipient,
                next(iter(known)) if len(known) == 1 else "",  # a name two units share says neither
                title,
                e.form_id,
                _printed(e.due_date) if e.due_date else "",
                f"您的《{title}》已逾期{late_days}天未交回，请填好后尽快交回{e.issuing_org}；"
                "如已交回，请告知我们核对。",
                options.issuer or e.issuing_org,
                day,
            )
        )
    for m in result.members:
        if not m.reported:
            where = m.community or "居住地社区"
            slips.append(
                Reminder(
                    m.name,
                    m.unit,
                    "到居住地社区报到",
                    m.member_no or "",
                    "",
                    f"您尚未到{where}报到，请持《在职党员社区报到证》到社区党组织报到，并参加志愿服务活动。",
                    options.issuer or f"{m.unit}党组织",
                    day,
                )
            )
    return slips


def _sheets(kind: str, name: str, sheets: list[Sheet], options: ReportOptions, count: int) -> ReportResult:
    pdf_name = name.replace(".xlsx", ".pdf")
    OutputFolder(options.out, options.force).claim([name, pdf_name])
    files = [write_sheets(sheets, options.out / name)]
    if options.pdf:
        files += convert_to_pdf(files, options.out)  # every sheet, landscape, one page wide
    return ReportResult(kind, files, count)


def _printed(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _ten_stars(result: Tally, policy: Policy) -> tuple[int, list[MemberTally]]:
    half = filings.needs_half(result, policy, "十星荣誉证书")
    top = policy.member.stars.max_stars if policy.member.stars else 10
    return half, [m for m in result.members if m.stars_by_half.get(half, 0) >= top]


def _certificates(engine: Engine, policy: Policy, result: Tally, options: ReportOptions) -> ReportResult:
    half, stars = _ten_stars(result, policy)
    if not stars:
        raise PolicyError(f"{result.period.label}没有十星级党员志愿者，没有荣誉证书可印")
    day = _printed(options.issued_on or result.as_of)
    certificates = [
        Certificate(
            m.name,
            m.unit,
            result.period.label,
            m.points_by_half.get(half, 0),
            options.issuer or f"中共{m.community}委员会",
            day,
        )
        for m in stars
    ]
    return _document(
        "certificates", f"十星荣誉证书-{result.period.label}.docx", write_certificates, certificates, options
    )


def _honour_roll(engine: Engine, policy: Policy, result: Tally, options: ReportOptions) -> ReportResult:
    half = filings.needs_half(result, policy, "先锋榜")
    by_community: dict[str, list[Pioneer]] = defaultdict(list)
    for m in result.members:
        stars = m.stars_by_half.get(half, 0)
        if stars and m.reported:
            by_community[m.community].append(Pioneer(m.name, m.unit, m.points_by_half.get(half, 0), stars))
    if not by_community:
        raise PolicyError(f"{result.period.label}没有评上星级的党员，先锋榜是空的")
    day = _printed(options.issued_on or result.as_of)
    rolls = [
        HonourRoll(
            c,
            result.period.label,
            sorted(p, key=lambda x: (-x.stars, -x.points, x.name)),
            options.issuer or f"中共{c}委员会",
            day,
        )
        for c, p in sorted(by_community.items())
    ]
    return _document("honour-roll", f"先锋榜-{result.period.label}.docx", write_honour_rolls, rolls, options)


def _document(
    kind: str,
    name: str,
    writer: Callable[[list[_Item], Path], Path],
    items: list[_Item],
    options: ReportOptions,
) -> ReportResult:
    pdf_name = name.replace(".docx", ".pdf")
    OutputFolder(options.out, options.force).claim([name, pdf_name])
    files = [writer(items, options.out / name)]
    if options.pdf:
        files += convert_to_pdf(files, options.out)
    return ReportResult(kind, files, len(items))
