"""Benchmark: jobs at city scale on PostgreSQL, with 1 and then 2 `baodao worker` processes on this machine
(standing in for machines): photo intake (pages/min), issuing with PDF (pages/s), DOCX intake (forms/s),
and the ratio 1 → 2 workers; a single-file PDF by a one-shot LibreOffice and by a warm one; and from those,
the machines a city of 100,000 members needs to read its returns in one working day (8 h).

Each worker reads with one process (BAODAO_INTAKE_READERS=1), so that a worker is one core's worth, as one
machine's share would be. Workers start and warm up (soffice) before the clock starts; a run is timed from
submitting the job to its last chunk merged. A throwaway PostgreSQL cluster is made for the run (or give
--db). Run: `make bench-scale` (python -m bench.scale).
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import pwd
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg

from baodao.docgen.batch import GenerateOptions, generate
from baodao.docgen.specimen import render_specimen
from baodao.form_templates.catalog import get_form
from baodao.jobs.queue import ensure_schema
from baodao.jobs.submit import submit
from baodao.office import warm
from baodao.office.pdf import convert_to_pdf
from baodao.store import jobs as rows
from baodao.store.db import connect
from baodao.store.uploads import keep
from tests.conftest import write_roster
from tests.intake.photos import SHOTS, SUBJECTS, photo_set
from tests.jobs.test_city import people

ROOT = Path(__file__).resolve().parents[1]
MEMBERS = 100_000
WORKDAY_MIN = 8 * 60
Params = Callable[[Path], tuple[str, dict[str, Any], int]]


@contextlib.contextmanager
def temporary_postgres() -> Iterator[str]:
    """A throwaway cluster (as tests/postgres.py makes one): the URL of its `postgres` database."""
    bindir = max(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    base = Path(tempfile.mkdtemp(prefix="baodao-bench-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:
        owner = pwd.getpwnam("postgres")
        os.chown(base, owner.pw_uid, owner.pw_gid)
        as_user = ["runuser", "-u", "postgres", "--"]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    data = base / "data"
    initdb = [*as_user, str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust"]
    subprocess.run(initdb, check=True, capture_output=True, cwd=base)
    options = f"-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories={base} -c fsync=off"
    ctl = [*as_user, str(bindir / "pg_ctl"), "-D", str(data), "-w"]
    start = [*ctl, "start", "-l", str(base / "log"), "-o", options]
    subprocess.run(start, check=True, capture_output=True, cwd=base)
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*ctl, "stop", "-m", "fast"], check=False, capture_output=True, cwd=base)
        shutil.rmtree(base, ignore_errors=True)


def fresh(server: str, name: str) -> str:
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {name}")
    return server.rsplit("/", 1)[0] + "/" + name


def kept(data: Path, paths: list[Path]) -> list[dict[str, str]]:
    out = []
    for path in paths:
        copy = data / "incoming" / path.name
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, copy)
        stored = keep(data, 1, copy, path.name)
        out.append({"path": str(stored.path.relative_to(data)), "name": stored.name, "sha256": stored.sha256})
    return out


def tree_cpu(pid: int) -> float:
    """CPU seconds of ``pid`` and everything under it (waited children included: the intake readers)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for p in [pid, *warm.descendants(pid)]:
        try:
            stat = Path(f"/proc/{p}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        total += sum(int(f) for f in fields[11:15]) / tick  # utime stime cutime cstime
    return total


def timed(
    server: str, name: str, workers: int, params: Params, chunks: dict[str, str]
) -> tuple[float, float]:
    """Seconds from submitting the job to its end, with ``workers`` worker processes already running, and the
    CPU seconds the workers (with their readers and soffice) spent on it."""
    url = fresh(server, name)
    ensure_schema(url)
    engine = connect(url)
    data = Path(tempfile.mkdtemp(prefix=f"baodao-bench-{name}-"))
    env = {**os.environ, "PYTHONPATH": str(ROOT), "BAODAO_INTAKE_READERS": "1", **chunks}
    command = [sys.executable, "-m", "baodao.cli", "worker", "--db", url, "--data", str(data)]
    procs = [subprocess.Popen(command, env=env, start_new_session=True) for _ in range(workers)]
    try:
        with psycopg.connect(url) as conn:  # every worker registered and its soffice started
            while conn.execute("SELECT count(*) FROM procrastinate_workers").fetchone() != (workers,):
                time.sleep(0.2)
        time.sleep(8)
        kind, job_params, total = params(data)
        for key, value in chunks.items():
            os.environ[key] = value  # the split happens here, in the submitting process
        cpu = sum(tree_cpu(p.pid) for p in procs)
        began = time.monotonic()
        job_id = submit(engine, data, 1, "bench", kind, name, job_params, total)
        while True:
            job = rows.get(engine, job_id)
            assert job is not None
            if job.state == "failed":
                raise SystemExit(f"{name}: {job.error}")
            if job.state == "done":
                return time.monotonic() - began, sum(tree_cpu(p.pid) for p in procs) - cpu
            time.sleep(0.1)
    finally:
        for p in procs:
            p.send_signal(signal.SIGTERM)
        for p in procs:
            try:
                p.wait(timeout=120)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
        engine.dispose()
        shutil.rmtree(data, ignore_errors=True)


def single_pdf(work: Path, repeat: int) -> tuple[float, float]:
    """Median seconds of a one-page DOCX to PDF: one-shot LibreOffice, then the warm one."""
    source = render_specimen(get_form("zz-b1"), work / "specimen")[0]
    cold = []
    for n in range(repeat):
        began = time.monotonic()
        convert_to_pdf([source], work / f"cold{n}")
        cold.append(time.monotonic() - began)
    if not warm.keep_warm():
        raise SystemExit("no Python with LibreOffice's uno module: install python3-uno")
    convert_to_pdf([source], work / "first")  # starts soffice
    hot = []
    for n in range(repeat * 2):
        began = time.monotonic()
        convert_to_pdf([source], work / f"warm{n}")
        hot.append(time.monotonic() - began)
    return statistics.median(cold), statistics.median(hot)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", help="a PostgreSQL server's URL (its databases bench_* are made and dropped)")
    parser.add_argument("--issue", type=int, default=400, help="forms issued with PDF")
    parser.add_argument("--docx", type=int, default=2000, help="DOCX returns read")
    parser.add_argument("--photo-rounds", type=int, default=1, help="times the photo set is taken")
    args = parser.parse_args()
    load_before = os.getloadavg()
    work = Path(tempfile.mkdtemp(prefix="baodao-bench-scale-"))
    try:
        roster = write_roster(work / "issue.xlsx", people("CT", args.issue))
        returned = write_roster(work / "returned.xlsx", people("RT", args.docx))
        made = generate(get_form("zz-b1"), returned, GenerateOptions(outdir=work / "docx", combined=False))
        docx = sorted(f for f in made.files if f.suffix == ".docx")
        photos = [
            t.path
            for r in range(args.photo_rounds)
            for t in photo_set(work / f"photos{r}", SHOTS, SUBJECTS, every=True)
        ]

        def issue(data: Path) -> tuple[str, dict[str, Any], int]:
            params = {"form": "zz-b1", "roster": kept(data, [roster])[0]["path"], "issue_date": "2025-03-01"}
            return "issue", {**params, "column_map": {}, "blank": [], "pdf": True}, args.issue

        def returns(paths: list[Path]) -> Params:
            return lambda data: ("returns", {"files": kept(data, paths)}, len(paths))

        kinds: list[tuple[str, Params, dict[str, str], int, str]] = [
            ("photos", returns(photos), {"BAODAO_CHUNK_FILES": "4"}, len(photos), "pages/min"),
            ("issue", issue, {"BAODAO_CHUNK_RECORDS": "50"}, args.issue, "pages/s"),
            ("docx", returns(docx), {"BAODAO_CHUNK_FILES": "100"}, len(docx), "forms/s"),
        ]
        figures: dict[str, tuple[float, float]] = {}
        cpu_each: dict[str, float] = {}  # CPU seconds an item with 2 workers
        with contextlib.ExitStack() as stack:
            server = args.db or stack.enter_context(temporary_postgres())
            for name, params, chunks, n, unit in kinds:
                per = 60.0 if unit == "pages/min" else 1.0
                (wall1, cpu1), (wall2, cpu2) = (
                    timed(server, f"bench_{name}_{w}", w, params, chunks) for w in (1, 2)
                )
                one, two = n / wall1 * per, n / wall2 * per
                figures[name] = (one, two)
                cpu_each[name] = cpu2 / n
                print(
                    f"{name} ({n}): 1 worker {one:.1f} {unit}, 2 workers {two:.1f} {unit}, {two / one:.2f}×;"
                    f" CPU {cpu1 / n:.3f} and {cpu2 / n:.3f} s an item, cores used {cpu1 / wall1:.2f} and"
                    f" {cpu2 / wall2:.2f}; a core's worth, 1 worker {n / cpu1 * per:.1f} {unit},"
                    f" 2 workers {n / cpu2 * per:.1f} {unit} (2 workers on 2 free cores:"
                    f" {2 * cpu1 / cpu2:.2f}×)",
                    flush=True,
                )
        cold, hot = single_pdf(work, 3)
        print(
            f"single-file PDF: one-shot LibreOffice {cold:.2f} s, warm {hot:.2f} s ({cold / hot:.1f}× sooner)"
        )
        load_after = os.getloadavg()
        print(
            f"load average before {load_before[0]:.1f}, after {load_after[0]:.1f} (1 min);"
            f" {os.cpu_count()} cores"
        )
        for name in ("photos", "docx"):
            per_minute = figures[name][1] * (1.0 if name == "photos" else 60.0)
            machines = math.ceil(MEMBERS / (per_minute * WORKDAY_MIN))
            free = 2 * 60 / cpu_each[name]  # both cores of a machine of its own, by the CPU an item took
            print(
                f"{MEMBERS:,} returns as {name} in one working day: {MEMBERS / WORKDAY_MIN:.0f} a minute; "
                f"a 2-core machine (2 workers) read {per_minute:.0f} a minute here: {machines} machine(s); "
                f"with both its cores free, {free:.0f} a minute: {math.ceil(MEMBERS / (free * WORKDAY_MIN))}"
                " machine(s)"
            )
    finally:
        warm._let_go()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
