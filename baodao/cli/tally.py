"""`baodao tally`, `report`, `roster load`, `ledger import`: who has reported, who is short, the filings."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import click

from baodao.cli.columns import table
from baodao.cli.common import DB_HELP, progress_bar
from baodao.store.db import connect
from baodao.tally.compute import tally
from baodao.tally.ledger import import_ledger
from baodao.tally.model import MemberTally, Tally, UnitTally
from baodao.tally.period import Period
from baodao.tally.policy import load_policy
from baodao.tally.reports import KINDS, ReportOptions, write_report
from baodao.tally.roster import load_roster

_MISSED_MONTH = re.compile(r"\d+月未开展活动")
POLICY_HELP = "规则：内置规则的名称（见 baodao policies），或自己修改后的规则文件路径。"


def _stars(m: MemberTally) -> str:
    if not m.stars_by_half:
        return "—"
    return "/".join(f"{s}星" for _, s in sorted(m.stars_by_half.items()))


def _rate(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def _member_rows(members: list[MemberTally]) -> list[list[str]]:
    return [
        [
            m.unit,
            m.name,
            m.community or "—",
            "是" if m.reported else "否",
            str(m.activities),
            str(m.points),
            _stars(m),
            "；".join([str(s) for s in m.shortfalls] + m.notes) or "达标",
        ]
        for m in members
    ]


def _unit_rows(units: list[UnitTally]) -> list[list[str]]:
    return [
        [
            u.name,
            u.community or "—",
            f"{u.reported}/{u.members}",
            _rate(u.report_rate),
            str(sum(u.activities_by_month.values())),
            f"{u.deduction:g}" if u.deduction else "—",
            u.grade or "—",
            "；".join(_unit_problems(u)) or "达标",
        ]
        for u in units
    ]


def _unit_problems(u: UnitTally) -> list[str]:
    """The unit's shortfalls, the missed months said once (“7、8、9月未开展活动”), then its consequence."""
    months = [s.what.removesuffix("月未开展活动") for s in u.shortfalls if _MISSED_MONTH.fullmatch(s.what)]
    texts = [f"{'、'.join(months)}月未开展活动"] if months else []
    texts += [str(s) for s in u.shortfalls if not _MISSED_MONTH.fullmatch(s.what)]
    return texts + ([u.consequence] if u.consequence else [])


def _print(result: Tally, everyone: bool) -> None:
    members = result.members
    reported = sum(1 for m in members if m.reported)
    met = sum(1 for m in members if m.minimum_met)
    click.echo(f"规则 {result.policy}　{result.period.label}（统计到 {result.as_of}）")
    not_reported, short = len(members) - reported, len(members) - met
    click.echo(
        f"党员 {len(members)} 人：已报到 {reported}，未报到 {not_reported}；达标 {met}，未达标 {short}"
    )
    shown = members if everyone else [m for m in members if m.shortfalls or m.notes]
    title = "全部党员" if everyone else "未报到、未达标或需留意的党员（--all 列出全部）"
    click.echo(f"\n== {title}：{len(shown)} 人")
    if shown:
        headers = ["单位", "姓名", "社区", "报到", "活动", "积分", "星级", "问题"]
        for line in table(headers, _member_rows(shown)):
            click.echo(line)
    click.echo(f"\n== 单位：{len(result.units)} 个")
    headers = ["单位", "社区", "报到", "报到率", "活动", "扣分", "等次", "问题"]
    for line in table(headers, _unit_rows(result.units)):
        click.echo(line)
    click.echo(f"\n== 社区：{len(result.communities)} 个")
    rows = [
        [
            c.name,
            str(len(c.units)),
            _rate(c.coverage),
            str(c.members_reported),
            "；".join(map(str, c.shortfalls)) or "—",
        ]
        for c in result.communities
    ]
    for line in table(["社区", "报到单位", "单位活动覆盖", "报到党员", "提醒"], rows):
        click.echo(line)


@click.command(name="tally")
@click.option("--policy", "policy_key", required=True, help=POLICY_HELP)
@click.option("--year", type=int, required=True, help="统计年度，如 2025。")
@click.option(
    "--half", type=click.IntRange(1, 2), help="只统计上半年（1）或下半年（2）；积分评星每半年清算一次。"
)
@click.option("--unit", help="只统计这个单位。")
@click.option(
    "--today", type=click.DateTime(["%Y-%m-%d"]), help="按这一天统计（默认今天）：未过完的月份、季度不算缺。"
)
@click.option("--all", "everyone", is_flag=True, help="列出全部党员，而不只是有问题的。")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出每一个数字。")
@click.option("--db", help=DB_HELP)
def tally_command(
    policy_key: str,
    year: int,
    half: int | None,
    unit: str | None,
    today: dt.datetime | None,
    everyone: bool,
    as_json: bool,
    db: str | None,
) -> None:
    """按一套规则统计：谁报到了、谁没报到、谁的活动次数或积分不够，单位和社区的情况。"""
    policy = load_policy(policy_key)
    with progress_bar("整理交回的表单") as advance:
        result = tally(
            connect(db), policy, Period(year, half), today.date() if today else None, unit, advance
        )
    if as_json:
        click.echo(json.dumps(result.as_json(), ensure_ascii=False, indent=2, default=str))
        return
    _print(result, everyone)


@click.group(name="roster")
def roster() -> None:
    """党员名册：应报到的党员（报到率的分母，未报到提醒的名单）。"""


@roster.command(name="load")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--db", help=DB_HELP)
def roster_load(path: Path, db: str | None) -> None:
    """读入名册（Excel/CSV/JSON/YAML，列名：姓名、工作单位及职务、所属社区，可选 编号、迁居日期）。"""
    result = load_roster(connect(db), path)
    for problem in result.problems:
        click.echo(str(problem), err=True)
    click.echo(
        f"名册 {path.name}：{result.members} 人（新增 {result.added} 人）；{len(result.problems)} 行有问题"
    )


@click.group(name="ledger")
def ledger() -> None:
    """活动台账：社区或单位记的活动，一行一次。"""


@ledger.command(name="import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--db", help=DB_HELP)
def ledger_import(paths: tuple[Path, ...], db: str | None) -> None:
    """读入活动台账（列名：日期、姓名、单位、社区、类别、内容、积分）；同一行不会重复计入。"""
    engine = connect(db)
    for path in paths:
        result = import_ledger(engine, path)
        for problem in result.problems:
            click.echo(str(problem), err=True)
        already = result.stored is not None and result.stored.already
        note = "（这个文件已读入过，未重复计入）" if already else ""
        click.echo(f"台账 {path.name}：读入 {result.rows} 行{note}；{len(result.problems)} 行有问题")


@click.command(name="report")
@click.argument("kind", type=click.Choice(list(KINDS)), metavar="KIND")
@click.option("--policy", "policy_key", required=True, help=POLICY_HELP)
@click.option("--year", type=int, required=True, help="统计年度，如 2025。")
@click.option("--half", type=click.IntRange(1, 2), help="上半年（1）或下半年（2）；评星类报表必填。")
@click.option("--unit", help="只为这个单位出报表。")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), help="按这一天统计（默认今天）。")
@click.option("--out", type=click.Path(path_type=Path), required=True, help="输出文件夹。")
@click.option(
    "--by",
    type=click.Choice(["unit", "community"]),
    default="unit",
    show_default=True,
    help="汇总表每单位一份或每社区一份。",
)
@click.option("--issuer", help="发文或颁发的组织，如 中共郑州市上街区委组织部（反馈通知单必填）。")
@click.option("--date", "issued_on", type=click.DateTime(["%Y-%m-%d"]), help="落款日期（默认统计日）。")
@click.option("--pdf", is_flag=True, help="同时用 LibreOffice 生成可打印的 PDF。")
@click.option("--force", is_flag=True, help="允许覆盖输出文件夹中不是 baodao 生成的同名文件。")
@click.option("--db", help=DB_HELP)
def report_command(
    kind: str,
    policy_key: str,
    year: int,
    half: int | None,
    unit: str | None,
    today: dt.datetime | None,
    out: Path,
    by: str,
    issuer: str | None,
    issued_on: dt.datetime | None,
    pdf: bool,
    force: bool,
    db: str | None,
) -> None:
    """按规则统计后出报表：汇总表、反馈通知单、登记表、统计表、抽查名单等。

    KIND 是下列之一：

    \b
    summary       汇总表（zz-f1）
    feedback      反馈通知单（zz-e），附该单位汇总表
    score-sheets  积分评星登记表（zz-d1）
    stats         到居住地社区统计表（zs-member-stats）
    spot-check    实地走访抽查名单（Excel）
    overdue       逾期未交回和未报到名单（Excel）
    certificates  十星荣誉证书
    honour-roll   先锋榜
    """
    policy = load_policy(policy_key)
    engine = connect(db)
    with progress_bar("整理交回的表单") as advance:
        result = tally(engine, policy, Period(year, half), today.date() if today else None, unit, advance)
    options = ReportOptions(
        out,
        pdf,
        force,
        "community" if by == "community" else "unit",
        issuer,
        issued_on.date() if issued_on else None,
    )
    with progress_bar("填写报表") as advance:
        options.progress = advance
        written = write_report(kind, engine, policy, result, options)
    for path in written.files:
        click.echo(f"已写入 {path}")
    click.echo(f"{KINDS[kind]}：{written.count} 份/行，{len(written.files)} 个文件")
