"""What every command shares: the progress bar and the --db option's help."""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

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


DB_HELP = "数据库：文件路径或 URL（默认 ./baodao.sqlite3，或环境变量 BAODAO_DB）。"
DATA_HELP = (
    "文件库：收到的文件、任务结果（多台机器共用一个共享文件夹；"
    "默认 ./baodao-data，或环境变量 BAODAO_FILES）。"
)


def data_option(f: click.decorators.FC) -> click.decorators.FC:
    """``--data DIR``: the file store the workbench, its workers and the job commands share."""
    return click.option(
        "--data",
        "data_dir",
        type=click.Path(file_okay=False, path_type=Path),
        envvar="BAODAO_FILES",
        default="baodao-data",
        help=DATA_HELP,
    )(f)


@contextlib.contextmanager
def logged_to(path: Path) -> Iterator[None]:
    """Technical details (a parser's traceback) go to ``path``, created only when there is something to
    log; the clerk sees the plain reason, and is told where the details are."""
    handler = logging.FileHandler(path, encoding="utf-8", delay=True)
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    logger = logging.getLogger("baodao")
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        handler.close()
