"""`baodao intake`, `baodao review` and `baodao records`: returned forms in, doubts out, records exported."""

from __future__ import annotations

import getpass
import json
import sys
from pathlib import Path

import click

from baodao.cli.common import DB_HELP, progress_bar
from baodao.errors import DataError
from baodao.form_templates.catalog import get_form
from baodao.form_templates.coerce import CoerceError, coerce
from baodao.intake.extract import to_json
from baodao.store.db import connect
from baodao.store.export import export_records
from baodao.store.records import correct, current_records, doubtful, record
from baodao.store.returns import intake


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
    with progress_bar("读入表单") as advance:
        report = intake(paths, engine, progress=advance)
    if as_json:
        click.echo(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
    else:
        for done in report.records:
            doubt = f"，{len(done.issues)} 处存疑" if done.issues else ""
            title = get_form(done.form).spec.title
            how = f"（{done.note}）" if done.note else ""
            click.echo(f"已读入 {done.source}{how}：{done.form}（{title}） 编号 {done.form_id or '—'}{doubt}")
        for refused in report.rejected:
            click.echo(f"未读入 {refused.source}：{refused.reason}", err=True)
        seen = f"，其中 {len(report.already)} 个文件以前已读入（未改动）" if report.already else ""
        click.echo(f"共 {len(report.records)} 份表单，{len(report.rejected)} 个文件未读入{seen}")
    if report.rejected:
        sys.exit(1)


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
        click.echo(f"记录 {item.record_id}  {item.form_key} {item.form_id or '—'}  {item.field} = {shown}")
        click.echo(f"    {item.message}    （{item.source}）")
    click.echo(f"共 {len(items)} 处存疑" if items else "没有存疑的值。")


@review.command(name="set")
@click.argument("record_id", type=int)
@click.argument("field")
@click.argument("value")
@click.option("--who", default=lambda: getpass.getuser(), show_default="当前用户", help="更正人。")
@click.option("--db", help=DB_HELP)
def review_set(record_id: int, field: str, value: str, who: str, db: str | None) -> None:
    """更正一个值：RECORD_ID 是记录号，FIELD 是字段名（见 baodao forms show），VALUE 是正确的值。"""
    engine = connect(db)
    spec = get_form(record(engine, record_id).form_key).spec
    if field not in spec.field_names:
        raise DataError(f"表单 {spec.key} 没有字段“{field}”（可用字段：{'、'.join(spec.field_names)}）")
    f = spec.field(field)
    if f.type == "table":
        raise DataError(f"“{f.label}”是表格，请导出后在表格中更正")
    try:
        typed = coerce(f, value)
    except CoerceError as exc:
        raise DataError(f"“{f.label}”的值不对：{exc}") from exc
    done = correct(engine, record_id, field, to_json({field: typed})[field], who)
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
