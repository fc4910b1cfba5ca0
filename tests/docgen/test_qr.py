"""baodao's QR codes decode to their exact payload in every version it draws, and long ones still work."""

from __future__ import annotations

import io
import random

import pytest
import zxingcpp
from PIL import Image

from baodao.docgen.qr import qr_png
from baodao.docgen.qr_encoder import MAX_VERSION, data_bits
from baodao.form_templates.qr_payload import parse_payload, payload


def decoded(png: bytes) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))]


@pytest.mark.parametrize("length", [1, 14, 15, 30, 60, 100, 150, 200, 213, 214, 300])
def test_codes_of_every_size_decode(length: int) -> None:
    rng = random.Random(length)
    text = "".join(chr(rng.randrange(33, 127)) for _ in range(length))
    assert text in decoded(qr_png(text))


def test_versions_one_to_ten_are_drawn_by_baodao_and_longer_by_segno() -> None:
    versions = {data_bits(bytes(n))[0] for n in range(1, 214) if data_bits(bytes(n)) is not None}  # type: ignore[index]
    assert versions == set(range(1, MAX_VERSION + 1))
    assert data_bits(bytes(214)) is None


def test_chinese_ids_round_trip() -> None:
    text = payload("zz-b1", "上街区-编号-0001")
    assert decoded(qr_png(text)) == [text]
    assert parse_payload(text) == ("zz-b1", "上街区-编号-0001")
    assert parse_payload("http://example.org") is None
