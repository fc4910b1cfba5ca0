"""Rewrites an Office (zip) package with some members replaced, writing the result atomically."""

from __future__ import annotations

import os
import tempfile
import zipfile
from collections.abc import Mapping
from pathlib import Path


def rewrite_package(source: Path, out: Path, replacements: Mapping[str, bytes]) -> None:
    """Write ``out`` as ``source`` with ``replacements`` (member name → bytes); other members unchanged."""
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{out.stem}.", suffix=".part", dir=out.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        with zipfile.ZipFile(source) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                data = replacements.get(info.filename)
                dst.writestr(
                    info,
                    data if data is not None else src.read(info.filename),
                    compress_type=zipfile.ZIP_DEFLATED,
                )
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
