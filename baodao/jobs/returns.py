"""Intake of a batch of returned files as a job: each file read and stored, and said what became of it.

Parameters (JSON): files, each {path (under the data folder), name (as uploaded), sha256}. The files are
kept in the office's store by hash; intake knows a file by its content, so running again changes nothing.
A big batch is split into chunks of ``CHUNK_FILES`` files that several workers share; ``merge`` joins them.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from baodao.intake.model import ReadRecord
from baodao.jobs.context import JobContext
from baodao.store.offices import link_file, records_of_file
from baodao.store.returns import intake

CHUNK_FILES = 100  # files in a chunk (BAODAO_CHUNK_FILES)


def split(params: dict[str, Any], data_dir: Path) -> list[dict[str, Any]]:
    """The files in parts of ``CHUNK_FILES``, in the order given."""
    given, size = params["files"], int(os.environ.get("BAODAO_CHUNK_FILES", CHUNK_FILES))
    return [{"files": given[n : n + size]} for n in range(0, len(given), size)] or [{}]


def merge(ctx: JobContext, results: list[dict[str, Any]]) -> dict[str, Any]:
    """The chunks' files in order, and the counts over all of them."""
    files = [f for r in results for f in r["files"]]
    read = sum(r["read"] for r in results)
    if len(results) > 1:
        ctx.say(f"共 {len(files)} 个文件：读入 {read} 个，拒收 {len(files) - read} 个")
    return {"files": files, "read": read, "rejected": len(files) - read}


def run(ctx: JobContext) -> dict[str, Any]:
    given = ctx.params["files"]
    ctx.expect(len(given))
    paths = [ctx.data_dir / f["path"] for f in given]
    report = intake(paths, ctx.engine, progress=ctx.advance)
    outcomes: dict[str, dict[str, Any]] = {}
    for r in report.records:
        outcomes[str(r.source)] = _read(r)
    for x in report.rejected:
        outcomes[str(x.source)] = {"status": "rejected", "reason": x.reason}
    already = {str(p) for p in report.already}
    files = []
    for f, path in zip(given, paths, strict=True):
        file_id = link_file(ctx.engine, ctx.office_id, f["sha256"], f["name"])
        outcome = outcomes.get(str(path), {"status": "rejected", "reason": "未读到这个文件"})
        records = records_of_file(ctx.engine, file_id) if file_id is not None else []
        files.append({"name": f["name"], "seen_before": str(path) in already, "records": records, **outcome})
    read = sum(1 for f in files if f["status"] == "read")
    ctx.say(f"共 {len(files)} 个文件：读入 {read} 个，拒收 {len(files) - read} 个")
    return {"files": files, "read": read, "rejected": len(files) - read}


def _read(r: ReadRecord) -> dict[str, Any]:
    return {
        "status": "read",
        "form": r.form,
        "form_id": r.form_id,
        "issues": [{"field": i.field, "message": i.message} for i in r.issues],
    }
