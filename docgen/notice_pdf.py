"""A notice printed to PDF with its 版记 where GB/T 9704 wants it, which only a printing can tell.

The 版记 goes on the last page, an even one, its last rule on the 版心's foot. Laid out blind, it takes a
section that starts on an even page: after text ending on an odd page that is the next page, but after
text ending on an even page it is a blank page and then the 版记 alone. So each notice is printed once;
where the text ended on an even page with room under it for the 版记, the notice is laid out again with
the 版记 following the text on that page, as far under it as the first printing shows brings its last
rule to the 版心's foot, and printed again; that printing is kept when the 版记 did land there. Where
the text ended on an odd page, the 版记's page follows it and keeps its number (§7.5 leaves unnumbered
only a blank page and the 版记's after it): the notice is printed again with that page numbered.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pdfplumber

from baodao.docgen.notice_model import Notice
from baodao.docgen.official import IMPRINT_ROW_MM, build_notice
from baodao.form_templates.builder import docx_kit as kit
from baodao.office.pdf import convert_to_pdf

MM = 72 / 25.4
FOOT_MM = kit.TOP_MM + kit.BODY_H_MM  # the 版心's foot: 262 mm
ROOM_MM = 5.0  # the least white kept between the text and the 版记's first rule
LINE_UNDER_INK_MM = 2.2  # a 3号 line of the 公文's grid ends this far under its glyphs' lowest point
PLACED_WITHIN_MM = 1.0
SLACK_MM = 0.5  # the 版记 ends this much above the foot: exactly on it, LibreOffice moves it to a new page


@dataclass(frozen=True)
class SharedPage:
    """The even page the text ends on, and how far under its text the 版记 must start."""

    page: int
    after_mm: float


def render_notices(notices: Sequence[tuple[Notice, Path]], outdir: Path) -> list[tuple[Path, Path]]:
    """Each notice's DOCX (at its path) and PDF (in ``outdir``), blank pages kept; LibreOffice runs once
    for all of them, and once more for those whose 版记 can share the text's last page."""
    docs = [build_notice(notice, path) for notice, path in notices]
    pdfs = convert_to_pdf(docs, outdir, blank_pages=True)
    again: dict[int, SharedPage | None] = {}  # how each notice printed again lays out its 版记
    for i, pdf in enumerate(pdfs):
        if notices[i][0].printer is None:
            continue
        if imprint_follows_text(pdf):
            again[i] = None  # the same pages, the 版记's numbered
        elif (found := shared_page(pdf, notices[i][0])) is not None:
            again[i] = found
    if not again:
        return list(zip(docs, pdfs, strict=True))
    with tempfile.TemporaryDirectory(prefix="baodao-notice-") as work:
        trial = [
            build_notice(
                notices[i][0],
                Path(work, f"{i}.docx"),
                imprint_after=found.after_mm if found else None,
                imprint_numbered=found is None,
            )
            for i, found in again.items()
        ]
        printed = convert_to_pdf(trial, Path(work, "pdf"), blank_pages=True)
        for (i, found), docx, pdf in zip(again.items(), trial, printed, strict=True):
            # A shared page is kept when the 版记 did close it; else the first printing stands, as the
            # standard allows. A numbered 版记 changes no page, which the count checks.
            if imprint_closes(pdf, found.page if found else page_count(pdfs[i])):
                shutil.move(docx, docs[i])
                shutil.move(pdf, pdfs[i])
    return list(zip(docs, pdfs, strict=True))


def imprint_follows_text(pdf: Path) -> bool:
    """Whether the 版记's page, printed as laid out blind, comes right after a page of text (the text ended
    on an odd page), not after a blank page."""
    with pdfplumber.open(pdf) as doc:
        return len(doc.pages) >= 2 and bool(doc.pages[-2].chars)


def page_count(pdf: Path) -> int:
    with pdfplumber.open(pdf) as doc:
        return len(doc.pages)


def shared_page(pdf: Path, notice: Notice) -> SharedPage | None:
    """Where the 版记 can follow the text: when the text ends on an even, portrait page, followed by a
    blank page and the 版记's, with room under it; else None."""
    with pdfplumber.open(pdf) as doc:
        pages = doc.pages
        if len(pages) < 4 or pages[-2].chars:
            return None
        text_page = pages[-3]
        if (len(pages) - 2) % 2 or text_page.width > text_page.height:
            return None
        written = [c for c in text_page.chars if c["text"].strip() and c["top"] < FOOT_MM * MM]
        lowest = max((float(c["bottom"]) for c in written), default=0.0) / MM
    rows = 2 if notice.cc else 1
    after = FOOT_MM - SLACK_MM - IMPRINT_ROW_MM * rows - lowest - LINE_UNDER_INK_MM
    return SharedPage(len(pages) - 2, after) if after >= ROOM_MM else None


def imprint_closes(pdf: Path, page: int) -> bool:
    """Whether the printing ends on ``page`` with the 版记's last rule on the 版心's foot."""
    with pdfplumber.open(pdf) as doc:
        if len(doc.pages) != page:
            return False
        last = doc.pages[-1]
        rules = [float(r["top"]) for r in (*last.lines, *last.rects) if r["x1"] - r["x0"] > 140 * MM]
    return bool(rules) and abs(max(rules) / MM - FOOT_MM) <= PLACED_WITHIN_MM
