"""Old Office formats (.doc, .wps, .xls, .et) turned into DOCX/XLSX by headless LibreOffice, in private.

The user's file is copied into a temporary folder first and converted there, with a private profile and
HOME, so nothing (not even LibreOffice's ``.~lock`` file) is written beside it. The conversion runs with a
time limit and an address-space limit of its own.
"""

from __future__ import annotations

import resource
import shutil
import subprocess
from pathlib import Path

from baodao.errors import ConversionError
from baodao.office.programs import font_environment, require_libreoffice

# Each old format, the format it is read as, and LibreOffice's export filter for that.
LEGACY_TARGETS = {
    ".doc": ("docx", "MS Word 2007 XML"),
    ".wps": ("docx", "MS Word 2007 XML"),  # WPS 文字: Word 97's binary layout, which LibreOffice opens
    ".xls": ("xlsx", "Calc MS Excel 2007 XML"),
    ".et": ("xlsx", "Calc MS Excel 2007 XML"),  # WPS 表格: Excel 97's
}
LEGACY_SUFFIXES = tuple(LEGACY_TARGETS)
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the compound-file header every one of them starts with


def convert_legacy(source: Path, work: Path, seconds: float, memory_mb: float) -> Path:
    """``source`` converted to DOCX or XLSX inside ``work`` (a private folder the caller removes).

    ConversionError, in Chinese and with the remedy, when LibreOffice is missing, fails or runs over.
    """
    suffix = source.suffix.lower()
    target, export = LEGACY_TARGETS[suffix]
    binary = require_libreoffice()
    inbox, outbox = work / "in", work / "out"
    inbox.mkdir(parents=True, exist_ok=True)
    outbox.mkdir(parents=True, exist_ok=True)
    copy = inbox / f"returned{suffix}"  # a plain name: the user's may hold anything
    shutil.copyfile(source, copy)
    env = font_environment()
    env["HOME"] = str(work)  # LibreOffice writes caches under HOME
    env.setdefault("SAL_USE_VCLPLUGIN", "svp")
    cmd = [
        binary,
        f"-env:UserInstallation={(work / 'profile').as_uri()}",
        "--headless",
        "--norestore",
        "--nolockcheck",
        "--nodefault",
        "--convert-to",
        f"{target}:{export}",
        "--outdir",
        str(outbox),
        str(copy),
    ]
    remedy = f"请用 Word 或 WPS 打开，另存为 .{target} 后再交"
    try:
        proc = subprocess.run(
            cmd,
            capture_output=True,
            text=True,
            timeout=seconds,
            env=env,
            stdin=subprocess.DEVNULL,
            cwd=work,
            preexec_fn=lambda: _cap_memory(memory_mb),
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise ConversionError(
            f"LibreOffice 转换 {suffix} 文件超时（{seconds:g} 秒），未读取：{remedy}"
        ) from exc
    made = outbox / f"returned.{target}"
    if not made.is_file() or made.stat().st_size == 0:
        raise ConversionError(
            f"LibreOffice 无法转换这个 {suffix} 文件（退出码 {proc.returncode}；文件可能已损坏或加了密码），"
            f"未读取：{remedy}"
        )
    return made


def _cap_memory(memory_mb: float) -> None:
    """In the child: LibreOffice may map at most ``memory_mb`` (within whatever limit it inherited)."""
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = int(memory_mb * 1024 * 1024)
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
