"""Which files a batch holds, and one file read in the sandboxed worker or in this process."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from baodao.errors import BaodaoError
from baodao.intake.limits import Limits
from baodao.intake.model import ReadRecord, Rejected
from baodao.intake.worker import ReadingWorker, read_record


def collect(paths: Iterable[Path]) -> list[Path]:
    """Files named, and every file under folders named, there without Word's lock files (~$…) and
    hidden files. A lock file named on its own is kept, to be refused with its reason."""
    found: list[Path] = []
    for path in paths:
        if not path.is_dir():
            found.append(path)
            continue
        candidates = sorted(p for p in path.rglob("*") if p.is_file())
        found += [p for p in candidates if not p.name.startswith(("~$", "."))]
    return found


def read_file(
    path: Path, worker: ReadingWorker | None = None, limits: Limits | None = None
) -> ReadRecord | Rejected:
    """One file as a record of its form, or the reason it cannot be one.

    With a ``worker``, the file is parsed in that process under its time and memory limits.
    """
    if worker is not None:
        return worker.read(path)
    try:
        return read_record(path, limits or Limits.from_environment())
    except BaodaoError as exc:
        return Rejected(path, str(exc))
    except Exception as exc:  # a damaged file fails inside the parser in many ways; none may stop the batch
        return Rejected(path, f"文件已损坏或格式不对，无法读取（{type(exc).__name__}: {exc}）")
