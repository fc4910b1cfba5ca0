"""A minimal PNG writer for 1-bit black-and-white pictures (QR codes), with no imaging library."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Sequence


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_1bit(rows: Sequence[bytes], width: int) -> bytes:
    """A 1-bit greyscale PNG; each row is packed bits, most significant first, 1 = white, 0 = black."""
    header = struct.pack(">IIBBBBB", width, len(rows), 1, 0, 0, 0, 0)
    raw = b"\x00" + b"\x00".join(rows)  # filter type 0 (none) before each row
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(raw, 6))
        + _chunk(b"IEND", b"")
    )


def blank_png(size: int = 8) -> bytes:
    """A white square: the stand-in a template carries until a form's own QR code replaces it."""
    return png_1bit([b"\xff" * ((size + 7) // 8)] * size, size)
