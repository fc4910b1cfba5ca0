"""`baodao generate` and `baodao issued`: batches of filled forms, and the register of what went out."""

from __future__ import annotations

import datetime as dt
import json
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path

import click
from sqlalchemy import Engine

from baodao.cli.common import DB_HELP, progress_bar
from baodao.docgen.batch import DueDate, GenerateOptions, GenerateResult, generate
from baodao.docgen.issued import IssuedForm
from baodao.docgen.mapping import MissingColumnsError
from baodao.errors import DataError
from baodao.form_templates.catalog import Form, get_form
from baodao.jobs.receipts import generate_receipts
from baodao.jobs.templates import check_edited, keep_version, measure, version_form
from baodao.store.db import connect
from baodao.store.offices import DEFAULT_OFFICE
from baodao.store.register import list_issued, record_issued


@click.command(name="generate")
@click.argument("key")
@click.option(
    "--data",
    "data",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="数据文件：Excel（.xlsx，中文表头）、CSV（UTF-8 或 GBK）、JSON 或 YAML。",
)
@click.option(
    "--for-issued",
    "for_issued",
    metavar="KEY",
    help="回执：按发放登记中已发出的表单 KEY 逐份生成，按编号配对（如 generate zz-b2 --for-issued zz-b1）。",
)
@click.option(
    "--ids", "ids", multiple=True, metavar="编号,编号", help="和 --for-issued 一起：只为这些编号生成。"
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
@click.option(
    "--due",
    type=click.DateTime(["%Y-%m-%d"]),
    help="应交回日期（默认按表单所依据文件的时限：发放日期当天或之后的第一个截止日）。",
)
@click.option(
    "--map",
    "maps",
    multiple=True,
    metavar="列名=项目",
    help="指明数据中的哪一列填哪一项，如 --map 手机号码=联系方式、--map 出生年月=年龄（按发放日期算）、"
    "--map 工作单位+职务=工作单位及职务（两列合并）。可多次使用。",
)
@click.option(
    "--blank",
    "blanks",
    multiple=True,
    metavar="项目,项目",
    help="数据中没有、留空由本人在纸上填写的必填项，如 --blank 联系方式,年龄。",
)
@click.option(
    "--template",
    "template",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="用改过的模板（.docx）生成：先检查，有错误则不生成；被 Word 拆开的标记自动修复。"
    "模板作为一个版本记入数据库，读回交回的表时按它的版面。",
)
@click.option("--force", is_flag=True, help="允许覆盖输出文件夹中不是 baodao 生成的同名文件。")
@click.option("--db", help=DB_HELP)
def generate_command(
    key: str,
    data: Path | None,
    for_issued: str | None,
    ids: tuple[str, ...],
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
    maps: tuple[str, ...],
    blanks: tuple[str, ...],
    template: Path | None,
    force: bool,
    db: str | None,
) -> None:
    """按数据文件批量生成表单 KEY：每条记录一个 DOCX，另有合并打印文件，并登记发放。

    先检查每一行，再写文件：必填项在数据中找不到对应的列时停止，什么也不写、不登记，并提示可能对应的列
    （用 --map 指明，或用 --blank 注明留空手填）；--strict 时有一行不合格也停止。
    回执（如 zz-b2）不按名册生成，而按已发放的表单逐份生成：--for-issued zz-b1。
    """
    if (data is None) == (for_issued is None):
        raise click.UsageError("请给出 --data 数据文件，或（生成回执时）--for-issued 已发放的表单，二者选一")
    if ids and for_issued is None:
        raise click.UsageError("--ids 只和 --for-issued 一起使用")
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
        column_map=column_map(maps),
        blank=frozenset(b.strip() for given in blanks for b in re.split(r"[,，、]", given) if b.strip()),
    )
    engine = connect(db)
    with tempfile.TemporaryDirectory(prefix="baodao-template-") as work:
        version = None
        if template is not None:
            form, version = _edited(engine, template, key, Path(work))
        with progress_bar(f"生成 {key}") as advance:
            try:
                if for_issued is not None:
                    chosen = [i.strip() for given in ids for i in re.split(r"[,，、\s]+", given) if i.strip()]
                    result = generate_receipts(
                        engine, form, for_issued, options, chosen, advance, DEFAULT_OFFICE, version
                    )
                else:
                    assert data is not None

                    def register(entries: Sequence[IssuedForm]) -> tuple[int, int]:
                        return record_issued(engine, entries, DEFAULT_OFFICE, version)

                    result = generate(form, data, options, register, advance)
            except MissingColumnsError as exc:
                raise DataError(f"{exc}\n{_how_to_map(exc, form.spec.answers)}") from exc
    _report(result, outdir, given_issue_date=issue_date is not None)


def _edited(engine: Engine, template: Path, key: str, work: Path) -> tuple[Form, int]:
    """The edited template checked (refused with its findings when broken, repaired when Word split a
    tag), kept as a version of 本级's with its layout (LibreOffice), and the form to generate with."""
    checked = check_edited(template, key, work)
    if not checked.ok:
        raise DataError(checked.refusal())
    for finding in checked.report.findings:
        click.echo(f"模板 {template.name} {finding}", err=True)
    version = keep_version(engine, DEFAULT_OFFICE, checked, template.name, "命令行")
    if not version.has_layout:
        measure(engine, version)
    click.echo(f"模板：{template.name}（{key} 的第 {version.version} 版，版本号 {version.id}）")
    return version_form(engine, version, work / "version"), version.id


def column_map(maps: tuple[str, ...]) -> dict[str, str]:
    """``--map 手机号码=联系方式`` options as header → field."""
    found: dict[str, str] = {}
    for given in maps:
        header, sep, target = given.replace("＝", "=").partition("=")
        if not sep or not header.strip() or not target.strip():
            raise click.BadParameter(f"“{given}”应写成 列名=项目，如 手机号码=联系方式", param_hint="--map")
        found[header.strip()] = target.strip()
    return found


def _how_to_map(exc: MissingColumnsError, answers: str | None) -> str:
    if answers is not None:
        return f"请用：baodao generate {exc.form_key} --for-issued {answers} --out 文件夹 [--ids 编号,…]"
    maps = " ".join(f"--map {'='.join(s.mapping)}" for s in exc.suggestions)
    fields = ",".join(f.label for f in exc.missing)
    lines = [f"用得上建议的列：{maps}"] if maps else []
    return "\n".join([*lines, f"留空由本人手填：--blank {fields}"])


def _dates(result: GenerateResult, given_issue_date: bool) -> list[str]:
    """The issue and due dates the register got, and where the due date comes from."""
    day = result.issue_date.isoformat() if result.issue_date else "—"
    lines = [f"发放日期：{day}" + ("" if given_issue_date else "（今天；另定请用 --issue-date）")]
    due: DueDate = result.due
    if due.date is None:
        lines.append(f"截止日期：无（表单 {result.form_key} 所依据的文件未规定时限；可用 --due 指定）")
    elif due.given:
        lines.append(f"截止日期：{due.date.isoformat()}（--due）")
    else:
        year = due.date.year
        rolled = f"；{year - 1}年的已过，按{year}年计，另定请用 --due" if due.next_year else ""
        lines.append(f"截止日期：{due.date.isoformat()}（{due.rule}{rolled}）")
    return lines


def _report(result: GenerateResult, outdir: Path, given_issue_date: bool) -> None:
    forms = len([f for f in result.files if f.suffix == ".docx"])
    click.echo(f"已生成 {forms} 份表单（数据共 {result.rows} 行）到 {outdir}")
    if result.combined_docx:
        click.echo(f"合并打印文件：{result.combined_docx}")
    if result.combined_pdf:
        click.echo(f"合并 PDF：{result.combined_pdf}")
    click.echo(f"发放登记：新增 {result.registered} 条，已有 {result.already_registered} 条")
    for line in _dates(result, given_issue_date):
        click.echo(line)
    if result.blank_fields:
        click.echo(f"表上留空、待在纸上手填：{'、'.join(result.blank_fields)}")
    if result.unused_columns:
        click.echo(f"未使用的列：{'、'.join(result.unused_columns)}")
    for s in result.suggestions:
        click.echo(f"  {s.label}（选填，表上留空）{s.describe()}：--map {'='.join(s.mapping)}")
    if result.problems:
        click.echo(f"有 {result.skipped_rows} 行未生成，原因见 {result.report}：", err=True)
        for p in result.problems[:10]:
            click.echo(f"  {p}", err=True)
        if len(result.problems) > 10:
            click.echo(f"  ……另有 {len(result.problems) - 10} 处", err=True)
    elif result.removed_report is not None:
        click.echo(f"没有问题行；上次留下的 {result.removed_report.name} 已删除")


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
