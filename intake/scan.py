"""A scanned return read against its blank template: which form, its ticks by ink, its text by OCR.

The page is laid over the template's layout (``intake.align``). The template's printed texts are known,
so only what a person or baodao added is read: each empty cell, the room after a “label：” line, and
every tick box. The result is the same Grid a PDF of the form gives, so the one extractor reads it, and
each value recognized with less than ``OCR_CONFIDENCE_MIN`` (or a tick that is neither clearly empty nor
clearly marked) gets an issue that sends it to ``baodao review``.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image

from baodao.errors import BaodaoError
from baodao.limits import Limits
from docgen.qr import parse_payload
from form_templates.catalog import Form, forms, get_form
from form_templates.text import squash
from intake.align import INK_LEVEL, NpImage, Placement, place
from intake.grid import TICKED, UNTICKED, Block, Cell, Grid, Paragraph, Table
from intake.layout import BBox, CellLayout, LineLayout, PageLayout, TableLayout, layout_of
from intake.model import FieldIssue, JsonValue, ReadRecord, Rejected
from intake.ocr import Engine, engine
from intake.reading import read_as
from intake.scan_reader import page_count, page_images
from intake.ticks import BoxReading, Tick, read_tick

# Below this a recognized value is sent to review rather than trusted. The confidence is the recognizer's
# least sure step along the line (intake.ocr); measured on the test scans: right lines 0.89–1.00, a line
# that lost a rare character (蕰) 0.26.
OCR_CONFIDENCE_MIN = 0.85
TITLE_SIMILARITY = 0.75  # an OCR'd line this close to a form's title names the form (no QR code)
TITLE_BAND = 0.3  # the share of the page, from the top, where a title is looked for
LINE_GAP_PT = 1.5  # ink rows closer than this (points) belong to one line of text
MIN_LINE_PT = 4.0  # a line of text is at least this tall (points); less is a speck or a rule's trace
CELL_INSET_PT = 2.5  # what is cut from each side of a cell, to leave its rules out
PAD_PX = 6  # white kept around a line of text for the recognizer
_COLON = re.compile(r"(?<!\d):|:(?!\d)")


@dataclass
class _Doubts:
    """What was read with too little confidence: OCR'd texts by marker, and doubtful boxes' texts."""

    texts: dict[str, tuple[str, float]] = field(default_factory=dict)  # marker → (text, confidence)
    boxes: list[tuple[str, float]] = field(default_factory=list)  # (the text the box stands in, ink)


@dataclass
class _Reading:
    """A page's blocks as read, and as markers (to learn which field each read text went to)."""

    blocks: list[Block] = field(default_factory=list)
    probe: list[Block] = field(default_factory=list)
    doubts: _Doubts = field(default_factory=_Doubts)
    markers: int = 0


def read_scan(
    path: Path, limits: Limits, extend: Callable[[float], object] = lambda seconds: None
) -> ReadRecord | Rejected:
    """The record a scanned file holds, or why it holds none."""
    try:
        # OCR takes seconds a page: the worker asks for the scan's own time before any slow step.
        extend(limits.seconds_per_scan_page * page_count(path, limits))
        pages = page_images(path, limits)
    except BaodaoError as exc:
        return Rejected(path, str(exc))
    if not pages:
        return Rejected(path, "扫描件中没有页面，未读取")
    found = identify_scan(pages[0], engine())
    if found is None:
        return Rejected(
            path, "认不出是哪一种表单：扫描件上找不到 baodao 的二维码，识别出的标题也对不上目录中的表单"
        )
    form, form_id = found
    layout = layout_of(form.key)
    reading = _Reading()
    for image, page in zip(pages, layout.pages, strict=False):
        _read_page(place(image, page), page, engine(), reading)
    qr = [f"BD1|{form.key}|{form_id}"] if form_id else []
    record = read_as(path, Grid("pdf", reading.blocks, qr_payloads=qr), form, form_id)
    probe = read_as(path, Grid("pdf", reading.probe), form, None)
    record.issues += _review(form, probe.fields, reading.doubts, record.issues)
    return record


def identify_scan(image: Image.Image, ocr: Engine) -> tuple[Form, str | None] | None:
    """The form and its id from baodao's QR code; else the form from its OCR'd title, with no id."""
    import zxingcpp

    qr_only = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
    for code in zxingcpp.read_barcodes(image, formats=qr_only):
        parsed = parse_payload(code.text)
        if parsed is not None and parsed[0] in {f.key for f in forms()}:
            return get_form(parsed[0]), parsed[1]
    top = image.crop((0, 0, image.width, int(image.height * TITLE_BAND)))
    lines = [squash(box.text) for box in ocr.page(top)]
    best: tuple[float, Form | None] = (0.0, None)
    for form in forms():
        title = squash(form.spec.title)
        for line in lines:
            score = difflib.SequenceMatcher(None, title, line).ratio()
            if score > best[0]:
                best = (score, form)
    return (best[1], None) if best[1] is not None and best[0] >= TITLE_SIMILARITY else None


def _read_page(placement: Placement, page: PageLayout, ocr: Engine, reading: _Reading) -> None:
    ticks = {box: read_tick(placement, box) for box in page.ticks}
    for block in page.order():
        if isinstance(block, TableLayout):
            cells = [_cell(placement, page, c, ticks, ocr, reading) for c in block.cells]
            reading.blocks.append(Table([c for c, _ in cells], block.n_rows, block.n_cols))
            reading.probe.append(Table([p for _, p in cells], block.n_rows, block.n_cols))
        else:
            text, probe = _line(placement, page, block, ticks, ocr, reading)
            reading.blocks.append(Paragraph(text))
            reading.probe.append(Paragraph(probe))


def _cell(
    placement: Placement,
    page: PageLayout,
    cell: CellLayout,
    ticks: dict[BBox, BoxReading],
    ocr: Engine,
    reading: _Reading,
) -> tuple[Cell, Cell]:
    def made(text: str) -> Cell:
        return Cell(text, cell.row, cell.col, cell.rowspan, cell.colspan)

    if UNTICKED in cell.text:
        text = _ticked(cell.text, _boxes_in(page, cell.box), ticks, reading)
        return made(text), made(text)
    inset = CELL_INSET_PT
    area = (cell.box[0] + inset, cell.box[1] + inset, cell.box[2] - inset, cell.box[3] - inset)
    read, confidence = read_text(placement, area, ocr)
    if squash(cell.text) and len(squash(read)) <= len(squash(cell.text)) + 1:
        return made(cell.text), made(cell.text)  # only the printed text: nothing was added
    marker = _marker(reading, read, confidence)
    return made(read), made(marker)


def _line(
    placement: Placement,
    page: PageLayout,
    line: LineLayout,
    ticks: dict[BBox, BoxReading],
    ocr: Engine,
    reading: _Reading,
) -> tuple[str, str]:
    if UNTICKED in line.text:
        text = _ticked(line.text, _boxes_in(page, line.box), ticks, reading)
        return text, text
    if not line.text.endswith(("：", ":")):
        return line.text, line.text
    height = line.box[3] - line.box[1]
    area = (line.box[2] + 1, line.box[1] - height * 0.3, page.right_margin, line.box[3] + height * 0.3)
    read, confidence = read_text(placement, area, ocr, one_line=True)
    if not read:
        return line.text, line.text
    return line.text + read, line.text + _marker(reading, read, confidence)


def _marker(reading: _Reading, text: str, confidence: float) -> str:
    """A stand-in the extractor passes through untouched, to learn which field a read text became."""
    reading.markers += 1
    marker = f"ZQ{reading.markers}QZ"
    if confidence < OCR_CONFIDENCE_MIN:
        reading.doubts.texts[marker] = (text, confidence)
    return marker


def _boxes_in(page: PageLayout, box: BBox) -> list[BBox]:
    x0, top, x1, bottom = box
    return [b for b in page.ticks if x0 <= (b[0] + b[2]) / 2 <= x1 and top <= (b[1] + b[3]) / 2 <= bottom]


def _ticked(text: str, boxes: list[BBox], ticks: dict[BBox, BoxReading], reading: _Reading) -> str:
    """``text`` with each printed box, in order, as the ink found in it."""
    out = []
    pending = iter(boxes)
    for ch in text:
        if ch != UNTICKED:
            out.append(ch)
            continue
        box = next(pending, None)
        found = ticks.get(box) if box is not None else None
        if found is not None and found.state is Tick.DOUBTFUL:
            reading.doubts.boxes.append((text, found.ink))
        out.append(TICKED if found is not None and found.state is Tick.TICKED else UNTICKED)
    return "".join(out)


def read_text(placement: Placement, area: BBox, ocr: Engine, one_line: bool = False) -> tuple[str, float]:
    """The text inside ``area`` (template points), line by line, and the least confidence of its lines.

    With ``one_line``, only the line nearest the middle of the area: the room after a “label：” line is
    looked at with a margin above and below, where the neighbouring lines' writing may reach.
    """
    x0, y0, x1, y1 = placement.box(area)
    h, w = placement.pixels.shape
    crop = placement.pixels[max(0, y0) : min(h, y1), max(0, x0) : min(w, x1)]
    if crop.size == 0:
        return "", 1.0
    lines = []
    confidence = 1.0
    found = text_lines(crop, placement.sx)
    if one_line and found:
        middle = crop.shape[0] / 2
        found = [min(found, key=lambda band: abs((band[0] + band[1]) / 2 - middle))]
    for top, bottom, left, right in found:
        piece = np.pad(crop[top:bottom, left:right], PAD_PX, constant_values=255)
        read = ocr.line(Image.fromarray(piece))
        if read.text.strip():
            lines.append(_tidy(read.text))
            confidence = min(confidence, read.confidence)
    return "\n".join(lines), confidence


def text_lines(crop: NpImage, scale: float) -> list[tuple[int, int, int, int]]:
    """Where the lines of text are in ``crop``: (top, bottom, left, right) in its pixels."""
    ink = crop < INK_LEVEL
    ink = _without_rules(ink)
    rows = np.flatnonzero(ink.sum(axis=1) >= 2)
    if rows.size == 0:
        return []
    bands = np.split(rows, np.flatnonzero(np.diff(rows) > LINE_GAP_PT * scale) + 1)
    found = []
    for band in bands:
        top, bottom = int(band[0]), int(band[-1]) + 1
        if bottom - top < MIN_LINE_PT * scale:
            continue
        cols = np.flatnonzero(ink[top:bottom].any(axis=0))
        found.append((top, bottom, int(cols[0]), int(cols[-1]) + 1))
    return found


def _without_rules(ink: NpImage) -> NpImage:
    """Ink less any line running nearly across the crop (a table rule the inset did not cut off)."""
    ink = ink.copy()
    ink[ink.mean(axis=1) > 0.6] = False
    ink[:, ink.mean(axis=0) > 0.6] = False
    return ink


def _tidy(text: str) -> str:
    """OCR gives ASCII colons and brackets beside Chinese; the forms print full-width ones."""
    text = _COLON.sub("：", text)
    return text.replace("(", "（").replace(")", "）").strip()


def _review(
    form: Form, probe: dict[str, JsonValue], doubts: _Doubts, issues: list[FieldIssue]
) -> list[FieldIssue]:
    """An issue for each field a doubtful text went into, and each choice a doubtful box belongs to."""
    flagged = {i.field for i in issues}
    out = []
    for f in form.spec.fields:
        shown = str(probe.get(f.name))
        for marker, (text, confidence) in doubts.texts.items():
            if marker in shown and f.name not in flagged:
                out.append(
                    FieldIssue(
                        f.name, f"{f.label}：扫描识别把握不足（置信度 {confidence:.2f}），请核对：{text}"
                    )
                )
                flagged.add(f.name)
        if f.type in ("choice", "choices") and f.name not in flagged:
            for text, ink in doubts.boxes:
                if any(o in text for o in f.options):
                    message = f"{f.label}：有一个勾选框看不清是否勾选（墨迹占 {ink:.0%}），请核对"
                    out.append(FieldIssue(f.name, message))
                    flagged.add(f.name)
                    break
    return out
