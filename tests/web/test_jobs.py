"""Jobs keep their state in the database: on SQLite a killed worker leaves its job failed and resumable
(on PostgreSQL another worker runs it again: tests/jobs/test_city.py)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from baodao.jobs.submit import submit
from baodao.store import jobs as queue
from baodao.store.offices import DEFAULT_OFFICE
from baodao.store.uploads import keep
from baodao.web.app import worker_prefix
from tests.intake.test_hostile import valid_docx
from tests.web.conftest import Workbench, user
from tests.web.test_isolation import upload_returns

ROOT = Path(__file__).resolve().parents[2]


def test_a_job_goes_queued_running_done_and_a_reload_shows_it(workbench: Workbench, tmp_path: Path) -> None:
    clerk = user(workbench, "clerk-a", workbench.community_a)
    job_id = upload_returns(clerk, [valid_docx(tmp_path)])
    page = clerk.get(f"/jobs/{job_id}")
    assert "排队中" in page.text and 'hx-trigger="every 1s"' in page.text
    workbench.run_jobs()
    job = queue.get(workbench.engine, job_id)
    assert job is not None and job.state == "done" and job.done == job.total == 1
    # The htmx poll gets the fragment alone, now without the poll: the job is over.
    fragment = clerk.get(f"/jobs/{job_id}", headers={"HX-Request": "true"})
    assert fragment.text.lstrip().startswith('<div id="job"')
    assert "已完成" in fragment.text and "every 1s" not in fragment.text
    assert "读入 1 个，拒收 0 个" in fragment.text


# Enough files that the job cannot finish between two looks at it, however fast this machine reads.
FILES = 80


def test_a_worker_killed_mid_job_leaves_it_failed_and_resumable(workbench: Workbench, tmp_path: Path) -> None:
    if workbench.engine.dialect.name != "sqlite":
        pytest.skip("on PostgreSQL a killed worker's chunk is run again by another (tests/jobs/test_city.py)")
    files = []
    for n in range(FILES):  # distinct contents: one valid form, then files that each take the worker a moment
        base = valid_docx(tmp_path / f"f{n}")
        with base.open("ab") as fh:
            fh.write(b"\0" * n)  # a different hash each; trailing bytes after the zip are ignored by readers
        files.append(keep(workbench.settings.data_dir, workbench.community_a, base, f"报到证{n}.docx"))
    params = {
        "files": [
            {"path": str(f.path.relative_to(workbench.settings.data_dir)), "name": f.name, "sha256": f.sha256}
            for f in files
        ]
    }
    data = workbench.settings.data_dir
    job_id = submit(
        workbench.engine, data, workbench.community_a, "clerk-a", "returns", f"回收 {FILES} 个", params
    )
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "baodao.jobs.worker",
            "--db",
            workbench.settings.db,
            "--data",
            str(workbench.settings.data_dir),
            "--name",
            f"{worker_prefix()}-killed",
        ],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        start_new_session=True,  # its file readers go down with it, as a killed machine's would
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            job = queue.get(workbench.engine, job_id)
            assert job is not None
            if job.state == "running":  # killed as soon as it runs: its files cannot all be read by then
                break
            time.sleep(0.02)
        os.killpg(worker.pid, signal.SIGKILL)
    finally:
        worker.wait(timeout=30)
    job = queue.get(workbench.engine, job_id)
    assert job is not None and job.state == "running" and job.done < FILES
    # The server starting again finds it: failed, with the reason, and a button to run it again.
    with TestClient(workbench.app):
        pass
    clerk = user(workbench, "clerk-a", workbench.community_a)
    page = clerk.get(f"/jobs/{job_id}").text
    assert "失败" in page and "服务器在任务进行中停止" in page and "重新运行" in page
    assert clerk.post(f"/jobs/{job_id}/retry").status_code == 303
    workbench.run_jobs()
    resumed = queue.get(workbench.engine, job_id)
    assert resumed is not None and resumed.state == "done" and resumed.attempts == 2
    assert resumed.result is not None
    outcomes = [(f["name"], f["status"], f.get("form"), f.get("form_id")) for f in resumed.result["files"]]
    assert outcomes == [(f"报到证{n}.docx", "read", "zz-b1", "OK-1") for n in range(FILES)]
    # Run once more: intake knows every file by its content, so nothing new is stored.
    again = submit(workbench.engine, data, workbench.community_a, "clerk-a", "returns", "再来一次", params)
    workbench.run_jobs()
    rerun = queue.get(workbench.engine, again)
    assert rerun is not None and rerun.result is not None
    assert all(f["seen_before"] for f in rerun.result["files"])
    assert [(f["name"], f["status"], f.get("form_id")) for f in rerun.result["files"]] == [
        o[:2] + o[3:] for o in outcomes
    ]


def test_the_top_administrator_sees_the_whole_queue_on_the_jobs_page(
    workbench: Workbench, tmp_path: Path
) -> None:
    clerk = user(workbench, "clerk-a", workbench.community_a)
    upload_returns(clerk, [valid_docx(tmp_path)])
    admin = user(workbench, "root", DEFAULT_OFFICE, role="admin")
    page = admin.get("/jobs").text
    assert "全部任务：排队 1 · 进行中 0 · 失败 0 · 已完成 0" in page
    if workbench.engine.dialect.name == "postgresql":
        assert "队列：等待 1 份 · 运行中 0 份 · 失败 0 份 · 停滞 0 份" in page
    assert "全部任务" not in clerk.get("/jobs").text  # a 社区's clerk sees its own jobs, not the city's queue
    workbench.run_jobs()
    assert "全部任务：排队 0 · 进行中 0 · 失败 0 · 已完成 1" in admin.get("/jobs").text
