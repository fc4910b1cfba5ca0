"""Job kinds and the function that runs each (imported when a job of that kind runs)."""

from __future__ import annotations

import importlib
from collections.abc import Callable
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


def function_of(kind: str) -> Callable[[JobContext], dict[str, Any]]:
    module, name = KINDS[kind].split(":")
    found = getattr(importlib.import_module(module), name)
    assert callable(found)
    return found  # type: ignore[no-any-return]
