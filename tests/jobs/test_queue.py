"""Jobs on both databases: split into chunks and joined in order; on PostgreSQL through procrastinate, with
retries and backoff for a passing fault, at once failed for bad input; `baodao jobs` and `baodao files`."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine, func, select, update

from baodao.cli import main
from baodao.jobs.submit import submit
from baodao.jobs.worker import attempt, serve
from baodao.store import jobs as rows
from baodao.store.schema import files, issued_forms, job_chunks, jobs, records
from baodao.store.uploads import keep
from tests.conftest import write_roster
from tests.intake.test_hostile import valid_docx
from tests.jobs.test_city import people

ROOT = Path(__file__).resolve().parents[2]


def url_of(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False).replace("postgresql+psycopg://", "postgresql://")


def returned_files(data: Path, tmp_path: Path, n: int) -> list[dict[str, str]]:
    """``n`` returns of distinct content (the same form, trailing bytes after the zip) kept in office 1."""
    kept = []
    for i in range(n):
        base = valid_docx(tmp_path / f"f{i}")
        with base.open("ab") as fh:
            fh.write(b"\0" * (i + 1))
        stored = keep(data, 1, base, f"报到证{i}.docx")
        kept.append(
            {"path": str(stored.path.relative_to(data)), "name": stored.name, "sha256": stored.sha256}
        )
    return kept


def wait_for(engine: Engine, job_id: int, states: tuple[str, ...], seconds: float = 120) -> rows.Job:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job = rows.get(engine, job_id)
        if job is not None and job.state in states:
            return job
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} not {states} in {seconds} s: {rows.get(engine, job_id)}")


def test_a_big_batch_is_split_and_its_results_joined_in_order(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BAODAO_CHUNK_FILES", "2")
    data = tmp_path / "data"
    files = returned_files(data, tmp_path, 5)
    job_id = submit(engine, data, 1, "clerk", "returns", "回收 5 个", {"files": files}, 5)
    assert [c.params["files"] for c in rows.chunks_of(engine, job_id)] == [files[0:2], files[2:4], files[4:5]]
    serve(url_of(engine), data, "test-worker", once=True)
    job = rows.get(engine, job_id)
    assert job is not None and job.state == "done" and job.done == job.total == 5
    assert job.result is not None
    assert [f["name"] for f in job.result["files"]] == [f"报到证{i}.docx" for i in range(5)]
    assert job.result["read"] == 5 and "共 5 个文件：读入 5 个，拒收 0 个" in job.messages
    assert {c.state for c in rows.chunks_of(engine, job_id)} == {"done"}
    with engine.connect() as conn:  # one record a file, stored once (the same 编号: one current, four kept)
        assert conn.execute(select(func.count()).select_from(records)).scalar_one() == 5


def test_a_worker_started_where_an_event_loop_already_runs_still_empties_the_queue(
    engine: Engine, tmp_path: Path
) -> None:
    """A notebook, or Playwright's sync API in the same process, keeps an event loop running in this
    thread; ``asyncio.run`` refuses to start there, so the worker must not rely on it."""
    data = tmp_path / "data"
    files = returned_files(data, tmp_path, 2)
    job_id = submit(engine, data, 1, "clerk", "returns", "回收 2 个", {"files": files}, 2)

    async def inside_a_running_loop() -> None:
        serve(url_of(engine), data, "test-worker", once=True)

    asyncio.run(inside_a_running_loop())
    job = rows.get(engine, job_id)
    assert job is not None and job.state == "done" and job.done == job.total == 2


def start_worker(engine: Engine, data: Path) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "baodao.cli", "worker", "--db", url_of(engine), "--data", str(data)]
    return subprocess.Popen(
        [*command, "--heartbeat", "0.5", "--stalled-after", "5"],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        start_new_session=True,
    )


def stopped(worker: subprocess.Popen[bytes]) -> int:
    worker.send_signal(signal.SIGTERM)
    try:
        return worker.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(worker.pid, signal.SIGKILL)
        raise


def postgres_only(engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("procrastinate runs on PostgreSQL only; SQLite's own workers do not retry")


def test_a_passing_fault_is_retried_with_backoff_then_the_job_fails_with_its_reason(
    engine: Engine, tmp_path: Path
) -> None:
    postgres_only(engine)
    data = tmp_path / "data"
    files = returned_files(data, tmp_path, 1)
    job_id = submit(engine, data, 1, "clerk", "returns", "回收 1 个", {"files": files}, 1)
    blocker = data / "jobs" / str(job_id) / "chunk-0"  # a file where the chunk's folder must go: OSError
    blocker.parent.mkdir(parents=True)
    blocker.write_text("not a folder")
    began = time.monotonic()
    worker = start_worker(engine, data)
    try:
        job = wait_for(engine, job_id, ("failed",), seconds=180)
    finally:
        assert stopped(worker) == 0  # SIGTERM: a clean stop
    took = time.monotonic() - began
    assert job.error == f"任务出错未完成（FileExistsError）；请把任务编号 {job_id} 告诉管理员"
    [chunk] = rows.chunks_of(engine, job_id)
    assert chunk.attempts == 4  # the first try and three retries
    assert took >= 2 + 4 + 8  # waited 2, 4 and 8 s between them
    # The fault mended, 重新运行 (here `baodao jobs retry`) puts it back, and a worker finishes it.
    blocker.unlink()
    runner = CliRunner()
    answer = runner.invoke(main, ["jobs", "--db", url_of(engine), "retry", str(job_id)])
    assert answer.exit_code == 0 and f"任务 {job_id} 已重新排队" in answer.output
    serve(url_of(engine), data, "test-worker", once=True)
    assert wait_for(engine, job_id, ("done",), seconds=5).result is not None


def test_bad_input_fails_the_job_at_once_with_its_reason(engine: Engine, tmp_path: Path) -> None:
    postgres_only(engine)
    data = tmp_path / "data"
    roster = tmp_path / "roster.csv"
    roster.write_text("编号,姓名\nA-1,张三\n", encoding="utf-8")
    stored = keep(data, 1, roster, "roster.csv")
    params: dict[str, Any] = {
        "form": "zz-b1",
        "roster": str(stored.path.relative_to(data)),
        "issue_date": "2025-03-01",
        "pdf": False,
    }
    job_id = submit(engine, data, 1, "clerk", "issue", "发放", params)
    serve(url_of(engine), data, "test-worker", once=True)
    job = wait_for(engine, job_id, ("failed",), seconds=5)
    assert job.error is not None and "性别" in job.error  # the required fields the roster lacks, named
    assert [c.attempts for c in rows.chunks_of(engine, job_id)] == [1]


def test_baodao_jobs_shows_the_queue_and_files_clean_removes_old_results(
    engine: Engine, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    runner = CliRunner()
    docs = [valid_docx(tmp_path / "cli")]
    answer = runner.invoke(
        main, ["jobs", "--db", url_of(engine), "intake", str(docs[0]), "--data", str(data), "--user", "张三"]
    )
    assert answer.exit_code == 0, answer.output
    assert docs[0].exists()  # the user's file stays where it was; a copy is in the file store
    found = re.search(r"任务 (\d+)：回收 1 个文件（命令行），已排队", answer.output)
    assert found is not None, answer.output
    job_id = int(found.group(1))
    status = runner.invoke(main, ["jobs", "--db", url_of(engine)])
    assert status.exit_code == 0 and "任务：排队 1，进行中 0，失败 0，已完成 0" in status.output
    if engine.dialect.name == "postgresql":
        assert "队列（procrastinate）：等待 1 份，运行中 0 份，失败 0 份，停滞 0 份" in status.output
    serve(url_of(engine), data, "test-worker", once=True)
    done = wait_for(engine, job_id, ("done",), seconds=5)
    assert done.username == "张三" and done.result is not None and done.result["read"] == 1
    status = runner.invoke(main, ["jobs", "--db", url_of(engine)])
    assert "任务：排队 0，进行中 0，失败 0，已完成 1" in status.output
    # The age policy: a job finished 100 days ago loses its folder; the file handed in stays.
    folder = data / "jobs" / str(job_id)
    assert folder.is_dir()
    kept = [p for p in (data / "offices").rglob("*.docx")]
    assert len(kept) == 1
    clean = ["files", "clean", "--db", url_of(engine), "--data", str(data), "--older-than", "90"]
    assert "已删除 0 个任务的结果" in runner.invoke(main, clean).output
    with engine.begin() as conn:
        conn.execute(
            update(jobs)
            .where(jobs.c.id == job_id)
            .values(finished_at=dt.datetime.now() - dt.timedelta(days=100))
        )
    assert "已删除 1 个任务的结果" in runner.invoke(main, clean).output
    assert not folder.exists() and all(p.is_file() for p in kept)


def test_a_chunk_run_again_after_its_worker_died_stores_nothing_twice(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BAODAO_CHUNK_RECORDS", "2")
    monkeypatch.setenv("BAODAO_CHUNK_FILES", "2")
    data = tmp_path / "data"
    roster = write_roster(tmp_path / "roster.xlsx", people("CT", 5))
    stored = keep(data, 1, roster, "roster.xlsx")
    params: dict[str, Any] = {"form": "zz-b1", "roster": str(stored.path.relative_to(data))}
    params |= {"issue_date": "2025-03-01", "pdf": False, "column_map": {}, "blank": []}
    issue = submit(engine, data, 1, "clerk", "issue", "发放 5 份", params)
    returns = submit(
        engine, data, 1, "clerk", "returns", "回收 3 个", {"files": returned_files(data, tmp_path, 3)}
    )
    serve(url_of(engine), data, "first", once=True)

    def counts() -> tuple[int, int, int]:
        with engine.connect() as conn:
            return tuple(  # type: ignore[return-value]
                conn.execute(select(func.count()).select_from(t)).scalar_one()
                for t in (issued_forms, files, records)
            )

    before = counts()
    assert before == (5, 3, 3)
    first = {j: rows.get(engine, j) for j in (issue, returns)}
    # A worker that stored its chunk and was killed before saying so: the chunk is still “running”.
    with engine.begin() as conn:
        for job_id in (issue, returns):
            conn.execute(update(jobs).where(jobs.c.id == job_id).values(state="running"))
            conn.execute(
                update(job_chunks)
                .where(job_chunks.c.job_id == job_id, job_chunks.c.chunk == 1)
                .values(state="running")
            )
    for job_id in (issue, returns):
        attempt(engine, data, job_id, 1, "second")  # as procrastinate runs it again
    assert counts() == before
    redone = rows.chunks_of(engine, issue)[1]
    assert redone.attempts == 2 and redone.worker == "second" and redone.result is not None
    assert (redone.result["registered"], redone.result["already"]) == (0, 2)
    for job_id in (issue, returns):
        job, earlier = rows.get(engine, job_id), first[job_id]
        assert job is not None and earlier is not None and job.state == "done" and job.result is not None
        assert earlier.result is not None
        assert (
            job.result["made" if job_id == issue else "read"]
            == earlier.result["made" if job_id == issue else "read"]
        )
    # Run once more, delivered twice: a chunk done is not run again.
    attempt(engine, data, issue, 1, "third")
    assert rows.chunks_of(engine, issue)[1].worker == "second" and counts() == before


def test_baodao_jobs_issue_queues_a_batch_checked_first(engine: Engine, tmp_path: Path) -> None:
    data = tmp_path / "data"
    runner = CliRunner()
    base = ["jobs", "--db", url_of(engine), "issue", "zz-b1"]
    thin = tmp_path / "thin.csv"
    thin.write_text("编号,姓名\nA-1,张三\n", encoding="utf-8")
    refused = runner.invoke(main, [*base, str(thin), "--data", str(data)])
    assert refused.exit_code == 1 and "thin.csv 中没有列填写这些必填项：报到地党组织、性别" in refused.output
    assert rows.counts(engine)["queued"] == 0
    roster = write_roster(tmp_path / "名册.xlsx", people("CT", 5))
    answer = runner.invoke(
        main, [*base, str(roster), "--data", str(data), "--issue-date", "2025-03-01", "--no-pdf"]
    )
    assert answer.exit_code == 0 and "（名册.xlsx，命令行），已排队" in answer.output, answer.output
    serve(url_of(engine), data, "test-worker", once=True)
    [job] = rows.jobs_of(engine, {1})
    assert job.state == "done" and job.result is not None and job.result["made"] == 5
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(issued_forms)).scalar_one() == 5


def test_worker_concurrency_runs_processes_that_share_a_job_and_stop_on_sigterm(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    postgres_only(engine)
    monkeypatch.setenv("BAODAO_CHUNK_FILES", "1")
    data = tmp_path / "data"
    job_id = submit(
        engine, data, 1, "clerk", "returns", "回收 6 个", {"files": returned_files(data, tmp_path, 6)}
    )
    command = [sys.executable, "-m", "baodao.cli", "worker", "--db", url_of(engine), "--data", str(data)]
    parent = subprocess.Popen(
        [*command, "--concurrency", "2"], env={**os.environ, "PYTHONPATH": str(ROOT)}, start_new_session=True
    )
    try:
        job = wait_for(engine, job_id, ("done",), seconds=180)
    finally:
        assert stopped(parent) == 0
    assert job.result is not None and job.result["read"] == 6
    names = {c.worker for c in rows.chunks_of(engine, job_id)}
    assert names <= {f"{socket.gethostname()}:{parent.pid}-{i}" for i in (0, 1)}
    time.sleep(1)
    mark = f"{socket.gethostname()}:{parent.pid}-".encode()
    left = [p for p in Path("/proc").glob("[0-9]*") if mark in _cmdline(p)]
    assert left == []  # both worker processes stopped with it


def _cmdline(proc: Path) -> bytes:
    try:
        return (proc / "cmdline").read_bytes()
    except OSError:
        return b""
