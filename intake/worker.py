"""Reads each returned file in a worker process under a time and memory limit.

A file that stalls a parser, or makes it swallow memory, stops only the worker: it is ended, a new one
starts, and the batch goes on with the file refused and the reason given.
"""

from __future__ import annotations

import multiprocessing
import resource
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from baodao.errors import DataError
from baodao.limits import Limits
from intake.grid import Grid
from intake.safety import MB, check_file

Reply = tuple[str, Any]


def read_grid(path: Path, limits: Limits) -> Grid:
    """The file's grid, after the safety checks; raises DataError with the reason it cannot be read."""
    from intake.docx_reader import read_docx
    from intake.pdf_reader import read_pdf
    from intake.xlsx_reader import read_xlsx

    check_file(path, limits)
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        _check_pages(path, limits)
        return read_pdf(path)
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx(path)
    return read_docx(path)


def _check_pages(path: Path, limits: Limits) -> None:
    from pypdf import PdfReader

    with path.open("rb") as fh:
        if fh.read(5) != b"%PDF-":
            raise DataError("扩展名是 .pdf，内容却不是 PDF：请确认文件类型")
    pages = len(PdfReader(str(path)).pages)
    if pages > limits.max_pdf_pages:
        raise DataError(f"PDF 共 {pages} 页，超过上限 {limits.max_pdf_pages} 页（一份交回的表单应只有几页）")


class ReadingWorker:
    """A worker process that reads files one at a time; ``read`` never hangs or takes the caller down."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self._context = multiprocessing.get_context("fork")
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

    def read(self, path: Path) -> Grid:
        kind, payload = self._ask(path)
        if kind == "memory":  # the worker may have grown over the batch: one more try in a fresh one
            self._restart()
            kind, payload = self._ask(path)
        if kind == "ok":
            assert isinstance(payload, Grid)
            return payload
        if kind == "memory":
            self._restart()
        raise DataError(str(payload))

    def _ask(self, path: Path) -> Reply:
        self._conn.send(str(path))
        seconds = self.limits.seconds_per_file
        if not self._conn.poll(seconds):
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
        return reply

    def close(self) -> None:
        self._conn.close()
        self._process.kill()
        self._process.join(5)

    def __enter__(self) -> ReadingWorker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _serve(conn: Connection, limits: Limits) -> None:
    """The worker's loop: its address space capped at its size now plus the memory limit."""
    ceiling = _virtual_size() + int(limits.memory_mb * MB)
    resource.setrlimit(resource.RLIMIT_AS, (ceiling, ceiling))
    while True:
        try:
            path = conn.recv()
        except (EOFError, OSError):
            return
        try:
            reply: Reply = ("ok", read_grid(Path(path), limits))
        except MemoryError:
            reply = ("memory", f"读取时超过内存上限（{limits.memory_mb:g} MB），已停止读取此文件")
        except DataError as exc:
            reply = ("error", str(exc))
        except Exception as exc:  # a damaged file fails inside the parser in many ways
            reply = ("error", f"文件已损坏或格式不对，无法读取（{type(exc).__name__}: {str(exc)[:200]}）")
        try:
            conn.send(reply)
        except MemoryError:
            conn.send(("memory", f"读取结果超过内存上限（{limits.memory_mb:g} MB）"))


def _virtual_size() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmSize:"):
            return int(line.split()[1]) * 1024
    return 0
