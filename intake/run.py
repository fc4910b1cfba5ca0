"""Which files a batch holds, and one file read in the sandboxed worker or in this process."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from baodao.errors import BaodaoError
from baodao.intake.failures import reason_for
from baodao.intake.limits import Limits
from baodao.intake.model import ReadRecord, Rejected
from baodao.intake.worker import ReadingWorker, read_record
from baodao.office.sources import lock_file_reason
from baodao.text import shown


@dataclass(frozen=True)
class Skipped:
    """A file or folder intake did not look at, and why."""

    source: Path
    reason: str
    named: bool  # named on the command line, not found inside a folder

    def as_json(self) -> dict[str, object]:
        return {"source": shown(self.source), "reason": self.reason}


HIDDEN = "是隐藏的（名称以 . 开头），通常是系统或其他程序留下的，未读取"
LINKED_FOLDER = "是指向别处的文件夹链接，未进入（以免读到别处的文件或兜圈子）：请把文件夹本身放进来"
LINKED_FILE = "是指向别处的文件链接，未读取：请把文件本身放进来"


def collect(paths: Iterable[Path]) -> tuple[list[Path], list[Skipped]]:
    """Files named, and every file under folders named; what is passed over, with the reason.

    Word's lock files (~$…) and hidden files are passed over, named or not; inside a folder, links are
    not followed (a link named on the command line is: the user chose it)."""
    found: list[Path] = []
    skipped: list[Skipped] = []
    for path in paths:
        if not path.is_dir():
            reason = _passed_over(path)
            if reason is None:
                found.append(path)
            else:
                skipped.append(Skipped(path, reason, named=True))
            continue
        for folder, dirs, files in os.walk(path):
            kept = []
            for name in sorted(dirs):
                sub = Path(folder, name)
                if sub.is_symlink() or name.startswith("."):
                    skipped.append(Skipped(sub, LINKED_FOLDER if sub.is_symlink() else HIDDEN, named=False))
                else:
                    kept.append(name)
            dirs[:] = kept
            for name in sorted(files):
                candidate = Path(folder, name)
                reason = LINKED_FILE if candidate.is_symlink() else _passed_over(candidate)
                if reason is None:
                    found.append(candidate)
                else:
                    skipped.append(Skipped(candidate, reason, named=False))
    return list(dict.fromkeys(found)), skipped


def _passed_over(path: Path) -> str | None:
    lock = lock_file_reason(path)
    if lock is not None:
        return lock
    if path.name.startswith("."):
        return HIDDEN
    return None


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
        return Rejected(path, reason_for(exc, path))
