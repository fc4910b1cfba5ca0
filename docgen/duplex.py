"""Duplex PDFs: every form starts on the front of a sheet, with blank backs added where needed.

LibreOffice honours only some odd-page section breaks when it exports, so the PDF is laid out here:
each form's first page is known by the id printed in its corner.
"""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from pathlib import Path

from pypdf import PdfReader, PdfWriter

from baodao.errors import ConversionError
from baodao.files import atomic_path


def page_texts(pdf: Path) -> list[str]:
    """The text of each page (poppler's pdftotext: fast enough for a thousand pages)."""
    proc = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, timeout=600, check=False
    )
    if proc.returncode != 0:
        raise ConversionError(f"pdftotext 无法读取 {pdf}：{proc.stderr.decode('utf-8', 'replace').strip()}")
    pages = proc.stdout.decode("utf-8").split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def pad_for_duplex(pdf: Path, form_ids: Sequence[str]) -> int:
    """Rewrite ``pdf`` so each form (found by its id, in order) starts on an odd page; returns its pages."""
    texts = page_texts(pdf)
    reader = PdfReader(str(pdf))
    writer = PdfWriter()
    upcoming = 0
    for index, text in enumerate(texts):
        starts = upcoming < len(form_ids) and form_ids[upcoming] in text
        if not text.strip() and not starts:
            continue  # a blank LibreOffice inserted itself; the blanks are ours to place
        page = reader.pages[index]
        if starts:
            upcoming += 1
            if len(writer.pages) % 2 == 1:
                writer.add_blank_page(float(page.mediabox.width), float(page.mediabox.height))
        writer.add_page(page)
    if upcoming != len(form_ids):
        raise ConversionError(f"{pdf} 中只找到 {upcoming} 份表单的首页（应有 {len(form_ids)} 份），未改动")
    with atomic_path(pdf) as tmp:
        writer.write(str(tmp))
    return len(writer.pages)
