"""PDF pages to PNG pictures with poppler's pdftoppm, for looking at what was made."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from baodao.errors import ConversionError


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
