"""PDF pages as pictures: the first page alone, at the size its page has."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfWriter

from baodao.errors import ConversionError
from baodao.office.images import first_page_png


def two_pages(path: Path) -> Path:
    """A wide first page and a tall second one, so the picture says which page it shows."""
    writer = PdfWriter()
    writer.add_blank_page(width=288, height=144)
    writer.add_blank_page(width=144, height=288)
    with path.open("wb") as f:
        writer.write(f)
    return path


def test_first_page_png_shows_the_first_page_only(tmp_path: Path) -> None:
    pdf = two_pages(tmp_path / "two.pdf")
    png = first_page_png(pdf, tmp_path / "preview" / "first.png", dpi=72)
    with Image.open(png) as picture:
        assert picture.size == (288, 144)
    assert sorted(p.name for p in png.parent.iterdir()) == ["first.png"]  # nothing else left beside it


def test_first_page_png_of_a_broken_pdf_says_so_and_writes_nothing(tmp_path: Path) -> None:
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"not a pdf")
    with pytest.raises(ConversionError, match=r"broken\.pdf 的第一页"):
        first_page_png(broken, tmp_path / "out" / "first.png")
    assert list((tmp_path / "out").iterdir()) == []
