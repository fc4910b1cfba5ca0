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


FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def write_reproducible(package: bytes, out: Path, overrides: Mapping[str, bytes] | None = None) -> None:
    """Write ``package`` to ``out`` with every member's timestamp fixed, so equal content is equal bytes."""
    import io

    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.part")
    with zipfile.ZipFile(io.BytesIO(package)) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, FIXED_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            data = (overrides or {}).get(info.filename)
            dst.writestr(fixed, data if data is not None else src.read(info.filename))
    os.replace(tmp, out)
