"""Page images from a scan: JPG, PNG and TIFF files, and PDFs whose pages are pictures with no text.

Pillow is told the largest picture it may open, so a small file that would unpack into a huge bitmap
(a decompression bomb) is refused before it is decoded.
"""

from __future__ import annotations

import subprocess
import tempfile
import warnings
from pathlib import Path
from typing import Any

import pdfplumber
from PIL import Image, UnidentifiedImageError

from baodao.errors import DataError
from baodao.intake.limits import Limits

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".tif", ".tiff")
SCAN_DPI = 300  # image-only PDF pages are rendered at this resolution, as a scanner would give them
SCAN_TEXT_CHARS = 20  # a PDF page with fewer characters of text than this is a picture of a page
# A page's picture: an A4 page at 50 dpi is 413 pixels wide, at 600 dpi an A3 one is 9,921 long.
MIN_SIDE = 200
MAX_SIDE = 20_000
MAX_ASPECT = 8  # a page is at most 1.5 times as long as it is wide; a strip of several pages is refused
PAGE_PICTURE = 0.8  # a picture covering this share of a page makes it a scanned page, text layer or not


def is_image_pdf(path: Path, limits: Limits) -> bool:
    """True when every page of the PDF is a picture: no text on it, or a picture covering the page with
    text only under it (a “searchable” PDF, whose text layer is the scanner's own OCR).

    Only as many pages are looked at as a scan may have, plus one: a longer text-less PDF is refused
    for its length either way, and a hostile one with thousands of pages is not walked through.
    """
    with pdfplumber.open(path) as pdf:
        return all(_pictured(page) for page in pdf.pages[: limits.max_scan_pages + 1])


def _pictured(page: Any) -> bool:
    if len(page.chars) < SCAN_TEXT_CHARS:
        return True
    area = float(page.width * page.height)
    return any(
        float((image["x1"] - image["x0"]) * (image["bottom"] - image["top"])) >= PAGE_PICTURE * area
        for image in page.images
    )


def page_images(path: Path, limits: Limits) -> list[Image.Image]:
    """Each page of the scan as a grey picture; DataError, in Chinese, when it cannot be one."""
    if path.suffix.lower() == ".pdf":
        return _pdf_pages(path, limits)
    return _image_pages(path, limits)


def _image_pages(path: Path, limits: Limits, decode: bool = True) -> list[Image.Image]:
    """Each frame of the picture file, grey (without ``decode``: only as many as there are, undecoded)."""
    Image.MAX_IMAGE_PIXELS = int(limits.max_image_megapixels * 1_000_000)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                frames = getattr(image, "n_frames", 1)
                if frames > limits.max_scan_pages:
                    raise DataError(f"图片共 {frames} 页，超过上限 {limits.max_scan_pages} 页")
                _check_size(image.size)
                if not decode:
                    return [image] * frames
                pages = []
                for n in range(frames):
                    image.seek(n)
                    pages.append(image.convert("L"))
                return pages
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise DataError(
            f"图片像素过多，超过上限 {limits.max_image_megapixels:g} 百万像素（可能是恶意文件），未读取"
        ) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise DataError(f"图片已损坏或不是图片，无法读取（{type(exc).__name__}）") from exc


def _check_size(size: tuple[int, int], rendered: bool = False) -> None:
    """Refuse a picture no page of a form can be: too small to read, or far longer or wider than a page.

    ``rendered``: the picture is a PDF page poppler drew, so a wrong size is the PDF's page size."""
    width, height = size
    small = min(width, height) < MIN_SIDE
    if (
        small or max(width, height) > MAX_SIDE or max(width, height) > MAX_ASPECT * min(width, height)
    ) and rendered:
        raise DataError(
            f"PDF 的页面尺寸不对（画出来是 {width}×{height} 像素），不像一页表单："
            "请用 PDF 阅读器打开后另存（或“打印”成 PDF）一份再读入"
        )
    if small:
        raise DataError(
            f"图片只有 {width}×{height} 像素，太小，看不清表单：请按 200–300 dpi 重新扫描，或拍一张清楚的照片"
        )
    if max(width, height) > MAX_SIDE or max(width, height) > MAX_ASPECT * min(width, height):
        raise DataError(
            f"图片 {width}×{height} 像素，不像一页表单（太长或太宽）：请按页扫描，每页一张，200–300 dpi"
        )


def page_count(path: Path, limits: Limits) -> int:
    """How many pages the scan has, without decoding any (DataError past the limit)."""
    if path.suffix.lower() == ".pdf":
        with pdfplumber.open(path) as pdf:
            count = len(pdf.pages)
    else:
        count = len(_image_pages(path, limits, decode=False))
    if count > limits.max_scan_pages:
        if path.suffix.lower() == ".pdf":  # a text-less PDF need not be a scan: say what was seen
            raise DataError(
                f"PDF 共 {count} 页，页面上没有可读的文字，只能当扫描件读，"
                f"而扫描件最多 {limits.max_scan_pages} 页：一份交回的表单应只有几页，请只留下表单那几页"
            )
        raise DataError(f"图片共 {count} 页，超过扫描件的上限 {limits.max_scan_pages} 页")
    return count


def _pdf_pages(path: Path, limits: Limits) -> list[Image.Image]:
    """The pictures a scanner's PDF holds, one a page, as they are; any other PDF rendered page by page."""
    count = page_count(path, limits)
    with tempfile.TemporaryDirectory(prefix="baodao-scan-") as work:
        pages = _embedded(path, count, limits, Path(work))
        if pages is not None:
            return pages
        return _rendered(path, count, limits, Path(work))


def _embedded(path: Path, count: int, limits: Limits, work: Path) -> list[Image.Image] | None:
    """Each page's one picture, taken out whole with poppler's pdfimages (JPEG kept as it is, others as
    PNG): no page is drawn again, which is ten times faster. None when a page holds other than one picture."""
    listed = _run(["pdfimages", "-list", str(path)], limits, count).decode("ascii", "replace")
    per_page: dict[int, int] = {}
    for row in listed.splitlines()[2:]:
        parts = row.split()
        if len(parts) > 4 and parts[0].isdigit() and parts[2] == "image":
            per_page[int(parts[0])] = per_page.get(int(parts[0]), 0) + 1
            if int(parts[3]) * int(parts[4]) > limits.max_image_megapixels * 1_000_000:
                raise DataError(
                    f"扫描的 PDF 中图片像素过多，超过上限 {limits.max_image_megapixels:g} 百万像素，未读取"
                )
    if sorted(per_page) != list(range(1, count + 1)) or any(n != 1 for n in per_page.values()):
        return None
    _run(["pdfimages", "-j", "-png", str(path), str(work / "image")], limits, count)
    pages = []
    for made in sorted(work.glob("image-*")):
        pages += _image_pages(made, limits)
    return pages if len(pages) == count else None


def _rendered(path: Path, count: int, limits: Limits, work: Path) -> list[Image.Image]:
    _run(["pdftoppm", "-r", str(SCAN_DPI), "-gray", "-png", str(path), str(work / "page")], limits, count)
    pages = []
    for made in sorted(work.glob("page*.png")):
        with Image.open(made) as image:
            _check_size(image.size, rendered=True)
            pages.append(image.convert("L"))
    if len(pages) != count:  # poppler drew nothing for a page it could not size (a MediaBox of miles)
        raise DataError(
            "PDF 的页面尺寸不对，画不出页面：请用 PDF 阅读器打开后另存（或“打印”成 PDF）一份再读入"
        )
    return pages


def _run(command: list[str], limits: Limits, count: int) -> bytes:
    """A poppler tool's output, within the scan's time; DataError in Chinese when it fails."""
    try:
        done = subprocess.run(
            command, capture_output=True, timeout=limits.seconds_per_scan_page * count, check=True
        )
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, FileNotFoundError) as exc:
        raise DataError(f"无法取出扫描的 PDF 中的页面图片（{command[0]}：{type(exc).__name__}）") from exc
    return done.stdout
