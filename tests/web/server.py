"""A real `baodao serve` process on a free port, on SQLite or on the session's PostgreSQL server."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@dataclass(frozen=True)
class Server:
    url: str
    admin_password: str
    db: str
    data: Path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def running_server(db: str, data: Path) -> Iterator[Server]:
    """`baodao serve` with its own job worker; the admin's one-time password read from what it prints."""
    port = _free_port()
    command = [
        sys.executable,
        "-m",
        "baodao.cli",
        "serve",
        "--db",
        db,
        "--data",
        str(data),
        "--port",
        str(port),
    ]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, start_new_session=True
    )
    try:
        assert process.stdout is not None
        printed = ""
        password = None
        while "工作台：" not in printed:
            line = process.stdout.readline()
            if not line:
                raise AssertionError(f"baodao serve stopped: {printed}")
            printed += line
            found = re.search(r"一次性密码：(\w+)", line)
            password = found.group(1) if found else password
        assert password is not None, printed
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/login", timeout=5) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        yield Server(url, password, db, data)
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, 9)
            process.wait(timeout=30)
        if process.stdout is not None:
            process.stdout.close()
