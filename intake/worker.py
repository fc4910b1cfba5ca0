"""Reads each returned file in a worker process under a time and memory limit.

A file that stalls a parser, or makes it swallow memory, stops only the worker: it is ended, a new one
starts, and the batch goes on with the file refused and the reason given.
"""

from __future__ import annotations

import multiprocessing
import resource
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from baodao.errors import DataError
from baodao.intake.grid import Grid
from baodao.intake.legacy import read_legacy
from baodao.intake.limits import Limits
from baodao.intake.model import ReadRecord, Rejected
from baodao.intake.reading import from_grid
from baodao.intake.safety import MB, check_file
from baodao.intake.scan import read_scan
from baodao.intake.scan_reader import IMAGE_SUFFIXES, is_image_pdf
from baodao.office.convert import LEGACY_SUFFIXES

Reply = tuple[str, Any]
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
) -> ReadRecord | Rejected:
    """The file's record or the reason it has none: a scan by OCR, any other file by its grid.

    ``scan`` says whether it is a scan when the caller has already looked (``is_scan``)."""
    if scan is None:
        scan = is_scan(path, limits)
    if scan:
        check_file(path, limits)
        return read_scan(path, limits, extend)
    if path.suffix.lower() in LEGACY_SUFFIXES:
        check_file(path, limits)
        return read_legacy(path, limits, read_grid, extend)
    return from_grid(path, read_grid(path, limits))


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
        raise DataError(
            f"不是 DOCX、XLSX、DOC、WPS、XLS、ET、PDF 或扫描图片（JPG、PNG、TIFF）文件"
            f"（{path.suffix or '无扩展名'}），未读取"
        )
    check_file(path, limits)
    if suffix == ".pdf":
        with path.open("rb") as fh:
            if fh.read(5) != b"%PDF-":
                raise DataError("扩展名是 .pdf，内容却不是 PDF：请确认文件类型")
    return suffix


class ReadingWorker:
    """A worker process that reads files one at a time; ``read`` never hangs or takes the caller down."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self._context = multiprocessing.get_context("fork")
        self._sent = 0.0
        self._start()

    def _start(self) -> None:
        parent, child = self._context.Pipe()
        self._process = self._context.Process(target=_serve, args=(child, self.limits), daemon=True)
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
        kind, payload = self._answer()
        if kind == "memory":  # the worker may have grown over the batch: one more try in a fresh one
            self._restart()
            self.send(path)
            kind, payload = self._answer()
        if kind == "ok":
            assert isinstance(payload, ReadRecord | Rejected)
            return payload
        if kind == "memory":
            self._restart()
        return Rejected(path, str(payload))

    def _answer(self) -> Reply:
        seconds = self.limits.seconds_per_file
        while True:
            if not self._conn.poll(max(0.0, self._sent + seconds - time.monotonic())):
                self._restart()
                return "error", f"读取超时（超过 {seconds:g} 秒），已停止读取此文件"
            try:
                reply: Reply = self._conn.recv()
            except (EOFError, OSError):
                self._restart()
                return (
                    "error",
                    f"读取时用尽了内存上限（{self.limits.memory_mb:g} MB）或读取程序出错，已停止读取此文件",
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


def _serve(conn: Connection, limits: Limits) -> None:
    """The worker's loop: each file may add to the address space only its memory limit (a scan its own,
    larger one: the OCR models), and the whole worker never more than its size at start plus both."""
    hard = _virtual_size() + int((limits.memory_mb + limits.scan_memory_mb) * MB)
    resource.setrlimit(resource.RLIMIT_AS, (hard, hard))

    def extend(seconds: float) -> None:
        conn.send(("extend", seconds))

    while True:
        try:
            path = conn.recv()
        except (EOFError, OSError):
            return
        allowance = limits.memory_mb
        try:
            scan = is_scan(Path(path), limits)
            allowance = limits.scan_memory_mb if scan else limits.memory_mb
            _allow(allowance, hard)
            reply: Reply = ("ok", read_record(Path(path), limits, extend, scan))
        except MemoryError:
            reply = ("memory", f"读取时超过内存上限（{allowance:g} MB），已停止读取此文件")
        except DataError as exc:
            reply = ("error", str(exc))
        except Exception as exc:  # a damaged file fails inside the parser in many ways
            reply = ("error", f"文件已损坏或格式不对，无法读取（{type(exc).__name__}: {str(exc)[:200]}）")
        try:
            conn.send(reply)
        except MemoryError:
            conn.send(("memory", f"读取结果超过内存上限（{limits.memory_mb:g} MB）"))


def _allow(megabytes: float, hard: int) -> None:
    """Let the worker grow by ``megabytes`` from its size now, within its hard limit."""
    soft = min(hard, _virtual_size() + int(megabytes * MB))
    resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _virtual_size() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmSize:"):
            return int(line.split()[1]) * 1024
    return 0


def read_in_turn(paths: Iterable[Path], limits: Limits, workers: int = 2) -> Iterator[ReadRecord | Rejected]:
    """Each file's record or rejection, in order, ``workers`` files read at once (one per core)."""
    pool = [ReadingWorker(limits) for _ in range(max(1, workers))]
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
