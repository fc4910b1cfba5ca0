"""`baodao tally`, `report`, `roster load`, `ledger import`: who has reported, who is short, the filings."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path

import click
from sqlalchemy import Engine

from baodao.cli.columns import table
from baodao.cli.common import DB_HELP, progress_bar
from baodao.errors import DataError
from baodao.store.db import connect
from baodao.store.offices import DEFAULT_OFFICE, all_offices
from baodao.tally.compute import tally
from baodao.tally.ledger import ALIASES as LEDGER_COLUMNS
from baodao.tally.ledger import import_ledger, list_imports, undo_import
from baodao.tally.model import MemberTally, Tally, UnitTally
from baodao.tally.period import Period
from baodao.tally.policy import load_policy
from baodao.tally.reports import KINDS, ReportOptions, write_report
from baodao.tally.roster import load_roster
from baodao.tally.wording import describe, describe_all

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
            "；".join(describe_all(m.shortfalls) + m.notes) or "达标",
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
            _rate(u.participation_rate),
            str(sum(u.activities_by_month.values())),
            f"{u.deduction:g}" if u.deduction else "—",
            u.grade or "—",
            "；".join(_unit_problems(u)) or "达标",
        ]
        for u in units
    ]


def _unit_problems(u: UnitTally) -> list[str]:
    """The unit's shortfalls, the missed months said once (“7、8、9月未开展活动”), then its consequence."""
    return describe_all(u.shortfalls) + ([u.consequence] if u.consequence else [])


def _print(result: Tally, everyone: bool) -> None:
    members = result.members
    reported = sum(1 for m in members if m.reported)
    met = sum(1 for m in members if m.minimum_met)
    click.echo(f"规则 {result.policy}　{result.period.label}（统计到 {result.as_of}）")
    not_reported, short = len(members) - reported, len(members) - met
    click.echo(
        f"党员 {len(members)} 人：已报到 {reported}，未报到 {not_reported}；达标 {met}，未达标 {short}"
    )
    # A rule no returned form can decide (未核对) is counted here, not repeated on every member's line.
    unchecked = Counter(describe(s) for m in members for s in m.shortfalls if s.unchecked)
    for said, count in sorted(unchecked.items()):
        click.echo(f"{said}：{count} 人")
    needs = [m for m in members if m.notes or any(not s.unchecked for s in m.shortfalls)]
    shown = members if everyone else needs
    title = "全部党员" if everyone else "未报到、未达标或需留意的党员（--all 列出全部）"
    click.echo(f"\n== {title}：{len(shown)} 人")
    if shown:
        headers = ["单位", "姓名", "社区", "报到", "活动", "积分", "星级", "问题"]
        for line in table(headers, _member_rows(shown)):
            click.echo(line)
    click.echo(f"\n== 单位：{len(result.units)} 个")
    headers = ["单位", "社区", "报到", "报到率", "参与率", "活动", "扣分", "等次", "问题"]
    for line in table(headers, _unit_rows(result.units)):
        click.echo(line)
    click.echo(f"\n== 社区：{len(result.communities)} 个")
    rows = [
        [
            c.name,
            str(len(c.units)),
            _rate(c.coverage),
            str(c.members_reported),
            "；".join(describe_all(c.shortfalls)) or "—",
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
@click.option(
    "--json", "as_json", is_flag=True, help="以 JSON 输出每一个数字和每一条未达标（结构见 README）。"
)
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
        click.echo(json.dumps(result.as_json(describe), ensure_ascii=False, indent=2, default=str))
        return
    _print(result, everyone)


@click.group(name="roster")
def roster() -> None:
    """党员名册：应报到的党员（报到率的分母，未报到提醒的名单）。"""


SHEET_HELP = "读 Excel 文件中的哪个工作表（默认第一个）。"


OFFICE_HELP = "读入到哪个组织（编号见 baodao orgs list；默认本级，编号 1）：该组织的统计计入这些人。"


def _office(engine: Engine, office_id: int) -> int:
    known = {o.id: o for o in all_offices(engine)}
    if office_id not in known:
        listed = "、".join(f"{o.id} {o.name}" for o in known.values())
        raise DataError(f"没有编号为 {office_id} 的组织（已有：{listed}；见 baodao orgs list）")
    return office_id


@roster.command(name="load")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--sheet", help=SHEET_HELP)
@click.option("--office", "office_id", type=int, default=DEFAULT_OFFICE, help=OFFICE_HELP)
@click.option("--db", help=DB_HELP)
def roster_load(path: Path, sheet: str | None, office_id: int, db: str | None) -> None:
    """读入名册（Excel/CSV/JSON/YAML，列名：姓名、工作单位及职务、所属社区，可选 编号、迁居日期）。"""
    engine = connect(db)
    result = load_roster(engine, path, sheet, _office(engine, office_id))
    for problem in result.problems:
        click.echo(str(problem), err=True)
    click.echo(
        f"名册 {path.name}：{result.members} 人（新增 {result.added} 人）；{len(result.problems)} 行有问题"
    )


@click.group(name="ledger")
def ledger() -> None:
    """活动台账：社区或单位记的活动，一行一次。"""


_TITLES = "\n".join(f"  {'、'.join(names)}" for names in LEDGER_COLUMNS.values())
LEDGER_IMPORT_HELP = f"""读入活动台账；同一次活动不会重复计入。

\b
认得的列名（每行是一列的几种写法，顺序不限，须有日期和单位）：
{_TITLES}

一行是哪次活动，看日期、单位和姓名、社区、活动类别，不看列名、列的顺序、序号或行号：再次读入同样的活动
（同一文件、更长的台账、换了列名的副本）不会重复计入；同一次活动而内容或积分不同的，按更正计入并列出，请核对。"""


@ledger.command(name="import", help=LEDGER_IMPORT_HELP)
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--sheet", help=SHEET_HELP)
@click.option("--office", "office_id", type=int, default=DEFAULT_OFFICE, help=OFFICE_HELP)
@click.option("--db", help=DB_HELP)
def ledger_import(paths: tuple[Path, ...], sheet: str | None, office_id: int, db: str | None) -> None:
    engine = connect(db)
    _office(engine, office_id)
    for path in paths:
        result = import_ledger(engine, path, sheet, office_id)
        for problem in result.problems:
            click.echo(str(problem), err=True)
        for change in result.changed:
            click.echo(f"{path.name} {change}", err=True)
        if result.redone:
            click.echo(
                f"台账 {path.name}：此前撤销的读入（编号 {result.file_id}）已恢复，{result.rows} 行重新计入"
            )
            continue
        parts = [f"读入 {result.rows} 行"]
        if result.already:
            parts = [f"这个文件已读入过（编号 {result.file_id}），未重复计入"]
        elif result.known:
            parts.append(f"其中 {result.known} 行是已读入的活动，未重复计入")
        if result.changed:
            parts.append(f"{len(result.changed)} 行与已读入的同一活动有出入，按更正计入，请核对")
        parts.append(f"{len(result.problems)} 行有问题")
        click.echo(f"台账 {path.name}：" + "；".join(parts))


@ledger.command(name="list")
@click.option("--db", help=DB_HELP)
def ledger_list(db: str | None) -> None:
    """列出读入过的台账：编号、文件、读入时间、行数（撤销读入用 baodao ledger undo 编号）。"""
    imports = list_imports(connect(db))
    if not imports:
        click.echo("还没有读入过台账")
        return
    rows = [
        [
            str(i.file_id),
            i.path,
            f"{i.imported_at:%Y-%m-%d %H:%M}",
            str(i.rows),
            str(i.counted),
            f"已撤销（{i.undone_at:%Y-%m-%d %H:%M}）" if i.undone_at else "—",
        ]
        for i in imports
    ]
    for line in table(["编号", "文件", "读入时间", "行数", "计入", "撤销"], rows):
        click.echo(line)


@ledger.command(name="undo")
@click.argument("file_id", type=int, metavar="ID")
@click.option("--db", help=DB_HELP)
def ledger_undo(file_id: int, db: str | None) -> None:
    """撤销一次台账读入（编号见 baodao ledger list）：它的各行不再计入；它替下的旧行恢复计入。"""
    done = undo_import(connect(db), file_id)
    click.echo(
        f"已撤销台账读入 {done.file_id}（{done.path}）：{done.rows} 行不再计入"
        + (f"，{done.restored} 行以前读入的恢复计入" if done.restored else "")
        + "。再次读入这个文件即可恢复。"
    )


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
