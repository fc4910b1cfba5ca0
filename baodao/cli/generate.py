"""`baodao generate` and `baodao issued`: batches of filled forms, and the register of what went out."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click

from baodao.cli.common import DB_HELP, progress_bar
from baodao.docgen.batch import GenerateOptions, generate
from baodao.form_templates.catalog import get_form
from baodao.store.db import connect
from baodao.store.register import list_issued, record_issued


@click.command(name="generate")
@click.argument("key")
@click.option(
    "--data",
    "data",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="数据文件：Excel（.xlsx，中文表头）、CSV（UTF-8 或 GBK）、JSON 或 YAML。",
)
@click.option(
    "--out",
    "outdir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="输出文件夹：每条记录一个文件，另有合并打印文件。",
)
@click.option("--pdf", is_flag=True, help="同时生成合并打印文件的 PDF（LibreOffice）。")
@click.option("--sheet", help="Excel 工作表名称（默认第一个）。")
@click.option("--group-by", help="汇总类表格（如 zz-f1）：按这一列分组，每组生成一份（如“单位”）。")
@click.option("--strict", is_flag=True, help="有任何一行不合格就停止，不生成任何文件。")
@click.option("--duplex", is_flag=True, help="双面打印：合并文件中每份表单从新的一张纸（奇数页）开始。")
@click.option("--no-combined", is_flag=True, help="不生成合并打印文件。")
@click.option("--issuer", default="", help="发放单位（写入发放登记）。")
@click.option("--issue-date", type=click.DateTime(["%Y-%m-%d"]), help="发放日期（默认今天）。")
@click.option("--due", type=click.DateTime(["%Y-%m-%d"]), help="应交回日期（默认按表单所依据文件的时限）。")
@click.option("--force", is_flag=True, help="允许覆盖输出文件夹中不是 baodao 生成的同名文件。")
@click.option("--db", help=DB_HELP)
def generate_command(
    key: str,
    data: Path,
    outdir: Path,
    pdf: bool,
    sheet: str | None,
    group_by: str | None,
    strict: bool,
    duplex: bool,
    no_combined: bool,
    issuer: str,
    issue_date: dt.datetime | None,
    due: dt.datetime | None,
    force: bool,
    db: str | None,
) -> None:
    """按数据文件批量生成表单 KEY：每条记录一个 DOCX，另有合并打印文件，并登记发放。"""
    form = get_form(key)
    options = GenerateOptions(
        outdir=outdir,
        pdf=pdf,
        strict=strict,
        duplex=duplex,
        force=force,
        combined=not no_combined,
        sheet=sheet,
        group_by=group_by,
        issuer=issuer,
        issue_date=issue_date.date() if issue_date else dt.date.today(),
        due_date=due.date() if due else None,
    )
    engine = connect(db)
    with progress_bar(f"生成 {key}") as advance:
        result = generate(form, data, options, lambda entries: record_issued(engine, entries), advance)
    forms = len([f for f in result.files if f.suffix == ".docx"])
    click.echo(f"已生成 {forms} 份表单（数据共 {result.rows} 行）到 {outdir}")
    if result.combined_docx:
        click.echo(f"合并打印文件：{result.combined_docx}")
    if result.combined_pdf:
        click.echo(f"合并 PDF：{result.combined_pdf}")
    click.echo(f"发放登记：新增 {result.registered} 条，已有 {result.already_registered} 条")
    if result.blank_fields:
        click.echo(f"数据中没有这些必填项，表上留空由本人手填：{'、'.join(result.blank_fields)}")
    if result.unused_columns:
        click.echo(f"未使用的列：{'、'.join(result.unused_columns)}")
    if result.problems:
        click.echo(f"有 {result.skipped_rows} 行未生成，原因见 {result.report}：", err=True)
        for p in result.problems[:10]:
            click.echo(f"  {p}", err=True)
        if len(result.problems) > 10:
            click.echo(f"  ……另有 {len(result.problems) - 10} 处", err=True)


@click.command(name="issued")
@click.option("--form", "key", help="只看这一种表单。")
@click.option("--overdue", is_flag=True, help="只看已过应交回日期、尚未交回的。")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), help="以此日期判断是否逾期（默认今天）。")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出。")
@click.option("--db", help=DB_HELP)
def issued_command(
    key: str | None, overdue: bool, today: dt.datetime | None, as_json: bool, db: str | None
) -> None:
    """发放登记：发出了哪些表单、发给谁、何时应交回、是否已交回。"""
    if key is not None:
        get_form(key)
    day = today.date() if today else dt.date.today()
    entries = list_issued(connect(db), key, overdue_on=day if overdue else None)
    if as_json:
        click.echo(
            json.dumps(
                [
                    {
                        "form": e.form_key,
                        "id": e.form_id,
                        "recipient": e.recipient,
                        "issuer": e.issuing_org,
                        "issued": e.issue_date.isoformat(),
                        "due": e.due_date.isoformat() if e.due_date else None,
                        "status": e.status,
                        "overdue": e.overdue_on(day),
                    }
                    for e in entries
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    if not entries:
        click.echo("没有逾期未交回的表单。" if overdue else "发放登记为空。")
        return
    for e in entries:
        due = e.due_date.isoformat() if e.due_date else "—"
        state = "逾期未交回" if e.overdue_on(day) else ("已交回" if e.status == "returned" else "待交回")
        click.echo(f"{e.form_key:<16} {e.form_id:<18} {e.recipient:<12} 应交回 {due}  {state}")
    click.echo(f"共 {len(entries)} 条")
