"""Checks a file from outside before any parser sees it: size, and for zip packages the central directory."""

from __future__ import annotations

import stat
import zipfile
from pathlib import Path

from baodao.errors import DataError
from baodao.intake.limits import Limits
from baodao.text import shown

MB = 1024 * 1024
# Archives inside a package are refused; objects Office embeds (an Excel table in a Word file) are not.
NESTED_ARCHIVES = (".zip", ".rar", ".7z", ".gz", ".tar", ".jar", ".cab", ".xz", ".bz2")
EMBEDDINGS = ("word/embeddings/", "xl/embeddings/", "ppt/embeddings/")
SYSTEM_FOLDERS = ("proc", "sys", "dev", "run")


def check_file(path: Path, limits: Limits) -> None:
    """Refuse ``path`` with a clerk-readable reason when it is too big, empty, or (a package) unsafe."""
    check_is_file(path)
    size = path.stat().st_size
    if size == 0:
        raise DataError("文件是空的（0 字节）")
    if size > limits.max_file_mb * MB:
        raise DataError(f"文件太大（{size / MB:.1f} MB，上限 {limits.max_file_mb:g} MB）")
    if path.suffix.lower() in (".docx", ".xlsx", ".xlsm"):
        check_package(path, limits)


def check_package(path: Path, limits: Limits) -> None:
    """Read only the zip's central directory and refuse bombs, odd names and nested archives."""
    with path.open("rb") as fh:
        if fh.read(4) != b"PK\x03\x04":
            fh.seek(0)
            kind = "却是 PDF 文件" if fh.read(5) == b"%PDF-" else "却不是 Office 文件"
            raise DataError(f"扩展名是 {path.suffix}，内容{kind}：请确认文件类型")
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise DataError(
            "文件不完整或已损坏，无法打开：请向交表人要一份完整的文件，或用 Word、Excel、WPS 打开后另存一份"
        ) from exc
    if len(infos) > limits.max_entries:
        raise DataError(f"压缩包内文件过多（{len(infos)} 个，上限 {limits.max_entries}）")
    total = 0
    seen: set[str] = set()
    for info in infos:
        name = shown(info.filename)
        # A part name stands once in a package (OPC, ISO/IEC 29500-2 §6.3.5, case-insensitive); a second
        # copy is an edit made behind Office's back, and readers disagree on which copy counts.
        if info.filename.lower() in seen:
            raise DataError(f"压缩包内“{name}”出现了两次，文件已被改动过，已拒绝：请让交表人重新保存一份")
        seen.add(info.filename.lower())
        raw = info.filename
        if raw.startswith(("/", "\\")) or ".." in raw.replace("\\", "/").split("/") or ":" in raw:
            raise DataError(f"压缩包内有越出包外的路径“{name}”，已拒绝")
        if raw.lower().endswith(NESTED_ARCHIVES) and not raw.startswith(EMBEDDINGS):
            raise DataError(f"压缩包内还套有压缩包“{name}”，已拒绝")
        if info.file_size > limits.max_part_mb * MB:
            raise DataError(
                f"包内“{name}”解压后 {info.file_size / MB:.0f} MB，超过上限 {limits.max_part_mb:g} MB"
            )
        if info.file_size > MB and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            ratio = info.file_size / max(info.compress_size, 1)
            raise DataError(f"包内“{name}”压缩比 {ratio:.0f}:1，疑似压缩炸弹，已拒绝")
        total += info.file_size
    if total > limits.max_unpacked_mb * MB:
        raise DataError(f"解压后共 {total / MB:.0f} MB，超过上限 {limits.max_unpacked_mb:g} MB")


def check_is_file(path: Path) -> None:
    """Refuse what is not an ordinary file: a device or pipe, or a link into the system's own files
    (/proc/self/environ reads as an empty file, but holds the environment)."""
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        raise DataError("文件打不开（可能已被移走，或是指向不存在文件的链接）") from exc
    if path.is_symlink():
        target = path.resolve()
        if target.parts[1:2] and target.parts[1] in SYSTEM_FOLDERS:
            raise DataError(f"这是指向系统文件 {shown(target)} 的链接，不是交回的表单，未读取")
    if not stat.S_ISREG(mode):
        raise DataError("不是普通文件（是设备、管道或套接字），未读取")
