"""QR codes for issued forms: the payload baodao prints and a 1-bit PNG of it, made quickly per record."""

from __future__ import annotations

from functools import cache

import segno

from baodao.docgen.qr_encoder import MASK, data_bits, data_order, masked_base
from baodao.form_templates.png import png_1bit

SCALE = 4  # pixels per module: a 15 mm code at about 200 dpi, crisp in print and in a 300 dpi scan
BORDER = 2  # quiet-zone modules; the frame around the picture adds the rest
assert SCALE == 4, "two modules to a byte: _pixel_layout packs four-pixel modules"


def qr_png(text: str) -> bytes:
    """A black-on-white PNG of ``text`` as a QR code, four pixels to a module."""
    found = data_bits(text.encode("utf-8"))
    if found is None:
        return _png_from_matrix(_segno_matrix(text))
    version, stream = found
    base, flips, width = _pixel_layout(version)
    rows = list(base)
    for flag, (r, pixels) in zip(stream, flips, strict=False):
        if flag == "1":
            rows[r] ^= pixels
    return _png(rows, width)


@cache
def _pixel_layout(version: int) -> tuple[tuple[int, ...], tuple[tuple[int, int], ...], int]:
    """A version's picture with every data bit 0, as PNG row integers (1 = white) with the quiet zone,
    and for each data module its row and the pixel bits that turn it dark."""
    base = masked_base(version)
    size = len(base)
    width = size + 2 * BORDER
    width += -width % 2  # whole bytes: two modules of four pixels to a byte
    right = width - BORDER - size
    rows = tuple(_spread(~row & ((1 << size) - 1)) << (right * SCALE) | _quiet(width, right) for row in base)
    flips = tuple((r, 0xF << ((width - BORDER - 1 - c) * SCALE)) for r, c in data_order(version))
    return rows, flips, width


def _spread(light: int) -> int:
    """Each module bit as four equal pixel bits."""
    out, shift = 0, 0
    while light:
        if light & 1:
            out |= 0xF << shift
        light >>= 1
        shift += 4
    return out


def _quiet(width: int, right: int) -> int:
    """The white border pixels of one row: BORDER modules on the left, ``right`` on the right."""
    left = ((1 << (BORDER * SCALE)) - 1) << ((width - BORDER) * SCALE)
    return left | ((1 << (right * SCALE)) - 1)


def _png(rows: list[int] | tuple[int, ...], width: int) -> bytes:
    nbytes = width * SCALE // 8
    blank = b"\xff" * nbytes
    lines = [blank] * (BORDER * SCALE)
    for row in rows:
        lines += [row.to_bytes(nbytes, "big")] * SCALE
    lines += [blank] * (BORDER * SCALE)
    return png_1bit(lines, width * SCALE)


def _segno_matrix(text: str) -> list[list[bool]]:
    made = segno.make_qr(text.encode("utf-8"), error="m", mask=MASK, mode="byte", boost_error=False)
    return [[bool(m) for m in row] for row in made.matrix]


def _png_from_matrix(matrix: list[list[bool]]) -> bytes:
    size = len(matrix)
    width = size + 2 * BORDER + size % 2
    right = width - BORDER - size
    rows = [
        _spread(sum(1 << (size - 1 - c) for c, dark in enumerate(line) if not dark)) << (right * SCALE)
        | _quiet(width, right)
        for line in matrix
    ]
    return _png(rows, width)
