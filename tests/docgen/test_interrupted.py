"""A batch killed half way (kill -9), run again, leaves the same files and register as one clean run."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from baodao.store.db import connect
from baodao.store.register import list_issued
from tests.conftest import write_roster


def roster(path: Path, count: int) -> Path:
    rows: list[list[object]] = [
        [
            f"K-{i:04d}",
            f"测试{i}",
            "女",
            30 + i % 20,
            "区卫健委",
            f"138{i:08d}",
            f"新安路{i}号",
            "新安社区",
            "政策宣讲、法律援助",
            "新安社区党委",
        ]
        for i in range(count)
    ]
    return write_roster(path, rows)


def command(data: Path, out: Path, db: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "baodao.cli",
        "generate",
        "zz-b1",
        "--data",
        str(data),
        "--out",
        str(out),
        "--db",
        str(db),
        "--issue-date",
        "2025-03-01",
    ]


Register = list[tuple[str, str, dt.date | None, str]]


def snapshot(out: Path, db: Path) -> tuple[dict[str, str], Register]:
    files = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(out.iterdir())}
    register = [(e.form_id, e.recipient, e.due_date, e.status) for e in list_issued(connect(str(db)))]
    return files, register


def test_killed_batch_run_again_equals_one_clean_run(tmp_path: Path) -> None:
    data = roster(tmp_path / "名册.xlsx", 300)
    clean_out, clean_db = tmp_path / "clean", tmp_path / "clean.sqlite3"
    subprocess.run(command(data, clean_out, clean_db), check=True, capture_output=True)

    out, db = tmp_path / "killed", tmp_path / "killed.sqlite3"
    proc = subprocess.Popen(command(data, out, db), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list(out.glob("*.docx"))) < 40:
        time.sleep(0.01)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    written = len(list(out.glob("*.docx")))
    assert 0 < written < 301, "the kill must land mid-batch"
    subprocess.run(command(data, out, db), check=True, capture_output=True)

    assert snapshot(out, db) == snapshot(clean_out, clean_db)
    manifest = json.loads((out / ".baodao-outputs.json").read_text(encoding="utf-8"))
    assert len(manifest["files"]) == 300 + 3
