"""What every command shares: the progress bar and the --db option's help."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator

import click


@contextlib.contextmanager
def progress_bar(label: str) -> Iterator[Callable[[int], None]]:
    """A bar on a terminal; nothing at all when output goes to a file or another program."""
    if not sys.stderr.isatty():
        yield lambda n: None
        return
    with click.progressbar(length=1, label=label, file=sys.stderr) as bar:

        def advance(n: int) -> None:
            bar.length = max(bar.length or 0, bar.pos + n + 1)
            bar.update(n)

        yield advance


DB_HELP = "数据库：文件路径或 URL（默认 output/baodao.sqlite3，或环境变量 BAODAO_DB）。"
