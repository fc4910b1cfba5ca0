"""PDF pages to PNG pictures with poppler's pdftoppm, for looking at what was made."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from baodao.errors import ConversionError
from baodao.files import atomic_path


def pdf_to_png(pdf: Path, dpi: int = 80) -> list[Path]:
    """One PNG per page beside ``pdf``: name-1.png, name-2.png, …"""
    binary = shutil.which("pdftoppm")
    if binary is None:
        raise ConversionError("找不到 pdftoppm（poppler-utils）。请先运行 make demo 或 make test 完成安装。")
    prefix = pdf.with_suffix("")
    for old in prefix.parent.glob(f"{prefix.name}-*.png"):
        old.unlink()
    proc = subprocess.run(
        [binary, "-r", str(dpi), "-png", str(pdf), str(prefix)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if proc.returncode != 0:
        raise ConversionError(f"pdftoppm 无法转换 {pdf}：{proc.stderr.strip()}")
    return sorted(prefix.parent.glob(f"{prefix.name}-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))


def first_page_png(pdf: Path, out: Path, dpi: int = 60) -> Path:
    """The first page of ``pdf`` as the PNG ``out`` (a preview in the workbench), written whole or not."""
    binary = shutil.which("pdftoppm")
    if binary is None:
        raise ConversionError("找不到 pdftoppm（poppler-utils）。请先运行 make demo 或 make test 完成安装。")
    with atomic_path(out) as tmp:
        # pdftoppm adds “.png” to the name it is given: it writes beside the temporary file, then moves.
        stem = tmp.with_name(tmp.name + "-page")
        made = stem.with_name(stem.name + ".png")
        try:
            proc = subprocess.run(
                [binary, "-r", str(dpi), "-f", "1", "-l", "1", "-singlefile", "-png", str(pdf), str(stem)],
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
            )
            if proc.returncode != 0 or not made.is_file():
                raise ConversionError(f"pdftoppm 无法转换 {pdf.name} 的第一页：{proc.stderr.strip()}")
            made.replace(tmp)
        finally:
            made.unlink(missing_ok=True)
    return out
