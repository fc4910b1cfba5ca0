"""The part of a scanned page where a field's value was read, as a PNG for the clerk to look at beside it.

The page is laid over its form's blank layout as intake lays it (intake.align), and the cell beside the
field's printed label is cut out with a margin. Made once per file and field, kept in ``cache``.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image
from sqlalchemy import Engine

from baodao.errors import DataError
from baodao.files import atomic_path
from baodao.form_templates.catalog import get_form
from baodao.form_templates.text import squash
from baodao.intake.align import place
from baodao.intake.layout import BBox, CellLayout, PageLayout, layout_from_json, layout_of
from baodao.intake.limits import Limits
from baodao.intake.scan_reader import IMAGE_SUFFIXES, is_image_pdf, page_images
from baodao.store.templates import version_layout

MARGIN_PT = 6.0
MAX_WIDTH = 900  # pixels: the crop is shown beside the value, not as a poster


def is_scan(path: Path) -> bool:
    """A photo or scanned image, or a PDF whose every page is a picture (a scanner's PDF)."""
    suffix = path.suffix.lower()
    if suffix in IMAGE_SUFFIXES:
        return True
    try:
        return suffix == ".pdf" and path.is_file() and is_image_pdf(path, Limits.from_environment())
    except Exception:  # a PDF that cannot be opened has no picture to show; the review page stays up
        return False


def crop(
    source: Path, form_key: str, field: str, cache: Path, version: tuple[Engine, int] | None = None
) -> Path:
    """A PNG of where ``field`` sits on the scanned ``source`` (cached as ``cache``), laid over the layout
    of the template ``version`` (the database and the version's id) when the form was made from one."""
    if cache.exists():
        return cache
    if not is_scan(source):
        raise DataError("这份记录不是从扫描件或照片读出的，没有截图")
    spec = get_form(form_key).spec
    label = spec.field(field).label if field in spec.field_names else field
    # A list (服务意向: 1. 2. 3.) is written in the cell under its label, other values beside it.
    below = field in spec.field_names and spec.field(field).type == "list"
    stored = version_layout(*version) if version is not None else None
    layout = layout_from_json(stored) if stored is not None else layout_of(form_key)
    pages = page_images(source, Limits.from_environment())
    for image, page in zip(pages, layout.pages, strict=False):
        box = _value_box(page, label, below)
        if box is None:
            continue
        placement = place(image, page)
        x0, y0, x1, y1 = placement.box(
            (box[0] - MARGIN_PT, box[1] - MARGIN_PT, box[2] + MARGIN_PT, box[3] + MARGIN_PT)
        )
        grey = Image.fromarray(placement.pixels)
        cut = grey.crop((max(0, x0), max(0, y0), min(grey.width, x1), min(grey.height, y1)))
        if cut.width > MAX_WIDTH:
            cut = cut.resize((MAX_WIDTH, max(1, cut.height * MAX_WIDTH // cut.width)))
        with atomic_path(cache) as tmp:
            cut.save(tmp, format="PNG")
        return cache
    raise DataError(f"在 {form_key} 的版面上找不到“{label}”一栏")


def _value_box(page: PageLayout, label: str, below: bool) -> BBox | None:
    """The label's cell and the cell beside (or under) it, where the value is written, as one rectangle."""
    wanted = squash(label)
    for table in page.tables:
        for cell in table.cells:
            if wanted and squash(cell.text).startswith(wanted):
                beside = _next(table.cells, cell, below)
                if beside is None:
                    return cell.box
                both = (cell.box, beside.box)
                return (
                    min(b[0] for b in both),
                    min(b[1] for b in both),
                    max(b[2] for b in both),
                    max(b[3] for b in both),
                )
    return None


def _next(cells: tuple[CellLayout, ...], cell: CellLayout, below: bool) -> CellLayout | None:
    for other in cells:
        if below and other.col == cell.col and other.row == cell.row + cell.rowspan:
            return other
        if not below and other.row == cell.row and other.col == cell.col + cell.colspan:
            return other
    return None
