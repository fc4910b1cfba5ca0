"""Returns in old Office formats (.doc, .wps, .xls, .et): converted by LibreOffice, then read as DOCX/XLSX.

The conversion happens in a private temporary folder (``office.convert``); the record still names the
user's own file, and says it was read from a converted copy.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from baodao.errors import BaodaoError
from baodao.intake.grid import Grid
from baodao.intake.limits import Limits
from baodao.intake.model import ReadRecord, Rejected
from baodao.intake.reading import from_grid
from baodao.office.convert import LEGACY_TARGETS, OLE_MAGIC, convert_legacy

RTF_MAGIC = b"{\\rtf"  # Word and WPS also save RTF under a .doc name


def read_legacy(
    path: Path,
    limits: Limits,
    read_grid: Callable[[Path, Limits], Grid],
    extend: Callable[[float], object] = lambda seconds: None,
) -> ReadRecord | Rejected:
    """The record an old-format file holds, read from its DOCX/XLSX conversion, or why it holds none."""
    suffix = path.suffix.lower()
    target = LEGACY_TARGETS[suffix][0]
    with path.open("rb") as fh:
        head = fh.read(8)
    renamed = head.startswith(b"PK\x03\x04")  # a DOCX/XLSX given an old name: read it as what it is
    if not renamed and not head.startswith((OLE_MAGIC, RTF_MAGIC)):
        return Rejected(path, f"扩展名是 {suffix}，内容却不是 Word、WPS 或 Excel 文件：请确认文件类型")
    with tempfile.TemporaryDirectory(prefix="baodao-convert-") as work:
        try:
            if renamed:
                made = Path(work, f"returned.{target}")
                shutil.copyfile(path, made)
            else:
                extend(limits.seconds_per_conversion + limits.seconds_per_file)  # LibreOffice takes seconds
                made = convert_legacy(
                    path, Path(work), limits.seconds_per_conversion, limits.convert_memory_mb
                )
            grid = read_grid(made, limits)
        except BaodaoError as exc:
            return Rejected(path, str(exc))
    outcome = from_grid(path, grid)
    if isinstance(outcome, ReadRecord):
        outcome.converted_from = suffix
    return outcome
