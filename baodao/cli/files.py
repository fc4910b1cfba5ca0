"""`baodao files clean`: the file store's age policy, run by hand or by a timer (deploy/)."""

from __future__ import annotations

from pathlib import Path

import click

from baodao.cli.common import DB_HELP, data_option


@click.group(name="files")
def files() -> None:
    """文件库：按时间清理任务结果等旧文件。"""


@files.command(name="clean")
@click.option("--db", help=DB_HELP)
@data_option
@click.option(
    "--older-than",
    "days",
    type=click.FloatRange(min=0),
    envvar="BAODAO_KEEP_DAYS",
    default=90,
    show_default=True,
    help="删除多少天前结束的任务的结果（合并打印 PDF、ZIP、生成的表单）；交回的文件不删"
    "（或环境变量 BAODAO_KEEP_DAYS）。",
)
def clean_command(db: str | None, data_dir: Path, days: float) -> None:
    """删除早已结束的任务的结果文件和中断写入留下的临时文件；交回的文件、名册不删。"""
    from baodao.jobs.cleanup import clean
    from baodao.store.db import connect

    done = clean(connect(db), data_dir.resolve(), days)
    click.echo(f"已删除 {done.folders} 个任务的结果、{done.files} 个临时文件，共 {done.bytes / 1e6:.1f} MB")
