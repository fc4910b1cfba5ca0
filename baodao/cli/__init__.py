"""The `baodao` command: translates arguments into library calls and library errors into messages."""

from __future__ import annotations

import sys
from typing import Any

import click

from baodao import __version__
from baodao.errors import BaodaoError


class TranslatingGroup(click.Group):
    """Turns BaodaoError into `Error: …` on stderr with exit code 1 (click keeps 2 for usage errors)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BaodaoError as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(1)


@click.group(cls=TranslatingGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="baodao")
def main() -> None:
    """baodao：双报到表单的模板、批量生成、回收与统计。"""


def _register() -> None:
    from baodao.cli.forms import forms
    from baodao.cli.generate import generate_command, issued_command
    from baodao.cli.intake import intake_command, records, review
    from baodao.cli.notice import notice
    from baodao.cli.policies import policies
    from baodao.cli.tally import ledger, report_command, roster, tally_command

    main.add_command(forms)
    main.add_command(generate_command)
    main.add_command(issued_command)
    main.add_command(notice)
    main.add_command(intake_command)
    main.add_command(review)
    main.add_command(records)
    main.add_command(policies)
    main.add_command(tally_command)
    main.add_command(report_command)
    main.add_command(roster)
    main.add_command(ledger)


_register()
