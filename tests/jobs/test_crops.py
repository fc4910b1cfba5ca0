"""The crop shown beside a doubtful value: the label's cell and its value's, cut from the scan."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from PIL import Image

from baodao.docgen.specimen import render_specimen
from baodao.errors import DataError
from baodao.form_templates.catalog import get_form
from baodao.jobs.crops import crop, is_scan
from baodao.office.pdf import convert_to_pdf


@pytest.fixture(scope="module")
def scans(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """A filled zz-b1 as a 200 dpi JPEG (a phone or scanner), the same as a scanner's PDF, and the PDF
    LibreOffice made (text, not a scan)."""
    folder = tmp_path_factory.mktemp("crops")
    docx = render_specimen(get_form("zz-b1"), folder)[0]
    [pdf] = convert_to_pdf([docx], folder)
    subprocess.run(
        ["pdftoppm", "-r", "200", "-f", "1", "-l", "1", "-jpeg", "-singlefile", pdf, folder / "scan"],
        check=True,
    )
    jpeg = folder / "scan.jpg"
    scanned_pdf = folder / "scanner.pdf"
    Image.open(jpeg).save(scanned_pdf, resolution=200)
    return jpeg, scanned_pdf, pdf


def ink(path: Path) -> float:
    grey = Image.open(path).convert("L")
    dark = grey.point(lambda v: 255 if v < 128 else 0).histogram()[255]
    return dark / (grey.width * grey.height)


def test_a_crop_holds_the_label_and_the_value_beside_it(
    scans: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    jpeg, scanned_pdf, text_pdf = scans
    assert is_scan(jpeg) and is_scan(scanned_pdf) and not is_scan(text_pdf)
    age = crop(jpeg, "zz-b1", "age", tmp_path / "age.png")
    address = crop(jpeg, "zz-b1", "home_address", tmp_path / "address.png")
    with Image.open(age) as a, Image.open(address) as b:
        # 年龄's cells are short; 家庭住址's value cell runs across the form.
        assert 80 < a.width < 400 and b.width > 2 * a.width
        assert 30 < a.height < 200
    assert 0.01 < ink(age) < 0.5  # ruled lines and writing, not a blank or a black box
    from_pdf = crop(scanned_pdf, "zz-b1", "age", tmp_path / "age-pdf.png")
    with Image.open(age) as a, Image.open(from_pdf) as b:
        assert abs(a.width - b.width) <= 4 and abs(a.height - b.height) <= 4
    # Made once: the second call gives the cached file.
    stamp = age.stat().st_mtime_ns
    assert crop(jpeg, "zz-b1", "age", tmp_path / "age.png").stat().st_mtime_ns == stamp


def test_a_file_that_is_no_scan_has_no_crop(scans: tuple[Path, Path, Path], tmp_path: Path) -> None:
    with pytest.raises(DataError, match="没有截图"):
        crop(scans[2], "zz-b1", "age", tmp_path / "x.png")
