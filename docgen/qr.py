"""QR codes for issued forms: the payload baodao prints and a 1-bit PNG of it, made quickly per record."""

from __future__ import annotations

import segno

from form_templates.png import png_1bit

PAYLOAD_PREFIX = "BD1"
SCALE = 4  # pixels per module: a 15 mm code at about 200 dpi, crisp in print and in a 300 dpi scan
BORDER = 2  # quiet-zone modules; the frame around the picture adds the rest
# Any of the eight masks makes a valid code; choosing one skips the scoring of all eight (two thirds of
# segno's time), and error level M survives a stamp or a fold across the corner.
MASK = 2


def payload(form_key: str, form_id: str) -> str:
    """The text a QR code carries: “BD1|zz-b1|SJ-2025-0001”."""
    return f"{PAYLOAD_PREFIX}|{form_key}|{form_id}"


def parse_payload(text: str) -> tuple[str, str] | None:
    """(form key, form id) from a scanned payload, or None when it is not one of baodao's."""
    parts = text.split("|")
    if len(parts) == 3 and parts[0] == PAYLOAD_PREFIX and parts[1] and parts[2]:
        return parts[1], parts[2]
    return None


def qr_png(text: str) -> bytes:
    """A black-on-white PNG of ``text`` as a QR code."""
    matrix = segno.make_qr(text, error="m", mask=MASK, boost_error=False).matrix
    size = len(matrix) + 2 * BORDER
    width = size * SCALE
    blank_row = bytes(((size * SCALE) + 7) // 8 * [0xFF])
    rows = [blank_row] * (BORDER * SCALE)
    for modules in matrix:
        bits = "1" * (BORDER * SCALE) + "".join("0" * SCALE if m else "1" * SCALE for m in modules)
        bits += "1" * (BORDER * SCALE)
        bits += "1" * (-len(bits) % 8)
        row = int(bits, 2).to_bytes(len(bits) // 8, "big")
        rows.extend([row] * SCALE)
    rows += [blank_row] * (BORDER * SCALE)
    return png_1bit(rows, width)
