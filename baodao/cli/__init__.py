"""The `baodao` command: translates arguments into library calls and library errors into messages.

Each command's module is imported only when that command runs, so `baodao --help` stays fast: the
libraries behind generation, intake and the database take a second to import.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click

from baodao import __version__
from baodao.errors import BaodaoError
from baodao.text import escaped

# name → (module, attribute, the line `baodao --help` shows); tests/baodao/test_cli.py keeps the lines true.
COMMANDS: dict[str, tuple[str, str, str]] = {
    "forms": (
        "baodao.cli.forms",
        "forms",
        "表单目录：列出全部表单（子命令见下）。",
    ),
    "generate": (
        "baodao.cli.generate",
        "generate_command",
        "按数据文件批量生成表单 KEY：每条记录一个 DOCX，另有合并打印文件，并登记发放。",
    ),
    "issued": (
        "baodao.cli.generate",
        "issued_command",
        "发放登记：发出了哪些表单、发给谁、何时应交回、是否已交回。",
    ),
    "notice": (
        "baodao.cli.notice",
        "notice",
        "公文（GB/T 9704-2012 版式）。",
    ),
    "intake": (
        "baodao.cli.intake",
        "intake_command",
        "读入交回的表单（DOCX、XLSX、PDF 或扫描件；可给文件夹）：识别、提取、校验并存入数据库。",
    ),
    "review": (
        "baodao.cli.intake",
        "review",
        "列出存疑的值（未能读出或不合要求），以便核对、更正。",
    ),
    "records": (
        "baodao.cli.intake",
        "records",
        "已读入的记录。",
    ),
    "policies": (
        "baodao.cli.policies",
        "policies",
        "各地的“双报到”规则：列出内置的规则（子命令 show 查看一套）。",
    ),
    "roster": (
        "baodao.cli.tally",
        "roster",
        "党员名册：应报到的党员（报到率的分母，未报到提醒的名单）。",
    ),
    "ledger": (
        "baodao.cli.tally",
        "ledger",
        "活动台账：社区或单位记的活动，一行一次。",
    ),
    "tally": (
        "baodao.cli.tally",
        "tally_command",
        "按一套规则统计：谁报到了、谁没报到、谁的活动次数或积分不够，单位和社区的情况。",
    ),
    "report": (
        "baodao.cli.tally",
        "report_command",
        "按规则统计后出报表：汇总表、反馈通知单、登记表、统计表、抽查名单等。",
    ),
    "serve": (
        "baodao.web.serve",
        "serve",
        "启动工作台（浏览器访问）；第一次启动时建立管理员账号并显示一次性密码。",
    ),
    "users": (
        "baodao.cli.accounts",
        "users",
        "工作台的用户：新建、列出、改角色、停用/启用、改密码、重置密码。",
    ),
    "orgs": (
        "baodao.cli.accounts",
        "orgs",
        "组织（组织部 → 街道党工委 → 社区党组织；机关工委 → 单位党组织）。",
    ),
    "worker": (
        "baodao.cli.worker",
        "worker",
        "运行后台任务（发放、回收等）；PostgreSQL 上可在多台机器上各运行几个。",
    ),
    "jobs": (
        "baodao.cli.jobs",
        "jobs",
        "后台任务：排队、进行中、失败和停滞的任务；重新运行失败的任务；把文件交给任务去读。",
    ),
    "files": (
        "baodao.cli.files",
        "files",
        "文件库：按时间清理任务结果等旧文件。",
    ),
    "doctor": (
        "baodao.cli.doctor",
        "doctor",
        "检查本机是否具备 baodao 需要的程序和字体，缺什么、怎么装。",
    ),
}


class LazyGroup(click.Group):
    """Loads a command's module when the command is used; turns BaodaoError into `Error: …` (exit 1)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module, attr, _ = COMMANDS[cmd_name]
        command = getattr(importlib.import_module(module), attr)
        assert isinstance(command, click.Command)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, help_line) for name, (_, _, help_line) in COMMANDS.items()]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BaodaoError as exc:
            click.echo(f"Error: {escaped(str(exc), lines=True)}", err=True)
            sys.exit(1)
        finally:
            _close_databases()


def _close_databases() -> None:
    """Close the databases the command opened, if it opened any (the store is imported only then)."""
    store = sys.modules.get("baodao.store.db")
    if store is not None:
        store.close_all()


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="baodao")
def main() -> None:
    """baodao：双报到表单的模板、批量生成、回收与统计。"""
