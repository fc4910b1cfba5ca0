"""Checks a file from outside before any parser sees it: size, and for zip packages the central directory."""

from __future__ import annotations

import zipfile
from pathlib import Path

from baodao.errors import DataError
from baodao.intake.limits import Limits

MB = 1024 * 1024
# Archives inside a package are refused; objects Office embeds (an Excel table in a Word file) are not.
NESTED_ARCHIVES = (".zip", ".rar", ".7z", ".gz", ".tar", ".jar", ".cab", ".xz", ".bz2")
EMBEDDINGS = ("word/embeddings/", "xl/embeddings/", "ppt/embeddings/")


def check_file(path: Path, limits: Limits) -> None:
    """Refuse ``path`` with a clerk-readable reason when it is too big, empty, or (a package) unsafe."""
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
            kind = "PDF 文件" if path.read_bytes()[:5] == b"%PDF-" else "不是 Office 文件"
            raise DataError(f"扩展名是 {path.suffix}，内容却是{kind}：请确认文件类型")
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise DataError(f"文件不完整或已损坏，无法打开（{exc}）") from exc
    if len(infos) > limits.max_entries:
        raise DataError(f"压缩包内文件过多（{len(infos)} 个，上限 {limits.max_entries}）")
    total = 0
    for info in infos:
        name = info.filename
        if name.startswith(("/", "\\")) or ".." in name.replace("\\", "/").split("/") or ":" in name:
            raise DataError(f"压缩包内有越出包外的路径“{name}”，已拒绝")
        if name.lower().endswith(NESTED_ARCHIVES) and not name.startswith(EMBEDDINGS):
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
