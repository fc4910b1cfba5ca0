"""City scale on a real PostgreSQL: two `baodao worker` processes share a batch of returns and a batch of
issued forms with PDF, one is killed with SIGKILL mid-batch, and every form is still made, registered and
read exactly once: the database ends equal to a clean run by one worker.

BAODAO_CITY_N sets the batch size: 200 in `make test` (chunks of 50 rows and 25 files, so that both batches
are split as a big one is), 2,000 in `make test-scale` (the default chunks: 500 rows, 100 files).
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
from pypdf import PdfReader
from sqlalchemy import Engine, select

from baodao.docgen.batch import GenerateOptions, generate
from baodao.form_templates.catalog import get_form
from baodao.jobs.submit import submit
from baodao.store import jobs as rows
from baodao.store.db import connect
from baodao.store.schema import files, issued_forms, job_chunks, office_files, records
from baodao.store.uploads import keep
from tests.conftest import write_roster

ROOT = Path(__file__).resolve().parents[2]
N = int(os.environ.get("BAODAO_CITY_N", "200"))
SMALL = N < 1000
CHUNKS = {"BAODAO_CHUNK_RECORDS": "50", "BAODAO_CHUNK_FILES": "25"} if SMALL else {}
HEARTBEAT, STALLED_AFTER = "0.5", "5"
SEXES = ("男", "女")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "建国晓燕敏华明丽强军平静磊娜伟芳勇秀英杰"


def people(prefix: str, n: int) -> list[list[object]]:
    return [
        [
            f"{prefix}-{i:05d}",
            SURNAMES[i % len(SURNAMES)] + GIVEN[(i // len(SURNAMES)) % len(GIVEN)] + GIVEN[i % 7],
            SEXES[i % 2],
            25 + i % 35,
            f"区第{i % 40 + 1}机关 科员",
            f"138{i:08d}",
            f"新安路{i}号",
            "新安社区",
            "政策宣讲、助老服务",
            "新安社区党委",
        ]
        for i in range(1, n + 1)
    ]


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path]]:
    """A roster of N members to issue to, and N filled returns of other members (made by baodao itself)."""
    base = tmp_path_factory.mktemp("city")
    roster = write_roster(base / "issue.xlsx", people("CT", N))
    returned = write_roster(base / "returned.xlsx", people("RT", N))
    made = generate(get_form("zz-b1"), returned, GenerateOptions(outdir=base / "returns", combined=False))
    docx = sorted(f for f in made.files if f.suffix == ".docx")
    assert len(docx) == N
    return roster, docx


@dataclass
class Run:
    engine: Engine
    data: Path
    issue: int
    returns: int


def fresh_database(server_url: str, name: str) -> str:
    server = server_url.rsplit("/", 1)[0]
    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {name}")
    return f"{server}/{name}"


def queue_batches(
    url: str, data: Path, inputs: tuple[Path, list[Path]], monkeypatch: pytest.MonkeyPatch
) -> Run:
    """Both batches submitted as the workbench does: files kept in the office's store, chunks deferred."""
    for key, value in CHUNKS.items():
        monkeypatch.setenv(key, value)
    roster, docx = inputs
    engine = connect(url)
    work = data / "incoming"
    work.mkdir(parents=True)

    def kept(path: Path) -> dict[str, str]:
        copy = work / path.name
        shutil.copyfile(path, copy)
        stored = keep(data, 1, copy, path.name)
        return {"path": str(stored.path.relative_to(data)), "name": stored.name, "sha256": stored.sha256}

    params: dict[str, Any] = {
        "form": "zz-b1",
        "roster": kept(roster)["path"],
        "roster_name": "issue.xlsx",
        "column_map": {},
        "blank": [],
        "issue_date": "2025-03-01",
        "due_date": "2025-04-30",
        "issuer": "城东街道党工委",
        "pdf": True,
    }
    issue = submit(engine, data, 1, "city", "issue", f"发放 {N} 份", params)
    returns = submit(engine, data, 1, "city", "returns", f"回收 {N} 个", {"files": [kept(p) for p in docx]})
    return Run(engine, data, issue, returns)


@pytest.fixture
def workers() -> Iterator[list[subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for p in started:
        if p.poll() is None:
            os.killpg(p.pid, signal.SIGKILL)
        p.wait(timeout=60)


def start_worker(run: Run, url: str, started: list[subprocess.Popen[bytes]]) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "baodao.cli", "worker", "--db", url, "--data", str(run.data)]
    command += ["--heartbeat", HEARTBEAT, "--stalled-after", STALLED_AFTER]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    # Its own process group: killed with its intake readers and LibreOffice, as a lost machine's would be.
    p = subprocess.Popen(command, env=env, start_new_session=True)
    started.append(p)
    return p


def wait_done(run: Run, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        states = [j.state if (j := rows.get(run.engine, i)) else None for i in (run.issue, run.returns)]
        assert "failed" not in states, [rows.get(run.engine, i) for i in (run.issue, run.returns)]
        if states == ["done", "done"]:
            return
        time.sleep(0.5)
    raise AssertionError(f"not done in {seconds} s: {rows.chunks_of(run.engine, run.issue)}")


def stop(started: list[subprocess.Popen[bytes]]) -> None:
    """SIGTERM, as systemd stops a worker: each finishes its chunk (none is left) and exits cleanly."""
    for p in started:
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
    for p in started:
        assert p.wait(timeout=120) in (0, -signal.SIGKILL)


def warm_office_of(worker: int) -> list[str]:
    """The command lines of a worker's warm LibreOffice (its pipe is named after the worker's pid)."""
    found = []
    for proc in Path("/proc").glob("[0-9]*"):
        with contextlib.suppress(OSError):
            line = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            if f"baodao_{worker}_" in line:
                found.append(line)
    return found


def snapshot(engine: Engine) -> dict[str, Any]:
    """What the batches stored, without ids, times and paths (which differ from run to run)."""
    with engine.connect() as conn:
        sha = dict(conn.execute(select(files.c.id, files.c.sha256)).all())
        issued = sorted(
            (
                r.form_key,
                r.form_id,
                r.recipient,
                r.issuing_org,
                str(r.issue_date),
                str(r.due_date),
                r.source_row,
                r.status,
                r.office_id,
            )
            for r in conn.execute(select(issued_forms))
        )
        stored = sorted((r.sha256, r.size, r.status, r.reason) for r in conn.execute(select(files)))
        read = sorted(
            (sha[r.file_id], r.form_key, r.form_id, repr(sorted(r.fields.items())), repr(r.issues), r.status)
            for r in conn.execute(select(records))
        )
        owned = sorted((r.office_id, sha[r.file_id], r.name) for r in conn.execute(select(office_files)))
    return {"issued": issued, "files": stored, "records": read, "office_files": owned}


def outputs(run: Run) -> tuple[int, list[str], list[tuple[str, str | None]]]:
    """The issue job's PDF pages and ZIP names, and the returns job's outcome per file."""
    issue, returns = rows.get(run.engine, run.issue), rows.get(run.engine, run.returns)
    assert (
        issue is not None and issue.result is not None and returns is not None and returns.result is not None
    )
    got = {d["name"]: run.data / d["path"] for d in issue.result["downloads"]}
    pdf = next(p for name, p in got.items() if name.endswith(".pdf"))
    zipped = next(p for name, p in got.items() if name.endswith(".zip"))
    with zipfile.ZipFile(io.BytesIO(zipped.read_bytes())) as zf:
        names = sorted(zf.namelist())
    read = [(f["status"], f.get("form_id")) for f in returns.result["files"]]
    return len(PdfReader(pdf).pages), names, read


def test_two_workers_one_killed_mid_batch_do_everything_once(
    postgres_url: str,
    inputs: tuple[Path, list[Path]],
    tmp_path: Path,
    workers: list[subprocess.Popen[bytes]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A clean run by one worker: what the database must hold.
    clean_url = fresh_database(postgres_url, "city_clean")
    clean = queue_batches(clean_url, tmp_path / "clean", inputs, monkeypatch)
    chunks = len(rows.chunks_of(clean.engine, clean.issue)), len(rows.chunks_of(clean.engine, clean.returns))
    assert chunks == ((4, 8) if SMALL else (N // 500, N // 100))
    began = time.monotonic()
    start_worker(clean, clean_url, workers)
    wait_done(clean, 60 + N * 1.5)
    one_worker = time.monotonic() - began
    stop(workers)
    expected = snapshot(clean.engine)
    assert len(expected["issued"]) == N and len(expected["records"]) == N and len(expected["files"]) == N
    assert {r[-2] for r in expected["issued"]} == {"issued"}  # the returns are other members' forms
    pages, names, read = outputs(clean)
    assert pages == N and len(names) == N
    assert read == [("read", f"RT-{i:05d}") for i in range(1, N + 1)]

    # Two workers; the first is killed outright while it runs a chunk, after some chunks are done.
    workers.clear()
    url = fresh_database(postgres_url, "city_killed")
    run = queue_batches(url, tmp_path / "killed", inputs, monkeypatch)
    victim, _survivor = start_worker(run, url, workers), start_worker(run, url, workers)
    name = f"{socket.gethostname()}:{victim.pid}"
    deadline = time.monotonic() + 60 + N
    while time.monotonic() < deadline:
        parts = rows.chunks_of(run.engine, run.issue) + rows.chunks_of(run.engine, run.returns)
        if any(c.state == "done" for c in parts) and any(
            c.state == "running" and c.worker == name for c in parts
        ):
            break
        time.sleep(0.05)
    else:
        raise AssertionError("the first worker never ran a chunk after another was done")
    killed = [(c.job_id, c.chunk) for c in parts if c.state == "running" and c.worker == name]
    os.killpg(victim.pid, signal.SIGKILL)
    victim.wait(timeout=30)
    wait_done(run, 120 + N * 1.5)
    stop(workers)
    # Its warm soffice (a process group of its own) went with it: the bridge saw its input close.
    assert not warm_office_of(victim.pid), warm_office_of(victim.pid)

    assert snapshot(run.engine) == expected
    again = outputs(run)
    assert again[0] == pages and again[1] == names
    assert [status for status, _ in again[2]] == ["read"] * N
    assert [ident for _, ident in again[2]] == [ident for _, ident in read]
    # The killed chunk was run again by the survivor: a second attempt, under the other worker's name.
    with run.engine.connect() as conn:
        for job_id, chunk in killed:
            redo = conn.execute(
                select(job_chunks.c.attempts, job_chunks.c.worker, job_chunks.c.state).where(
                    job_chunks.c.job_id == job_id, job_chunks.c.chunk == chunk
                )
            ).one()
            assert redo.state == "done" and redo.attempts >= 2 and redo.worker != name
    with psycopg.connect(url) as conn:
        left = conn.execute("SELECT status, count(*) FROM procrastinate_jobs GROUP BY status").fetchall()
    assert left == []  # done chunks are deleted from the queue; none failed, none left behind
    print(f"\ncity: {N} issued with PDF + {N} returns; one worker {one_worker:.1f} s")
