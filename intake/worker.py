"""Reads each returned file in a worker process under a time and memory limit.

A file that stalls a parser, or makes it swallow memory, stops only the worker: it is ended, a new one
starts, and the batch goes on with the file refused and the reason given.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import resource
import signal
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from baodao.errors import DataError
from baodao.intake.clean import checked
from baodao.intake.failures import is_out_of_memory, reason_for
from baodao.intake.grid import Grid
from baodao.intake.layout import Layouts
from baodao.intake.legacy import read_legacy
from baodao.intake.limits import Limits
from baodao.intake.model import ReadRecord, Rejected
from baodao.intake.reading import from_grid
from baodao.intake.safety import MB, check_file
from baodao.intake.scan import read_scan
from baodao.intake.scan_reader import IMAGE_SUFFIXES, is_image_pdf
from baodao.office.convert import LEGACY_SUFFIXES
from baodao.office.sources import lock_file_reason
from baodao.text import shown

# (kind, payload, retire): ``retire`` asks for the worker to be replaced, it grew too large reading a file.
Reply = tuple[str, Any, bool]
PR_SET_PDEATHSIG = 1  # prctl(2)
SUPPORTED = (".docx", ".xlsx", ".xlsm", ".pdf", *IMAGE_SUFFIXES, *LEGACY_SUFFIXES)


def is_scan(path: Path, limits: Limits) -> bool:
    """True for a picture file, and for a PDF with no text (after the checks ``read_grid`` makes)."""
    suffix = path.suffix.lower()
    if suffix in IMAGE_SUFFIXES:
        return True
    if suffix != ".pdf":
        return False
    _check(path, limits)
    return is_image_pdf(path, limits)


def read_record(
    path: Path,
    limits: Limits,
    extend: Callable[[float], object] = lambda seconds: None,
    scan: bool | None = None,
    layouts: Layouts | None = None,
) -> ReadRecord | Rejected:
    """The file's record or the reason it has none: a scan by OCR, any other file by its grid.

    ``scan`` says whether it is a scan when the caller has already looked (``is_scan``); a scan is laid
    over the layout ``layouts`` gives its form and id (bundled unless the store says otherwise)."""
    lock = lock_file_reason(path)
    if lock is not None:
        return Rejected(path, lock)
    if scan is None:
        scan = is_scan(path, limits)
    if scan:
        check_file(path, limits)
        outcome = read_scan(path, limits, extend, layouts=layouts)
    elif path.suffix.lower() in LEGACY_SUFFIXES:
        check_file(path, limits)
        outcome = read_legacy(path, limits, read_grid, extend)
    else:
        outcome = from_grid(path, read_grid(path, limits))
    return checked(outcome) if isinstance(outcome, ReadRecord) else outcome


def read_grid(path: Path, limits: Limits) -> Grid:
    """The file's grid, after the safety checks; raises DataError with the reason it cannot be read."""
    from baodao.intake.docx_reader import read_docx
    from baodao.intake.pdf_reader import read_pdf
    from baodao.intake.xlsx_reader import read_xlsx

    suffix = _check(path, limits)
    if suffix == ".pdf":
        return read_pdf(path, limits.max_pdf_pages)
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx(path)
    return read_docx(path)


def _check(path: Path, limits: Limits) -> str:
    """The file's suffix, once it passed the checks every file gets before a parser sees it."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        kind = shown(path.suffix) or "无扩展名"
        raise DataError(
            f"不是 DOCX、XLSX、DOC、WPS、XLS、ET、PDF 或扫描图片（JPG、PNG、TIFF）文件（{kind}），未读取"
        )
    check_file(path, limits)
    if suffix == ".pdf":
        with path.open("rb") as fh:
            if fh.read(5) != b"%PDF-":
                raise DataError("扩展名是 .pdf，内容却不是 PDF：请确认文件类型")
    return suffix


class ReadingWorker:
    """A worker process that reads files one at a time; ``read`` never hangs or takes the caller down."""

    def __init__(self, limits: Limits, layouts: Layouts | None = None) -> None:
        self.limits, self.layouts = limits, layouts or Layouts()
        self._context = multiprocessing.get_context("fork")
        self._sent = 0.0
        self._start()

    def _start(self) -> None:
        parent, child = self._context.Pipe()
        self._process = self._context.Process(
            target=_serve, args=(child, parent, os.getpid(), self.limits, self.layouts), daemon=True
        )
        self._process.start()
        child.close()
        self._conn = parent

    def _restart(self) -> None:
        self._process.kill()
        self._process.join(5)
        self._conn.close()
        self._start()

    def read(self, path: Path) -> ReadRecord | Rejected:
        self.send(path)
        return self.receive(path)

    def send(self, path: Path) -> None:
        """Hand the worker a file; ``receive`` collects the answer (another worker may work meanwhile)."""
        self._sent = time.monotonic()
        self._conn.send(str(path))

    def receive(self, path: Path) -> ReadRecord | Rejected:
        """The file's record, or its rejection: identified and extracted in the worker too, so two
        workers use both cores."""
        kind, payload, retire = self._answer()
        if kind == "memory":  # one more try in a fresh worker, so nothing earlier counts against the file
            self._restart()
            self.send(path)
            kind, payload, retire = self._answer()
        if retire or kind == "memory":
            self._restart()
        if kind == "ok":
            assert isinstance(payload, ReadRecord | Rejected)
            return payload
        # Time and memory depend on how busy the machine is: the refusal is not final, a later run retries.
        return Rejected(path, str(payload), retry=kind in ("memory", "timeout"))

    def _answer(self) -> Reply:
        seconds = self.limits.seconds_per_file
        while True:
            if not self._conn.poll(max(0.0, self._sent + seconds - time.monotonic())):
                self._restart()
                return (
                    "timeout",
                    f"读取超时（超过 {seconds:g} 秒），已停止读取此文件；下次读入时会再试。"
                    "若总是超时，请另存为一份新的文件，或在机器空闲时读入",
                    False,
                )
            try:
                reply: Reply = self._conn.recv()
            except (EOFError, OSError):
                self._restart()  # the worker died: most often a native parser that ran out of memory
                return (
                    "memory",
                    f"读取此文件时读取程序异常退出（多半是超过了内存上限 {self.limits.memory_mb:g} MB），"
                    "已停止读取；下次读入时会再试。若总是如此，请另存为一份新的文件",
                    False,
                )
            if reply[0] != "extend":
                return reply
            # A scan: the worker has counted its pages and asks for the scan's own time allowance.
            self._sent, seconds = time.monotonic(), float(reply[1])

    def close(self) -> None:
        self._conn.close()
        self._process.kill()
        self._process.join(5)

    def __enter__(self) -> ReadingWorker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _serve(conn: Connection, parent_end: Connection, parent: int, limits: Limits, layouts: Layouts) -> None:
    """The worker's loop. Its memory is capped from its size at start: by the file allowance before
    anything of a file is parsed (a PDF's page check included), raised to the scan allowance for a scan
    (the OCR models). A file that left it much larger than it started ends it: a fresh one takes over."""
    parent_end.close()  # the parent's end of this pipe: held here, the worker would never see it close
    _die_with(parent)
    start, start_rss = _virtual_size(), _resident_size()
    scanned = False
    hard = start + int(max(limits.memory_mb, limits.scan_memory_mb) * MB)

    def extend(seconds: float) -> None:
        conn.send(("extend", seconds, False))

    while True:
        try:
            path = conn.recv()
        except (EOFError, OSError):
            return
        # A worker that has read a scan holds the OCR models: it stays within the scan allowance.
        allowance = limits.scan_memory_mb if scanned else limits.memory_mb
        scan = False
        try:
            _cap(start + int(allowance * MB), hard)
            scan = is_scan(Path(path), limits)
            if scan:
                allowance, scanned = limits.scan_memory_mb, True
                _cap(start + int(allowance * MB), hard)
            reply: Reply = ("ok", read_record(Path(path), limits, extend, scan, layouts), False)
        except DataError as exc:
            reply = ("error", str(exc), False)
        except BaseException as exc:  # a damaged file fails inside the parser in many ways
            if is_out_of_memory(exc):
                reply = ("memory", _memory_reason(allowance), False)
            elif isinstance(exc, KeyboardInterrupt | SystemExit):
                raise
            else:
                reply = ("error", reason_for(exc, Path(path)), False)
        grown = _resident_size() - start_rss > (allowance / 2) * MB
        try:
            conn.send((reply[0], reply[1], grown))
        except MemoryError:
            conn.send(("memory", _memory_reason(allowance), True))


def _memory_reason(megabytes: float) -> str:
    return (
        f"读取时超过内存上限（{megabytes:g} MB），已停止读取此文件；下次读入时会再试。"
        "若总是如此，文件可能含有巨大的图片或压缩内容，请另存为一份新的文件"
    )


def _cap(soft: int, hard: int) -> None:
    """Let the worker's address space reach ``soft`` bytes in all (within ``hard``)."""
    resource.setrlimit(resource.RLIMIT_AS, (min(soft, hard), hard))


def _die_with(parent: int) -> None:
    """Have the kernel end this worker when its parent ends, however it ends (kill -9 included)."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent ended before the request was made
        os._exit(0)


def _virtual_size() -> int:
    return _status_kb("VmSize:") * 1024


def _resident_size() -> int:
    return _status_kb("VmRSS:") * 1024


def _status_kb(key: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key):
            return int(line.split()[1])
    return 0


def read_in_turn(
    paths: Iterable[Path], limits: Limits, workers: int = 2, layouts: Layouts | None = None
) -> Iterator[ReadRecord | Rejected]:
    """Each file's record or rejection, in order, ``workers`` files read at once (one per core).

    The workers are forked with ``layouts`` (the template versions' layouts), so nothing is sent per file."""
    pool = [ReadingWorker(limits, layouts) for _ in range(max(1, workers))]
    try:
        free = list(pool)
        pending: deque[tuple[Path, ReadingWorker]] = deque()
        todo = iter(paths)
        while True:
            while free and (path := next(todo, None)) is not None:
                worker = free.pop()
                worker.send(path)
                pending.append((path, worker))
            if not pending:
                return
            path, worker = pending.popleft()
            yield worker.receive(path)
            free.append(worker)
    finally:
        for worker in pool:
            worker.close()
