"""Database tests run twice: on SQLite, and on a real PostgreSQL server started for the session in a temp dir.

The server comes from the PostgreSQL binaries on this machine (Debian: /usr/lib/postgresql/N/bin, from the
`postgresql` package that scripts/setup-system.sh installs). It listens on 127.0.0.1 only, on a free port,
with trust authentication, and is stopped and deleted at the end of the session. When no binaries are found
or the server does not start, the PostgreSQL tests are skipped with the reason; with
BAODAO_REQUIRE_POSTGRES=1 they fail instead.
"""

from __future__ import annotations

import itertools
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

import psycopg
import pytest
from sqlalchemy import Engine

from baodao.store.db import connect

REQUIRE = "BAODAO_REQUIRE_POSTGRES"
DATABASE = "baodao_test"
# What happened to the server, printed at the end of the run (fixture output is otherwise captured).
_report: list[str] = []
_databases = itertools.count(1)


def _unavailable(reason: str) -> NoReturn:
    _report.append(f"PostgreSQL tests not run: {reason}")
    if os.environ.get(REQUIRE):
        pytest.fail(f"{reason} ({REQUIRE} is set)", pytrace=False)
    pytest.skip(reason)


def _bindir() -> Path | None:
    """The newest Debian PostgreSQL bin directory, else the one holding pg_ctl on PATH."""

    def version(p: Path) -> tuple[int, ...]:
        return tuple(int(n) for n in re.findall(r"\d+", p.parent.name))

    debian = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=version)
    for bindir in reversed(debian):
        if (bindir / "initdb").is_file() and (bindir / "pg_ctl").is_file():
            return bindir
    on_path = shutil.which("pg_ctl")
    if on_path and shutil.which("initdb"):
        return Path(on_path).parent
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=120, check=False)


def _tail(text: str, lines: int = 8) -> str:
    return " | ".join(line for line in text.strip().splitlines()[-lines:] if line.strip())


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """postgresql://postgres@127.0.0.1:PORT/baodao_test on a throwaway cluster, for the whole session."""
    bindir = _bindir()
    if bindir is None:
        _unavailable("no PostgreSQL binaries (initdb, pg_ctl) in /usr/lib/postgresql/*/bin or on PATH")
    as_postgres: list[str] = []
    owner: pwd.struct_passwd | None = None
    if os.geteuid() == 0:  # initdb refuses to run as root: run the server as the postgres user
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            _unavailable("running as root and there is no `postgres` user to run the server as")
        runuser = shutil.which("runuser")
        if runuser is None:
            _unavailable("running as root and `runuser` is missing, so the server cannot run as postgres")
        as_postgres = [runuser, "-u", "postgres", "--"]
    base = Path(tempfile.mkdtemp(prefix="baodao-pg-"))  # under /tmp, which the postgres user can traverse
    if owner is not None:
        os.chown(base, owner.pw_uid, owner.pw_gid)
    data, log = base / "data", base / "server.log"
    started = False
    try:
        initdb = [*as_postgres, str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust"]
        made = _run([*initdb, "-E", "UTF8", "--no-locale", "--no-sync"], base)
        if made.returncode != 0:
            _unavailable(f"initdb failed ({bindir}): {_tail(made.stderr or made.stdout)}")
        server_log = ""
        for _attempt in range(3):
            port = _free_port()
            options = (
                f"-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories={base}"
                " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
            )
            start = [*as_postgres, str(bindir / "pg_ctl"), "start", "-w", "-t", "60", "-D", str(data)]
            run = _run([*start, "-l", str(log), "-o", options], base)
            if run.returncode == 0:
                started = True
                break
            server_log = log.read_text(errors="replace") if log.exists() else ""
            log.unlink(missing_ok=True)
            if "already in use" not in server_log:  # only a port taken since it was found is worth a retry
                break
        if not started:
            _unavailable(f"the server did not start ({bindir}): {_tail(run.stderr + server_log, 4)}")
        with psycopg.connect(
            host="127.0.0.1", port=port, user="postgres", dbname="postgres", autocommit=True
        ) as admin:
            admin.execute(f"CREATE DATABASE {DATABASE}")
            version = admin.execute("SHOW server_version").fetchone()
        _report.append(
            f"PostgreSQL {version[0] if version else '?'} started from {bindir} on 127.0.0.1:{port}"
            f" (cluster in {base}{', run as postgres' if as_postgres else ''})"
        )
        yield f"postgresql://postgres@127.0.0.1:{port}/{DATABASE}"
    finally:
        if started:
            stop = _run(
                [*as_postgres, str(bindir / "pg_ctl"), "stop", "-w", "-m", "fast", "-D", str(data)], base
            )
            _report.append(
                "PostgreSQL server stopped"
                if stop.returncode == 0
                else f"pg_ctl stop failed: {_tail(stop.stderr)}"
            )
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A migrated database of its own for one test: a SQLite file, or a new database on the session server."""
    if request.param == "sqlite":
        made = connect(str(tmp_path / "store.sqlite3"))
        yield made
        made.dispose()
        return
    url: str = request.getfixturevalue("postgres_url")
    name = f"baodao_t{next(_databases)}"
    server = url.rsplit("/", 1)[0]
    with psycopg.connect(f"{server}/{DATABASE}", autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    made = connect(f"{server}/{name}")
    yield made
    made.dispose()
    with psycopg.connect(f"{server}/{DATABASE}", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE {name} WITH (FORCE)")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for line in _report:
        terminalreporter.write_line(f"store: {line}")
