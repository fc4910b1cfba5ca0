"""`baodao jobs`: the queue at a glance (waiting, running, failed, stalled), a failed job run again, and
work handed to a job from the command line: returns to read (as the workbench's 回收 does), a roster to
issue forms to (as 发放 does)."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path

import click

from baodao.cli.common import DB_HELP, data_option


@click.group(name="jobs", invoke_without_command=True)
@click.option("--db", help=DB_HELP)
@click.pass_context
def jobs(ctx: click.Context, db: str | None) -> None:
    """后台任务：排队、进行中、失败和停滞的任务；重新运行失败的任务；把文件交给任务去读。"""
    ctx.obj = db
    if ctx.invoked_subcommand is not None:
        return
    from baodao.jobs.status import overview

    for line in overview(db):
        click.echo(line)


@jobs.command(name="retry")
@click.argument("job_id", type=int)
@click.pass_obj
def retry_command(db: str | None, job_id: int) -> None:
    """重新运行一个失败的任务（已完成的部分不再重做）。"""
    from baodao.jobs.submit import retry
    from baodao.store.db import connect

    if not retry(connect(db), job_id):
        raise click.ClickException(f"任务 {job_id} 不存在或没有失败，无需重新运行")
    click.echo(f"任务 {job_id} 已重新排队")


@jobs.command(name="intake")
@click.argument(
    "paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@data_option
@click.option(
    "--office", "office_id", type=int, default=1, show_default=True, help="交回文件的组织（编号）。"
)
@click.option("--user", "username", default="cli", show_default=True, help="记在任务上的经办人。")
@click.pass_obj
def intake_job(
    db: str | None, paths: tuple[Path, ...], data_dir: Path, office_id: int, username: str
) -> None:
    """把交回的文件交给后台任务去读（复制进文件库；100 个一份，由各工作进程分担）。"""
    from baodao.jobs.submit import submit
    from baodao.store.db import connect
    from baodao.store.uploads import keep

    engine = connect(db)
    data = data_dir.resolve()
    data.mkdir(parents=True, exist_ok=True)
    kept = []
    with tempfile.TemporaryDirectory(dir=data) as work:
        for n, path in enumerate(paths):
            copy = Path(work) / f"{n}{path.suffix}"
            shutil.copyfile(path, copy)  # keep() moves its file into the store; the user's stays
            stored = keep(data, office_id, copy, path.name)
            kept.append(
                {"path": str(stored.path.relative_to(data)), "name": stored.name, "sha256": stored.sha256}
            )
    title = f"回收 {len(kept)} 个文件（命令行）"
    job_id = submit(engine, data, office_id, username, "returns", title, {"files": kept}, len(kept))
    click.echo(f"任务 {job_id}：{title}，已排队")


@jobs.command(name="issue")
@click.argument("key")
@click.argument("roster", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@data_option
@click.option("--office", "office_id", type=int, default=1, show_default=True, help="发放的组织（编号）。")
@click.option("--user", "username", default="cli", show_default=True, help="记在任务上的经办人。")
@click.option("--issuer", default="", help="发放单位（写入发放登记）。")
@click.option("--issue-date", type=click.DateTime(["%Y-%m-%d"]), help="发放日期（默认今天）。")
@click.option("--due", type=click.DateTime(["%Y-%m-%d"]), help="应交回日期（默认按表单的时限）。")
@click.option("--map", "maps", multiple=True, metavar="列名=项目", help="同 baodao generate --map。")
@click.option("--blank", "blanks", multiple=True, metavar="项目,项目", help="同 baodao generate --blank。")
@click.option("--no-pdf", is_flag=True, help="不生成合并打印 PDF。")
@click.pass_obj
def issue_job(
    db: str | None,
    key: str,
    roster: Path,
    data_dir: Path,
    office_id: int,
    username: str,
    issuer: str,
    issue_date: dt.datetime | None,
    due: dt.datetime | None,
    maps: tuple[str, ...],
    blanks: tuple[str, ...],
    no_pdf: bool,
) -> None:
    """把一批发放交给后台任务（名册复制进文件库；500 行一份，由各工作进程分担）。"""
    from baodao.cli.generate import column_map
    from baodao.errors import DataError
    from baodao.form_templates.catalog import get_form
    from baodao.jobs.roster import preview
    from baodao.jobs.submit import submit
    from baodao.store.db import connect
    from baodao.store.uploads import keep

    form = get_form(key)
    mapping = column_map(maps)
    blank = [b.strip() for given in blanks for b in given.replace("，", ",").split(",") if b.strip()]
    day = issue_date.date() if issue_date else dt.date.today()
    checked = preview(roster, form, mapping, blank, day)
    if checked.absent_required:
        raise DataError(
            f"{roster.name} 中没有列填写这些必填项：{'、'.join(checked.absent_required)}。"
            "请用 --map 列名=项目 指明，或用 --blank 留空由本人手填"
        )
    engine = connect(db)
    data = data_dir.resolve()
    data.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=data) as work:
        copy = Path(work) / f"roster{roster.suffix}"
        shutil.copyfile(roster, copy)
        stored = keep(data, office_id, copy, roster.name)
    params = {
        "form": form.key,
        "roster": str(stored.path.relative_to(data)),
        "roster_name": stored.name,
        "column_map": mapping,
        "blank": blank,
        "issue_date": day.isoformat(),
        "due_date": due.date().isoformat() if due else None,
        "issuer": issuer,
        "pdf": not no_pdf,
    }
    title = f"发放 {form.spec.title}（{stored.name}，命令行）"
    job_id = submit(engine, data, office_id, username, "issue", title, params)
    click.echo(f"任务 {job_id}：{title}，已排队")
