"""The id printed under a form's QR code, read by OCR when the code itself cannot be read.

Where it is printed comes from the template (the frame at the top right that holds the code and, under
it, the id). What is read there is only a candidate: it is taken as the form's id when it has the shape
of an id baodao prints and the issuance register says that id of that form was issued
(``settle_id``, called by whoever holds the register: intake knows no database). Otherwise the record
keeps no id, and says why, for review.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from dataclasses import replace
from functools import cache

from baodao.form_templates.catalog import get_form
from baodao.form_templates.ooxml import PIC, WP, W, parse
from baodao.form_templates.qr_payload import fits_id
from baodao.form_templates.spec import FieldIssue
from baodao.intake.align import Placement
from baodao.intake.layout import BBox
from baodao.intake.model import ReadRecord
from baodao.intake.ocr import Engine
from baodao.intake.scan_text import read_lines

CODE_PICTURE = "baodao-qr"  # the name the templates give the code's picture (form_templates.builder)
EMU_PER_PT = 12700
TWIPS_PER_PT = 20
ID_LINES = 2.4  # the area under the code: this many times the id's size (a line, and room for a slant)
DEFAULT_ID_PT = 7.5
# What OCR makes of a digest id's letters: base32 has no 0, 1 or 8, and a lower-case letter is a misread.
_DIGEST_LOOKALIKES = str.maketrans({"0": "O", "1": "I", "8": "B"})
_DASHES = str.maketrans({"－": "-", "—": "-", "–": "-", "‐": "-", "一": "-"})
IssuedCheck = Callable[[str, str], bool]  # (form key, id) → was it issued


@cache
def id_area(key: str) -> BBox | None:
    """Where the template prints the id under the code, on the first page, in points; None when the
    template prints no code."""
    with zipfile.ZipFile(get_form(key).docx) as zf:
        root = parse(zf.read("word/document.xml"))
    for named in root.iter(f"{{{WP}}}docPr", f"{{{PIC}}}cNvPr"):
        if named.get("name") != CODE_PICTURE:
            continue
        paragraph = next(named.iterancestors(f"{{{W}}}p"), None)
        frame = paragraph.find(f"{{{W}}}pPr/{{{W}}}framePr") if paragraph is not None else None
        extent = next(named.itersiblings(f"{{{WP}}}extent", preceding=True), None)
        if paragraph is None or frame is None or extent is None:
            return None
        x = int(frame.get(f"{{{W}}}x", "0")) / TWIPS_PER_PT
        y = int(frame.get(f"{{{W}}}y", "0")) / TWIPS_PER_PT
        width = int(frame.get(f"{{{W}}}w", "0")) / TWIPS_PER_PT
        code_bottom = y + int(extent.get("cy", "0")) / EMU_PER_PT
        sizes = [int(s.get(f"{{{W}}}val", "0")) / 2 for s in paragraph.iter(f"{{{W}}}sz")]
        size = min(sizes, default=DEFAULT_ID_PT)
        # From just under the code (its last row of modules must not be read as a line of text).
        return (x, code_bottom + 0.3, x + width, code_bottom + ID_LINES * size)
    return None


def read_printed_id(placement: Placement, key: str, ocr: Engine) -> str:
    """The text printed under the code on a placed first page, as OCR reads it ('' when none)."""
    area = id_area(key)
    if area is None:
        return ""
    lines = read_lines(placement, area, ocr, one_line=True)
    return "".join(lines[0].text.split()) if lines else ""


def candidate(text: str, own_number: bool) -> str:
    """``text`` as the id it may be: dashes made one, and for a digest id the look-alikes of its letters."""
    text = text.translate(_DASHES)
    return text if own_number else text.upper().translate(_DIGEST_LOOKALIKES)


def settle_id(record: ReadRecord, issued: IssuedCheck) -> ReadRecord:
    """A scan whose code could not be read: its id is the one printed under the code (or, failing that,
    its own 编号) when that has an id's shape and was issued as this form; else it has none, and a doubt
    says what was read. A record whose id came from a code or from the file itself is returned as is."""
    if record.printed_id is None:
        return record
    spec = get_form(record.form).spec
    own = spec.id_field is not None
    printed = candidate(record.printed_id, own)
    tried = list(dict.fromkeys(t for t in (printed, record.form_id or "") if t))
    for ident in tried:
        if fits_id(ident, own) and issued(record.form, ident):
            return replace(record, form_id=ident, printed_id=None)
    if not printed:
        seen = "二维码和其下印的编号都没有读出"
    elif not fits_id(printed, own):
        seen = f"二维码读不出，其下印的编号识别为“{printed}”，不像 baodao 印的编号"
    else:
        seen = f"二维码读不出，其下印的编号识别为“{printed}”，发放登记中没有这份{spec.title}"
    if record.form_id and record.form_id != printed:
        seen += f"；表上填的编号“{record.form_id}”也不在发放登记中"
    field = spec.id_field or "编号"
    doubt = FieldIssue(field, f"编号：{seen}。未与发放登记关联，请对照原件核对")
    return replace(record, form_id=None, printed_id=None, issues=[*record.issues, doubt])
