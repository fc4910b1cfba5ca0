"""A small QR encoder for one case: byte mode, error level M, mask 2, versions 1–10.

The layout of each version (function patterns, the order data modules are filled, the masked format
bits) is built once and cached, so a payload costs only Reed–Solomon and one pass over its bits: about
a tenth of a general encoder's time. Longer payloads return None and the caller uses a general encoder.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

Put = Callable[[int, int, bool], None]

MASK = 2
# Per version at level M: (error-correction codewords per block, [data codewords of each block]).
_BLOCKS: dict[int, tuple[int, list[int]]] = {
    1: (10, [16]),
    2: (16, [28]),
    3: (26, [44]),
    4: (18, [32, 32]),
    5: (24, [43, 43]),
    6: (16, [27, 27, 27, 27]),
    7: (18, [31, 31, 31, 31]),
    8: (22, [38, 38, 39, 39]),
    9: (22, [36, 36, 36, 37, 37]),
    10: (26, [43, 43, 43, 43, 44]),
}
_ALIGNMENT: dict[int, list[int]] = {
    1: [],
    2: [6, 18],
    3: [6, 22],
    4: [6, 26],
    5: [6, 30],
    6: [6, 34],
    7: [6, 22, 38],
    8: [6, 24, 42],
    9: [6, 26, 46],
    10: [6, 28, 50],
}
MAX_VERSION = max(_BLOCKS)
_BITS = tuple(format(b, "08b") for b in range(256))

# GF(256) with the QR polynomial x^8 + x^4 + x^3 + x^2 + 1.
_EXP = [0] * 512
_LOG = [0] * 256
_x = 1
for _i in range(255):
    _EXP[_i], _LOG[_x] = _x, _i
    _x = (_x << 1) ^ (0x11D if _x & 0x80 else 0)
for _i in range(255, 512):
    _EXP[_i] = _EXP[_i - 255]


def data_bits(data: bytes) -> tuple[int, str] | None:
    """The smallest version that holds ``data``, and its codewords (data and error correction) as bits."""
    for version in range(1, MAX_VERSION + 1):
        ec, blocks = _BLOCKS[version]
        count_bits = 8 if version < 10 else 16
        if 4 + count_bits + 8 * len(data) <= 8 * sum(blocks):
            return version, "".join(_BITS[c] for c in _codewords(data, count_bits, ec, blocks))
    return None


def data_order(version: int) -> tuple[tuple[int, int], ...]:
    """(row, column) of each data module, in the order codeword bits fill them."""
    return tuple(_layout(version)[1])


@cache
def masked_base(version: int) -> tuple[int, ...]:
    """Rows of the code with every data bit 0 (function patterns plus the mask), as integers with the
    leftmost module in the highest bit, 1 = dark."""
    dark, order = _layout(version)
    size = len(dark)
    masked = [row[:] for row in dark]
    for r, c in order:
        masked[r][c] = c % 3 == 0  # mask 2 darkens a light data module in every third column
    return tuple(sum(1 << (size - 1 - c) for c in range(size) if masked[r][c]) for r in range(size))


def _codewords(data: bytes, count_bits: int, ec: int, blocks: list[int]) -> list[int]:
    capacity = sum(blocks)
    bits = (0b0100 << count_bits) | len(data)
    value = int.from_bytes(data, "big") if data else 0
    nbits = 4 + count_bits + 8 * len(data)
    total = (bits << (8 * len(data))) | value
    terminator = min(4, 8 * capacity - nbits)
    total <<= terminator
    nbits += terminator
    total <<= -nbits % 8
    nbits += -nbits % 8
    payload = list(total.to_bytes(nbits // 8, "big"))
    payload += [0xEC, 0x11] * ((capacity - len(payload)) // 2 + 1)
    payload = payload[:capacity]
    data_blocks, at = [], 0
    for size in blocks:
        data_blocks.append(payload[at : at + size])
        at += size
    generator = _generator(ec)
    ec_blocks = [_remainder(b, generator) for b in data_blocks]
    out = [b[i] for i in range(max(blocks)) for b in data_blocks if i < len(b)]
    out += [b[i] for i in range(ec) for b in ec_blocks]
    return out


@cache
def _generator(degree: int) -> tuple[int, ...]:
    poly = [1]
    for i in range(degree):
        nxt = [0] * (len(poly) + 1)
        for j, c in enumerate(poly):
            nxt[j] ^= c
            if c:
                nxt[j + 1] ^= _EXP[_LOG[c] + i]
        poly = nxt
    return tuple(poly[1:])


def _remainder(block: list[int], generator: tuple[int, ...]) -> list[int]:
    """The error-correction codewords of ``block``: polynomial division, one shift and XOR per byte."""
    degree = len(generator)
    table = _products(generator)
    top, mask = 8 * (degree - 1), (1 << (8 * degree)) - 1
    rem = 0
    for byte in block:
        rem = ((rem << 8) & mask) ^ table[byte ^ (rem >> top)]
    return list(rem.to_bytes(degree, "big"))


@cache
def _products(generator: tuple[int, ...]) -> tuple[int, ...]:
    """For every factor, the generator's coefficients times that factor, packed into one integer."""
    logs = [_LOG[g] for g in generator]
    return tuple(
        int.from_bytes(bytes(_EXP[_LOG[f] + lg] if f else 0 for lg in logs), "big") for f in range(256)
    )


@cache
def _layout(version: int) -> tuple[list[list[bool]], list[tuple[int, int]]]:
    """Function patterns and format/version bits already drawn, and the zigzag order of data modules."""
    size = 17 + 4 * version
    dark = [[False] * size for _ in range(size)]
    reserved = [[False] * size for _ in range(size)]

    def put(r: int, c: int, on: bool) -> None:
        dark[r][c], reserved[r][c] = on, True

    for r0, c0 in ((0, 0), (0, size - 7), (size - 7, 0)):
        for dr in range(-1, 8):
            for dc in range(-1, 8):
                r, c = r0 + dr, c0 + dc
                if 0 <= r < size and 0 <= c < size:
                    ring = max(abs(dr - 3), abs(dc - 3))
                    put(r, c, ring != 2 and ring != 4)
    for i in range(8, size - 8):
        put(6, i, i % 2 == 0)
        put(i, 6, i % 2 == 0)
    centres = _ALIGNMENT[version]
    corners = (
        {(centres[0], centres[0]), (centres[0], centres[-1]), (centres[-1], centres[0])} if centres else set()
    )
    for r0 in centres:
        for c0 in centres:
            if (r0, c0) in corners:
                continue  # these would overlap a finder pattern; the ones on the timing lines stay
            for dr in range(-2, 3):
                for dc in range(-2, 3):
                    put(r0 + dr, c0 + dc, max(abs(dr), abs(dc)) != 1)
    _format_bits(put, size)
    if version >= 7:
        _version_bits(put, size, version)
    put(size - 8, 8, True)  # the dark module
    order = []
    col, upward = size - 1, True
    while col > 0:
        if col == 6:
            col -= 1
        rows = range(size - 1, -1, -1) if upward else range(size)
        for r in rows:
            for c in (col, col - 1):
                if not reserved[r][c]:
                    order.append((r, c))
        upward = not upward
        col -= 2
    return dark, order


def _format_bits(put: Put, size: int) -> None:
    data = (0b00 << 3) | MASK  # level M is 00
    rem = data << 10
    for i in range(14, 9, -1):
        if rem >> i & 1:
            rem ^= 0x537 << (i - 10)
    bits = ((data << 10) | rem) ^ 0x5412
    fn = put
    for i in range(6):
        fn(i, 8, bool(bits >> i & 1))
    fn(7, 8, bool(bits >> 6 & 1))
    fn(8, 8, bool(bits >> 7 & 1))
    fn(8, 7, bool(bits >> 8 & 1))
    for i in range(9, 15):
        fn(8, 14 - i, bool(bits >> i & 1))
    for i in range(8):
        fn(8, size - 1 - i, bool(bits >> i & 1))
    for i in range(8, 15):
        fn(size - 15 + i, 8, bool(bits >> i & 1))


def _version_bits(put: Put, size: int, version: int) -> None:
    rem = version << 12
    for i in range(17, 11, -1):
        if rem >> i & 1:
            rem ^= 0x1F25 << (i - 12)
    bits = (version << 12) | rem
    fn = put
    for i in range(18):
        on = bool(bits >> i & 1)
        a, b = size - 11 + i % 3, i // 3
        fn(a, b, on)
        fn(b, a, on)
