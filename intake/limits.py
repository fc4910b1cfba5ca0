"""Every limit baodao puts on files from outside, in one place; each can be set by an environment variable.

BAODAO_MAX_FILE_MB=50 baodao intake …  raises that limit for one run; see the README's “Limits” section.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields

from baodao.errors import BaodaoError


@dataclass(frozen=True)
class Limits:
    """What a returned file may cost before it is refused, with the reason named."""

    max_file_mb: float = 50.0  # a file's size on disk
    max_unpacked_mb: float = 100.0  # a DOCX/XLSX package's total uncompressed size
    max_part_mb: float = 30.0  # one member of a package, uncompressed (document.xml, a sheet)
    max_entries: int = 2000  # members in a package
    max_ratio: float = 200.0  # uncompressed / compressed, for any member over 1 MB uncompressed
    max_pdf_pages: int = 200
    seconds_per_file: float = 10.0  # reading one file, in a worker process that is stopped past it
    memory_mb: float = 512.0  # memory a worker may add while reading one file
    # Scans: OCR takes seconds a page and its models some 300 MB, so a scan has its own allowance.
    # An A4 page at 600 dpi is 35 (an A3 one 70, an A4 at 300 dpi 9); 50 million pixels decode to some
    # 150 MB in colour. A 34 KB PNG of 149 million pixels cost 1 GB to open: a decompression bomb.
    max_image_megapixels: float = 50.0
    max_scan_pages: int = 20  # pages of one scanned file (image PDF or multi-page TIFF)
    seconds_per_scan_page: float = 30.0  # reading one scanned page (measured: about 2 s)
    scan_memory_mb: float = 1536.0  # memory a worker may add while reading a scan, models included
    # Old formats (.doc, .wps, .xls, .et): LibreOffice converts one in 1–3 s and maps some 600 MB.
    seconds_per_conversion: float = 60.0
    convert_memory_mb: float = 1536.0

    @classmethod
    def from_environment(cls) -> Limits:
        """Defaults, overridden by BAODAO_<NAME> variables (BAODAO_MAX_PDF_PAGES=500)."""
        values: dict[str, float | int] = {}
        for f in fields(cls):
            raw = os.environ.get(f"BAODAO_{f.name.upper()}")
            if raw is None:
                continue
            try:
                values[f.name] = int(raw) if f.type == "int" else float(raw)
            except ValueError as exc:
                raise BaodaoError(f"环境变量 BAODAO_{f.name.upper()}={raw!r} 不是数字") from exc
            if values[f.name] <= 0:
                raise BaodaoError(f"环境变量 BAODAO_{f.name.upper()} 应大于 0")
        return cls(**values)  # type: ignore[arg-type]
