"""Job kinds and the function that runs each (imported when a job of that kind runs).

A kind's module may also split a big job into chunks, ``split(params, data_dir) -> [chunk params]`` (each
laid over the job's), and join the chunks' results, ``merge(ctx, results) -> result``. Without them a job is
one chunk and its result is that chunk's.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from baodao.jobs.context import JobContext

KINDS: dict[str, str] = {
    "issue": "baodao.jobs.issue:run",
    "returns": "baodao.jobs.returns:run",
    "receipts": "baodao.jobs.issue_receipts:run",
    "reissue": "baodao.jobs.reissue:run",
    "filing": "baodao.jobs.filing:run",
    "notice": "baodao.jobs.notice:run",
    "template": "baodao.jobs.templates:run",
}


def _module(kind: str) -> tuple[ModuleType, str]:
    module, name = KINDS[kind].split(":")
    return importlib.import_module(module), name


def function_of(kind: str) -> Callable[[JobContext], dict[str, Any]]:
    module, name = _module(kind)
    found = getattr(module, name)
    assert callable(found)
    return found  # type: ignore[no-any-return]


def split(kind: str, params: dict[str, Any], data_dir: Path) -> list[dict[str, Any]]:
    """The chunks of a job of ``kind``, each a dict laid over ``params``; one when the kind does not split."""
    splitter = getattr(_module(kind)[0], "split", None)
    return list(splitter(params, data_dir)) if splitter is not None else [{}]


def merge(kind: str, ctx: JobContext, results: list[dict[str, Any]]) -> dict[str, Any]:
    """The job's result from its chunks' (in chunk order)."""
    merger = getattr(_module(kind)[0], "merge", None)
    if merger is not None:
        merged = merger(ctx, results)
        assert isinstance(merged, dict)
        return merged
    return results[0] if len(results) == 1 else {"chunks": results}
