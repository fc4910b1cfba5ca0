"""LibreOffice kept warm: one long-lived soffice per worker process, spoken to over its UNO pipe, so that a
single-file PDF costs the conversion, not a LibreOffice start (about a second).

soffice runs with a private profile and HOME (as the one-shot conversions in ``pdf.py`` do) and the
project's font map; ``uno_bridge.py``, run by the Python that has LibreOffice's ``uno`` module, converts on
request. Both are started again when soffice dies, when a conversion hangs past its time limit (both are
killed), and when soffice's resident memory grows past ``BAODAO_OFFICE_MAX_MB``. A process uses it once
``keep_warm()`` was called (job workers do); elsewhere, and where no ``uno`` module is found, conversions
stay one-shot.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import logging
import os
import select
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from functools import cache
from pathlib import Path

from baodao.errors import ConversionError
from baodao.files import atomic_path
from baodao.office.programs import font_environment, require_libreoffice

BRIDGE = Path(__file__).resolve().parent / "uno_bridge.py"
UNO_PYTHONS = ("/usr/lib/libreoffice/program/python", "/usr/bin/python3")
TIMEOUT = 300.0  # one file: a combined batch of 500 forms takes ~20 s
START_TIMEOUT = 90.0
FILTERS = {".docx": "writer_pdf_Export", ".doc": "writer_pdf_Export", ".xlsx": "calc_pdf_Export"}
log = logging.getLogger("baodao.office")
_enabled = False
_office: WarmOffice | None = None
_lock = threading.Lock()


def max_memory_mb() -> float:
    return float(os.environ.get("BAODAO_OFFICE_MAX_MB", "1500"))


@cache
def uno_python() -> str | None:
    """A Python that can import LibreOffice's ``uno`` (BAODAO_UNO_PYTHON, LibreOffice's own, the system's)."""
    chosen = os.environ.get("BAODAO_UNO_PYTHON")
    for candidate in ([chosen] if chosen else []) + list(UNO_PYTHONS):
        if not Path(candidate).is_file():
            continue
        probe = subprocess.run([candidate, "-c", "import uno"], capture_output=True, timeout=30, check=False)
        if probe.returncode == 0:
            return candidate
    return None


def keep_warm() -> bool:
    """From now on this process converts single files with a warm soffice; False when none can run here."""
    global _enabled
    _enabled = uno_python() is not None
    return _enabled


def prestart() -> None:
    """Start this process's soffice now, in the background, so that its first conversion is warm too."""
    if _enabled:
        threading.Thread(target=_prestart, name="baodao-warm-office", daemon=True).start()


def _prestart() -> None:
    with _lock, contextlib.suppress(ConversionError):
        _started()


def convert_warm(source: Path, outdir: Path, blank_pages: bool = False) -> Path | None:
    """``source`` as a PDF in ``outdir`` by the warm soffice; None when this process keeps none (the caller
    converts one-shot). ConversionError when LibreOffice fails on it or hangs (it is then started again)."""
    if not _enabled or source.suffix.lower() not in FILTERS:
        return None
    with _lock:
        try:
            office = _started()
        except ConversionError:  # it would not start here: this file, at least, one-shot as before
            log.warning("warm LibreOffice did not start; converting %s one-shot", source.name, exc_info=True)
            return None
        try:
            return office.convert(source, outdir, blank_pages)
        except ConversionError as exc:
            if "DisposedException" not in str(exc):
                raise
            _let_go()  # soffice died under us (between two conversions): once more, with a new one
            return _started().convert(source, outdir, blank_pages)
        finally:
            if _office is not None and (not _office.alive() or _office.memory_mb() > max_memory_mb()):
                _let_go()  # dead, hung (killed) or grown too big: the next conversion starts anew


def _started() -> WarmOffice:
    global _office
    if _office is not None and not _office.alive():
        _let_go()
    if _office is None:
        _office = WarmOffice()
        atexit.register(_office.stop)
    return _office


def _let_go() -> None:
    global _office
    if _office is not None:
        _office.stop()
    _office = None


class WarmOffice:
    """One soffice and its bridge, in a private folder removed when they stop."""

    def __init__(self) -> None:
        binary = require_libreoffice()
        python = uno_python()
        if python is None:
            raise ConversionError("找不到 LibreOffice 的 Python（uno 模块），请安装 python3-uno")
        self.work = Path(tempfile.mkdtemp(prefix="baodao-warm-"))
        pipe = f"baodao_{os.getpid()}_{self.work.name.rsplit('-', 1)[-1]}"
        env = font_environment()
        env["HOME"] = str(self.work)
        env.setdefault("SAL_USE_VCLPLUGIN", "svp")
        soffice = [
            binary,
            f"-env:UserInstallation={(self.work / 'profile').as_uri()}",
            "--headless",
            "--invisible",
            "--norestore",
            "--nolockcheck",
            "--nodefault",
            "--nologo",
            f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
        ]
        # The bridge starts soffice as its child: bridge, launcher and soffice.bin are one process group of
        # their own, killed as one; a worker killed by kill -9 closes the bridge's input, and it ends them.
        self.bridge = subprocess.Popen(
            [python, str(BRIDGE), pipe, json.dumps(soffice)],
            env={**env, "PYTHONPATH": ""},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            start_new_session=True,
        )
        self.started = time.monotonic()
        if self._answer(START_TIMEOUT) != {"ready": True}:
            self.stop()
            raise ConversionError("LibreOffice（常驻）未能启动")
        log.info("warm LibreOffice started in %.1f s", time.monotonic() - self.started)

    def soffice_pids(self) -> list[int]:
        return descendants(self.bridge.pid)

    def alive(self) -> bool:
        """The bridge runs and so does soffice.bin under it (a dead soffice.bin ends its launcher)."""
        return self.bridge.poll() is None and any(_is_soffice(p) for p in self.soffice_pids())

    def memory_mb(self) -> float:
        """Resident memory of soffice and its launcher, in MB."""
        total = 0
        for pid in self.soffice_pids():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            for line in status.splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        return total / 1024

    def convert(self, source: Path, outdir: Path, blank_pages: bool) -> Path:
        staging = self.work / "pdf"
        staging.mkdir(exist_ok=True)
        made = staging / (source.stem + ".pdf")
        made.unlink(missing_ok=True)
        request = {
            "src": str(source.resolve()),
            "out": str(made),
            "filter": FILTERS[source.suffix.lower()],
            "blank_pages": blank_pages,
        }
        assert self.bridge.stdin is not None
        try:
            self.bridge.stdin.write(json.dumps(request) + "\n")
            self.bridge.stdin.flush()
        except OSError as exc:
            self.stop()
            raise ConversionError(f"LibreOffice（常驻）已退出，未能把 {source.name} 转换为 PDF") from exc
        answer = self._answer(TIMEOUT)
        if answer is None:
            self.stop()
            raise ConversionError(f"LibreOffice 转换 {source.name} 超时（{TIMEOUT:.0f} 秒），已重新启动它")
        if not answer.get("ok") or not made.exists():
            raise ConversionError(f"LibreOffice 未能把 {source.name} 转换为 PDF：{answer.get('error', '')}")
        outdir.mkdir(parents=True, exist_ok=True)
        target = outdir / made.name
        with atomic_path(target) as tmp:
            shutil.move(made, tmp)
        return target

    def _answer(self, seconds: float) -> dict[str, object] | None:
        """The bridge's next line, or None when it says nothing in ``seconds`` or has gone."""
        assert self.bridge.stdout is not None
        ready, _, _ = select.select([self.bridge.stdout], [], [], seconds)
        if not ready:
            return None
        line = self.bridge.stdout.readline()
        if not line:
            return None
        found = json.loads(line)
        return found if isinstance(found, dict) else None

    def stop(self) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.bridge.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.bridge.wait(timeout=30)
        for stream in (self.bridge.stdin, self.bridge.stdout):
            if stream is not None:
                stream.close()
        shutil.rmtree(self.work, ignore_errors=True)


def _is_soffice(pid: int) -> bool:
    """``pid`` is a live soffice.bin (not a zombie its launcher has yet to reap)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    name, state = stat[stat.index("(") + 1 : stat.rindex(")")], stat[stat.rindex(")") + 2 :][:1]
    return name == "soffice.bin" and state not in ("Z", "X")


def descendants(pid: int) -> list[int]:
    """The processes under ``pid`` (the launcher's soffice.bin), deepest last; each thread's children."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError, ValueError):
            found += [int(p) for p in (task / "children").read_text().split()]
    return [d for child in found for d in (child, *descendants(child))]
