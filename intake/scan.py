"""A scanned return read against its blank template: which form, its ticks by ink, its text by OCR.

The page is laid over the template's layout (``intake.align``). The template's printed texts are known,
so only what a person or baodao added is read: each empty cell, the room after a “label：” line, and
every tick box. The result is the same Grid a PDF of the form gives, so the one extractor reads it, and
each value recognized with less than ``OCR_CONFIDENCE_MIN`` (or a tick that is neither clearly empty nor
clearly marked, or anything on a page that could not be laid over its template) gets an issue that sends
it to ``baodao review``.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from baodao.errors import BaodaoError
from baodao.form_templates.catalog import Form, forms, get_form
from baodao.form_templates.qr_payload import parse_payload, payload
from baodao.form_templates.text import squash
from baodao.intake.align import INK_LEVEL, Placement, place
from baodao.intake.grid import TICKED, UNTICKED, Cell, Grid, Paragraph, Table
from baodao.intake.labels import norm
from baodao.intake.layout import BBox, CellLayout, Layouts, LineLayout, PageLayout, TableLayout
from baodao.intake.limits import Limits
from baodao.intake.model import ReadRecord, Rejected
from baodao.intake.ocr import Engine, engine
from baodao.intake.photo import UNRECTIFIED, Photo, as_photo, rectify
from baodao.intake.plausible import implausible
from baodao.intake.printed_id import read_printed_id
from baodao.intake.reading import read_as
from baodao.intake.scan_reader import page_count, page_images
from baodao.intake.scan_review import OCR_CONFIDENCE_MIN, UNALIGNED, Doubt, Reading, confidences, review
from baodao.intake.scan_text import TextLine, joined, read_lines
from baodao.intake.ticks import BoxReading, Tick, read_tick

TITLE_SIMILARITY = 0.75  # an OCR'd line this close to a form's title names the form (no QR code)
TITLE_BAND = 0.3  # the share of the page, from the top, where a title is looked for
PRINTED_SHARE = 0.7  # an OCR'd line with this share of its characters in the cell's printed text is that text
CELL_INSET_PT = 2.5  # what is cut from each side of a cell, to leave its rules out
PHOTO_SKEW = 1.0  # degrees a photo drawn onto its template may still be turned (the outline's corners)
PHOTO_CODE_SCALES = (1.0, 0.5, 1.5)  # a photo's code is small and soft: read at its size, smaller, larger
BLANK_INK = 0.002  # a page with less ink than this share is blank (scanner noise and specks stay under)


def read_scan(
    path: Path,
    limits: Limits,
    extend: Callable[[float], object] = lambda seconds: None,
    ocr: Engine | None = None,
    layouts: Layouts | None = None,
) -> ReadRecord | Rejected:
    """The record a scanned file holds, or why it holds none (``ocr``: RapidOCR unless another is given).

    The page is laid over the layout ``layouts`` gives for the form and id its QR code names: that of
    the office's template version the form was made from, else the bundled template's."""
    try:
        # OCR takes seconds a page: the worker asks for the scan's own time before any slow step.
        extend(limits.seconds_per_scan_page * page_count(path, limits))
        pages = page_images(path, limits)
    except BaodaoError as exc:
        return Rejected(path, str(exc))
    if not pages:
        return Rejected(path, "扫描件中没有页面，未读取")
    ocr = ocr or engine()
    photos = [as_photo(image) for image in pages]
    first = photos[0]
    found = identify_scan(pages[0], ocr) if first is None else identify_photo(first, ocr)
    if found is None:
        return Rejected(
            path, "认不出是哪一种表单：扫描件上找不到 baodao 的二维码，识别出的标题也对不上目录中的表单"
        )
    try:
        layout = (layouts or Layouts()).of(found.form.key, found.form_id)
    except BaodaoError as exc:
        return Rejected(path, str(exc))
    form, form_id = found.form, found.form_id
    refused = _page_problem(pages, len(layout.pages), found)
    if refused is not None:
        return Rejected(path, refused)
    reading = Reading()
    printed_id: str | None = None
    for image, photo, page in zip(pages, photos, layout.pages, strict=False):
        on_first = image is pages[0]
        if photo is not None:  # a photo: drawn onto the template's page, upright, before it is placed
            rectified = rectify(photo, found.turn, page)
            if rectified is None:
                return Rejected(path, UNRECTIFIED)
            if form_id is None and on_first:  # the code is sharper on the page drawn square
                form_id = _id_on((rectified.soft, rectified.image), form) or form_id
            placement = place(rectified.image, page, rectified.soft, max_skew=PHOTO_SKEW)
            quality = rectified.quality
        else:
            upright = image.rotate(found.turn, expand=True) if found.turn else image
            placement, quality = place(upright, page), 1.0
        if form_id is None and on_first:  # no code read: the id printed under it, checked later
            printed_id = read_printed_id(placement, form.key, ocr)
        _PageReader(placement, page, ocr, reading, _labels(form), quality).read()
    qr = [payload(form.key, form_id)] if form_id else []
    record = read_as(path, Grid("pdf", reading.blocks, qr_payloads=qr), form, form_id)
    record.printed_id = printed_id
    probe = read_as(path, Grid("pdf", reading.probe), form, None)
    record.confidence = confidences(form, probe.fields, reading, record.fields)
    record.issues += review(form, probe.fields, reading, record)
    record.issues += implausible(form.spec, record.fields, {i.field for i in record.issues})
    return record


@dataclass(frozen=True)
class ScanIdentity:
    """The form a scan is, its id when the QR code gave one, and the quarter turn that sets it upright."""

    form: Form
    form_id: str | None
    turn: int  # degrees counter-clockwise: 0, 90, 180 or 270


def _page_problem(pages: list[Image.Image], expected: int, found: ScanIdentity) -> str | None:
    """Why the scan cannot be read as one form, or None: a stack of several forms scanned into one file
    (another page carries a code of its own), pages beyond the form's that are not blank (a scanner's
    blank backs are fine), or fewer pages than the form has. Nothing is read rather than a part of it,
    so no form, and no page of one, is lost unseen."""
    if len(pages) < expected:
        key = found.form.key
        return f"扫描件只有 {len(pages)} 页，表单 {key} 有 {expected} 页，未读取：请扫描全部页面"
    own = payload(found.form.key, found.form_id) if found.form_id else None
    codes = {code.text for image in pages[1:] for code in _codes(image)}
    others = sorted(c for c in codes if parse_payload(c) is not None and c != own)
    if others:
        return (
            f"这是多份表单扫描在一个文件里（{len(pages)} 页，另有 {len(others)} 份的二维码），"
            "未读取：请每份表单存为一个文件（或每份单独扫描）"
        )
    written = [n for n, image in enumerate(pages[expected:], start=expected + 1) if not _blank(image)]
    if written:
        shown = "、".join(str(n) for n in written)
        key = found.form.key
        return f"扫描件有 {len(pages)} 页，表单 {key} 只有 {expected} 页；第 {shown} 页不是空白，未读取"
    return None


def _blank(image: Image.Image) -> bool:
    """A page with next to no ink: the back of a one-sided form, scanned anyway."""
    grey = np.asarray(image.convert("L").reduce(4))
    return float((grey < INK_LEVEL).mean()) < BLANK_INK


def _codes(image: Image.Image) -> list[Any]:
    """The QR codes on a page, as zxing-cpp reads them (text, orientation)."""
    import zxingcpp

    qr_only = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)  # five times faster than every format
    return list(zxingcpp.read_barcodes(image, formats=qr_only))


def identify_scan(image: Image.Image, ocr: Engine) -> ScanIdentity | None:
    """The form and its id from baodao's QR code; else the form from its OCR'd title, with no id.

    The code also tells which way up the page lies, so a page scanned sideways or upside down is turned.
    """
    return _by_code(_codes(image)) or _by_title(image, ocr, (0,))


def identify_photo(photo: Photo, ocr: Engine) -> ScanIdentity | None:
    """As ``identify_scan``, on the photo's squared page: the small QR code is tried at several sizes,
    and the title at each quarter turn (the photo may have been taken sideways)."""
    image = photo.squared
    for factor in PHOTO_CODE_SCALES:
        size = (round(image.width * factor), round(image.height * factor))
        scaled = image if factor == 1.0 else image.resize(size, Image.Resampling.LANCZOS)
        found = _by_code(_codes(scaled))
        if found is not None:
            return found
    return _by_title(image, ocr, (0, 90, 180, 270))


def _id_on(pages: tuple[Image.Image, ...], form: Form) -> str | None:
    """The id in ``form``'s QR code on an upright page, drawn more than one way: the top right of the
    page, where baodao prints the code, at its size and enlarged, as a small, soft code in a photo needs."""
    for page in pages:
        corner = page.crop((int(page.width * 0.5), 0, page.width, int(page.height * TITLE_BAND / 2)))
        for factor in (1.0, 1.5, 3.0):
            size = (round(corner.width * factor), round(corner.height * factor))
            scaled = corner if factor == 1.0 else corner.resize(size, Image.Resampling.BICUBIC)
            found = _by_code(_codes(scaled))
            if found is not None and found.form.key == form.key:
                return found.form_id
    return None


def _by_code(codes: list[Any]) -> ScanIdentity | None:
    for code in codes:
        parsed = parse_payload(code.text)
        if parsed is not None and parsed[0] in {f.key for f in forms()}:
            turn = round(code.orientation / 90) * 90 % 360
            return ScanIdentity(get_form(parsed[0]), parsed[1], turn)
    return None


def _by_title(image: Image.Image, ocr: Engine, turns: tuple[int, ...]) -> ScanIdentity | None:
    """The form whose title is printed at the top of the page, turned by the first of ``turns`` that
    shows one."""
    for turn in turns:
        upright = image.rotate(turn, expand=True) if turn else image
        top = upright.crop((0, 0, upright.width, int(upright.height * TITLE_BAND)))
        lines = [squash(box.text) for box in ocr.page(top)]
        best: tuple[float, Form | None] = (0.0, None)
        for form in forms():
            title = squash(form.spec.title)
            for line in lines:
                score = difflib.SequenceMatcher(None, title, line).ratio()
                if score > best[0]:
                    best = (score, form)
        if best[1] is not None and best[0] >= TITLE_SIMILARITY:
            return ScanIdentity(best[1], None, turn)
    return None


class _PageReader:
    """Reads one page's blocks into ``reading``: ticks by ink, added text by OCR, printed text as is."""

    def __init__(
        self,
        placement: Placement,
        page: PageLayout,
        ocr: Engine,
        reading: Reading,
        labels: set[str],
        quality: float = 1.0,
    ) -> None:
        self.placement, self.page, self.ocr, self.reading = placement, page, ocr, reading
        self.labels = labels
        self.quality = quality  # a photo's: how well it was drawn onto the template's page
        # A page with tables whose rules were not found was placed by its edges only: read it, but
        # trust nothing on it.
        self.trusted = placement.by_rules or not page.tables
        self.ticks = {box: read_tick(placement, box) for box in page.ticks}

    def read(self) -> None:
        for block in self.page.order():
            if isinstance(block, TableLayout):
                cells = [self.cell(c) for c in block.cells]
                self.reading.blocks.append(Table([c for c, _ in cells], block.n_rows, block.n_cols))
                self.reading.probe.append(Table([p for _, p in cells], block.n_rows, block.n_cols))
            else:
                text, probe = self.line(block)
                self.reading.blocks.append(Paragraph(text))
                self.reading.probe.append(Paragraph(probe))

    def cell(self, cell: CellLayout) -> tuple[Cell, Cell]:
        def made(text: str) -> Cell:
            return Cell(text, cell.row, cell.col, cell.rowspan, cell.colspan)

        if UNTICKED in cell.text:
            text = self.ticked(cell.text, cell.box)
            return made(text), made(text)
        if norm(cell.text) in self.labels:
            return made(cell.text), made(cell.text)  # a label's cell holds nothing else: not read
        inset = CELL_INSET_PT
        area = (cell.box[0] + inset, cell.box[1] + inset, cell.box[2] - inset, cell.box[3] - inset)
        text, added = with_printed(cell.text, read_lines(self.placement, area, self.ocr))
        if not added:
            return made(cell.text), made(cell.text)  # only the printed text: nothing was added
        return made(text), made(self.marker(text, added))

    def line(self, line: LineLayout) -> tuple[str, str]:
        if UNTICKED in line.text:
            text = self.ticked(line.text, line.box)
            return text, text
        if not line.text.endswith(("：", ":")):
            return line.text, line.text
        height = line.box[3] - line.box[1]
        right = self.page.right_margin
        area = (line.box[2] + 1, line.box[1] - height * 0.3, right, line.box[3] + height * 0.3)
        found = read_lines(self.placement, area, self.ocr, one_line=True)
        if not found:
            return line.text, line.text
        return line.text + found[0].text, line.text + self.marker(found[0].text, found)

    def marker(self, text: str, lines: list[TextLine]) -> str:
        """A stand-in the extractor passes through untouched, to learn which field a read text became."""
        self.reading.markers += 1
        marker = f"ZQ{self.reading.markers}QZ"
        confidence = min(line.confidence for line in lines) * self.quality if self.trusted else 0.0
        self.reading.sure[marker] = confidence
        if not self.trusted:
            self.reading.texts[marker] = Doubt(text, UNALIGNED)
        elif confidence < OCR_CONFIDENCE_MIN:
            self.reading.texts[marker] = Doubt(text, f"置信度 {confidence:.2f}")
        return marker

    def ticked(self, text: str, area: BBox) -> str:
        """``text`` with each printed box, in order, as the ink found in it."""
        x0, top, x1, bottom = area
        boxes = iter(
            b for b in self.page.ticks if x0 <= (b[0] + b[2]) / 2 <= x1 and top <= (b[1] + b[3]) / 2 <= bottom
        )
        out = []
        for ch in text:
            if ch != UNTICKED:
                out.append(ch)
                continue
            box = next(boxes, None)
            found: BoxReading | None = self.ticks.get(box) if box is not None else None
            if found is None:  # a □ the layout has no box for: leave it as printed
                out.append(UNTICKED)
                continue
            self.note(text, found)
            out.append(TICKED if found.state is Tick.TICKED else UNTICKED)
        return "".join(out)

    def note(self, text: str, found: BoxReading) -> None:
        """Keep the box's certainty, and a doubt when it is neither clearly empty nor clearly marked."""
        doubtful = found.state is Tick.DOUBTFUL or not self.trusted
        self.reading.box_texts.append((text, 0.0 if doubtful else self.quality))
        if doubtful:
            reason = UNALIGNED if not self.trusted else f"框内墨迹占 {found.ink:.1%}"
            self.reading.boxes.append(Doubt(text, reason))


def _labels(form: Form) -> set[str]:
    """Every label the form prints, as labels are compared (table column titles too)."""
    fields = [*form.spec.fields, *(c for f in form.spec.table_fields for c in f.columns)]
    return {norm(t) for f in fields for t in f.labels if norm(t)}


def with_printed(printed: str, lines: list[TextLine]) -> tuple[str, list[TextLine]]:
    """A cell's text as read, with the lines the template prints there given as printed (OCR may have
    misread a bracket), and the lines that were added."""
    printed_lines = [line for line in printed.split("\n") if squash(line)]
    out: list[TextLine] = []
    added: list[TextLine] = []
    for line in lines:
        read = squash(line.text)
        shares = [(_share(read, squash(p)), p) for p in printed_lines]
        share, match = max(shares, default=(0.0, ""))
        if share >= PRINTED_SHARE:
            if match not in [o.text for o in out]:
                out.append(TextLine(match, 1.0, full=False))
        else:
            out.append(line)
            added.append(line)
    return joined(out), added


def _share(read: str, printed: str) -> float:
    """The share of ``read``'s characters found, in order, in ``printed``."""
    if not read:
        return 1.0
    blocks = difflib.SequenceMatcher(None, read, printed, autojunk=False).get_matching_blocks()
    return sum(b.size for b in blocks) / len(read)
