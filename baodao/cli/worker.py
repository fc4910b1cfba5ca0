"""`baodao worker`: run the workbench's jobs here; on PostgreSQL as many machines as wanted may each run some.

``--concurrency N`` starts N worker processes (one chunk each at a time; a process per chunk so that N chunks
really run side by side) and starts again one that dies. SIGTERM or Ctrl+C stops them after the chunk each
is running.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import FrameType

import click

from baodao.cli.common import DB_HELP, data_option


@click.command(name="worker")
@click.option("--db", help=DB_HELP)
@data_option
@click.option("--concurrency", default=1, show_default=True, type=click.IntRange(1, 64), help="工作进程数。")
@click.option("--once", is_flag=True, help="做完队列中已有的任务就停止。")
@click.option("--heartbeat", type=float, default=None, help="PostgreSQL：心跳间隔（秒，默认 10）。")
@click.option(
    "--stalled-after",
    type=float,
    default=None,
    help="PostgreSQL：某个工作进程这么多秒没有心跳，就把它的任务交给别的进程重做（默认 60）。",
)
def worker(
    db: str | None,
    data_dir: Path,
    concurrency: int,
    once: bool,
    heartbeat: float | None,
    stalled_after: float | None,
) -> None:
    """运行后台任务（发放、回收等）；PostgreSQL 上可在多台机器上各运行几个。"""
    from baodao.jobs.worker import serve
    from baodao.store.db import connect, database_url

    url = database_url(db)
    connect(url).dispose()  # the schema is up to date before any worker starts
    data = data_dir.resolve()
    data.mkdir(parents=True, exist_ok=True)
    name = f"{socket.gethostname()}:{os.getpid()}"
    if concurrency == 1:
        click.echo(
            f"baodao worker {name}：{'做完已有任务即停止' if once else 'Ctrl+C 或 SIGTERM 停止'}", err=True
        )
        serve(url, data, name, once=once, heartbeat=heartbeat, stalled_after=stalled_after)
        return
    extra = [] if heartbeat is None else ["--heartbeat", str(heartbeat)]
    extra += [] if stalled_after is None else ["--stalled-after", str(stalled_after)]
    extra += ["--once"] if once else []
    _supervise(url, data, name, concurrency, extra, restart=not once)


def _supervise(url: str, data: Path, name: str, n: int, extra: list[str], restart: bool) -> None:
    stopping = False

    def start(index: int) -> subprocess.Popen[bytes]:
        command = [sys.executable, "-m", "baodao.jobs.worker", "--db", url, "--data", str(data)]
        return subprocess.Popen([*command, "--name", f"{name}-{index}", *extra])

    def stop(signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)  # each finishes the chunk it is running

    children = [start(i) for i in range(n)]
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    click.echo(f"baodao worker {name}：{n} 个工作进程", err=True)
    while True:
        time.sleep(0.5)
        if all(c.poll() is not None for c in children) and (stopping or not restart):
            return
        if restart and not stopping:
            for i, child in enumerate(children):
                if child.poll() is not None:
                    click.echo(f"工作进程 {name}-{i} 已退出（{child.returncode}），重新启动", err=True)
                    children[i] = start(i)
