"""`baodao intake`, `baodao review` and `baodao records`: returned forms in, doubts out, records exported."""

from __future__ import annotations

import getpass
import json
import sys
from pathlib import Path

import click

from baodao.cli.common import DB_HELP, logged_to, progress_bar
from baodao.form_templates.catalog import get_form
from baodao.jobs.review import correct_value, field_of
from baodao.store.db import connect
from baodao.store.export import export_records
from baodao.store.offices import DEFAULT_OFFICE
from baodao.store.records import current_records, doubtful, record
from baodao.store.returns import IntakeReport, intake
from baodao.text import escaped, shown

SKIPPED_SHOWN = 20  # passed-over files listed one by one (more are counted); named ones are always listed
LOG_FILE = Path("baodao.log")


@click.command(name="intake")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--db", help=DB_HELP)
@click.option("--json", "as_json", is_flag=True, help="按约定的 JSON 格式输出（供脚本使用）。")
def intake_command(paths: tuple[Path, ...], db: str | None, as_json: bool) -> None:
    """读入交回的表单（DOCX、XLSX、PDF 或扫描件；可给文件夹）：识别、提取、校验并存入数据库。

    Word 97 / WPS 的 .doc、.wps 和 Excel 97 / WPS 的 .xls、.et 由 LibreOffice 转换后读取（原文件不动）。

    扫描件指 JPG、PNG、TIFF 图片，或每页都是图片的 PDF：按二维码（或标题）认出表单，勾选框按墨迹、
    文字按离线 OCR 读出；把握不足的值交 baodao review 核对。

    读不了的文件列出原因，留在原处；任何文件被拒时退出码为 1，其余文件照常保存。
    """
    engine = connect(db)
    with logged_to(LOG_FILE), progress_bar("读入表单") as advance:
        report = intake(paths, engine, progress=advance, office_id=DEFAULT_OFFICE)  # the CLI's files: 本级
    if as_json:
        click.echo(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
    else:
        print_report(report)
    named = [s for s in report.skipped if s.named]
    if report.rejected or named:
        sys.exit(1)


def print_report(report: IntakeReport) -> None:
    """One line a record and a refusal, then the files counted once each; every name escaped."""
    for done in report.returned:
        spec = get_form(done.record.form).spec
        title = spec.title
        head = "已读入" if done.new else "以前已读入"
        ident = escaped(done.record.form_id or "—")
        how = f"（{done.record.note}）" if done.record.note else ""  # “由 .doc 转换后读取”
        line = f"{head} {shown(done.record.source)}{how}：{done.record.form}（{title}） 编号 {ident}"
        if done.corrected:
            labels = [spec.field(f).label if f in spec.field_names else f for f in done.corrected]
            line += f"，已更正：{'、'.join(escaped(label) for label in labels)}"
        if not done.current:
            line += "，已有较新的交回，此份留作旧版"
        elif done.doubts:
            line += f"，{done.doubts} 处存疑"
        click.echo(line)
    for refused in report.rejected:
        click.echo(f"未读入 {shown(refused.source)}：{escaped(refused.reason)}", err=True)
    for passed in report.skipped:
        if passed.named or len(report.skipped) <= SKIPPED_SHOWN:
            click.echo(f"跳过 {shown(passed.source)}：{passed.reason}", err=True)
    parts = [f"新读入 {len(report.read)} 个文件（{sum(r.new for r in report.returned)} 份表单）"]
    if report.already:
        parts.append(f"以前已读入 {len(report.already)} 个（未改动）")
    parts.append(f"未读入 {len(report.rejected)} 个")
    if report.skipped:
        parts.append(f"跳过 {len(report.skipped)} 个")
    doubts = sum(r.doubts for r in report.returned)
    tail = f"；共 {doubts} 处存疑，用 baodao review 核对" if doubts else ""
    click.echo("，".join(parts) + tail)


@click.group(name="review", invoke_without_command=True)
@click.option("--form", "key", help="只看这一种表单。")
@click.option("--db", help=DB_HELP)
@click.pass_context
def review(ctx: click.Context, key: str | None, db: str | None) -> None:
    """列出存疑的值（未能读出或不合要求），以便核对、更正。"""
    if ctx.invoked_subcommand is not None:
        return
    if key is not None:
        get_form(key)
    items = doubtful(connect(db), key)
    for item in items:
        shown = json.dumps(item.value, ensure_ascii=False) if item.value is not None else "（空）"
        click.echo(
            escaped(f"记录 {item.record_id}  {item.form_key} {item.form_id or '—'}  {item.field} = {shown}")
        )
        click.echo(escaped(f"    {item.message}    （{item.source}）"))
    click.echo(f"共 {len(items)} 处存疑" if items else "没有存疑的值。")


@review.command(name="set")
@click.argument("record_id", type=int)
@click.argument("field")
@click.argument("value")
@click.option("--who", default=lambda: getpass.getuser(), show_default="当前用户", help="更正人。")
@click.option("--db", help=DB_HELP)
def review_set(record_id: int, field: str, value: str, who: str, db: str | None) -> None:
    """更正一个值：RECORD_ID 是记录号，FIELD 是字段名或表上印的名称（如“年龄”），VALUE 是正确的值。"""
    engine = connect(db)
    done = correct_value(engine, record_id, field, value, who)
    f = field_of(get_form(record(engine, record_id).form_key).spec, done.field)
    click.echo(
        f"已更正记录 {record_id} 的“{f.label}”：{json.dumps(done.old_value, ensure_ascii=False)} → "
        f"{json.dumps(done.new_value, ensure_ascii=False)}（{done.who}，{done.at:%Y-%m-%d %H:%M}）"
    )


@click.group(name="records")
def records() -> None:
    """已读入的记录。"""


@records.command(name="export")
@click.option("--form", "key", required=True, help="表单，如 zz-b1。")
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="输出文件：.xlsx、.csv 或 .json。",
)
@click.option("--db", help=DB_HELP)
def export(key: str, out: Path, db: str | None) -> None:
    """把一种表单的全部现行记录导出到 Excel、CSV 或 JSON。"""
    spec = get_form(key).spec
    rows = current_records(connect(db), key)
    export_records(spec, rows, out)
    click.echo(f"已导出 {len(rows)} 条记录到 {out}")
