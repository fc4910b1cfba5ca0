"""Page images from a scan: JPG, PNG and TIFF files, and PDFs whose pages are pictures with no text.

Pillow is told the largest picture it may open, so a small file that would unpack into a huge bitmap
(a decompression bomb) is refused before it is decoded.
"""

from __future__ import annotations

import subprocess
import tempfile
import warnings
from pathlib import Path

import pdfplumber
from PIL import Image, UnidentifiedImageError

from baodao.errors import DataError
from baodao.limits import Limits

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".tif", ".tiff")
SCAN_DPI = 300  # image-only PDF pages are rendered at this resolution, as a scanner would give them
SCAN_TEXT_CHARS = 20  # a PDF page with fewer characters of text than this is a picture of a page


def is_image_pdf(path: Path) -> bool:
    """True when no page of the PDF carries text: a scanner's or a phone's PDF."""
    with pdfplumber.open(path) as pdf:
        return all(len(page.chars) < SCAN_TEXT_CHARS for page in pdf.pages)


def page_images(path: Path, limits: Limits) -> list[Image.Image]:
    """Each page of the scan as a grey picture; DataError, in Chinese, when it cannot be one."""
    if path.suffix.lower() == ".pdf":
        return _pdf_pages(path, limits)
    return _image_pages(path, limits)


def _image_pages(path: Path, limits: Limits) -> list[Image.Image]:
    Image.MAX_IMAGE_PIXELS = int(limits.max_image_megapixels * 1_000_000)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                frames = getattr(image, "n_frames", 1)
                if frames > limits.max_scan_pages:
                    raise DataError(f"图片共 {frames} 页，超过上限 {limits.max_scan_pages} 页")
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


def _pdf_pages(path: Path, limits: Limits) -> list[Image.Image]:
    """Render the PDF's pages with poppler's pdftoppm, in a child process with its own time limit."""
    with pdfplumber.open(path) as pdf:
        count = len(pdf.pages)
    if count > limits.max_scan_pages:
        raise DataError(f"扫描的 PDF 共 {count} 页，超过扫描件上限 {limits.max_scan_pages} 页")
    with tempfile.TemporaryDirectory(prefix="baodao-scan-") as work:
        try:
            subprocess.run(
                ["pdftoppm", "-r", str(SCAN_DPI), "-gray", "-png", str(path), str(Path(work, "page"))],
                capture_output=True,
                timeout=limits.seconds_per_scan_page * count,
                check=True,
            )
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired, FileNotFoundError) as exc:
            raise DataError(f"无法把扫描的 PDF 转成图片（{type(exc).__name__}）") from exc
        pages = []
        for made in sorted(Path(work).glob("page*.png")):
            with Image.open(made) as image:
                pages.append(image.convert("L"))
        return pages
