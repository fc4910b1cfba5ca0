"""Paper returns made the way people make them: a printed form, filled in, ticked with a pen, scanned.

A page image of a generated form is written on in a Kai face (text in the value cells, a √ or × stroke
in each chosen box), then turned by a degree or two, noised, and saved as JPEG, as a cheap scanner or a
phone would.
"""

from __future__ import annotations

import datetime as dt
import random
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pdfplumber
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from baodao.form_templates.text import squash
from baodao.intake.grid import UNTICKED
from baodao.intake.layout import BBox, CellLayout, PageLayout
from baodao.office.programs import face_file

HAND_FONT = face_file("FandolKai")
INK = (20, 30, 90)  # a blue-black ballpoint


@dataclass
class Filling:
    """What a person writes on one page: text by the label of its cell, and the options they tick."""

    text: dict[str, str] = field(default_factory=dict)  # label → text written in the cell beside/below
    ticks: set[str] = field(default_factory=set)  # options whose box gets a stroke
    below: set[str] = field(default_factory=set)  # labels whose value cell is below, not beside
    after: dict[str, str] = field(default_factory=dict)  # “label：” line → text written after it
    placed: list[tuple[float, float, str]] = field(default_factory=list)  # (right x, top, text) in points


def render_pages(pdf: Path, outdir: Path, dpi: int = 300) -> list[Path]:
    """The PDF's pages as PNG files, as poppler draws them."""
    outdir.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(pdf), str(outdir / "page")], check=True)
    return sorted(outdir.glob("page*.png"))


def fill(image: Image.Image, page: PageLayout, filling: Filling, dpi: int = 300) -> Image.Image:
    """``image`` (the printed page) with ``filling`` written on it."""
    out = image.convert("RGB")
    draw = ImageDraw.Draw(out)
    scale = dpi / 72
    font = ImageFont.truetype(str(HAND_FONT), round(11 * scale))
    for label, text in filling.text.items():
        x0, top, _, _ = value_cell(page, label, below=label in filling.below)
        y = top * scale + 6 * scale
        for row in text.split("\n"):
            draw.text((x0 * scale + 5 * scale, y), row, font=font, fill=INK)
            y += 16 * scale
    for label, text in filling.after.items():
        line = next(ln for ln in page.lines if squash(ln.text).startswith(squash(label)))
        draw.text(
            (line.box[2] * scale + 4 * scale, line.box[1] * scale - 2 * scale), text, font=font, fill=INK
        )
    for right, top, text in filling.placed:
        width = draw.textlength(text, font=font)
        draw.text((right * scale - width - 2 * scale, top * scale - 1 * scale), text, font=font, fill=INK)
    rng = random.Random(7)
    for option, box in option_boxes(page).items():
        if option in filling.ticks:
            _stroke(draw, box, scale, cross=rng.random() < 0.3, rng=rng)
    return out


def degrade(image: Image.Image, angle: float, seed: int) -> Image.Image:
    """A scan of ``image``: turned by ``angle`` degrees, shifted, a little soft, with sensor noise."""
    rng = np.random.default_rng(seed)
    turned = image.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=(255, 255, 255))
    shifted = Image.new("RGB", turned.size, (250, 250, 248))
    shifted.paste(turned, (int(rng.integers(-30, 30)), int(rng.integers(-30, 30))))
    soft = shifted.filter(ImageFilter.GaussianBlur(0.7))
    noise = rng.normal(0, 14, (soft.height, soft.width, 1)).astype(np.int16)
    pixels = np.asarray(soft).astype(np.int16) + noise
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))


def date_gaps(pdf: Path, page: int, area: BBox, day: dt.date) -> list[tuple[float, float, str]]:
    """Where a person writes ``day`` on a printed “年 月 日” inside ``area``: each number just before its
    character, as (right x, top, text) in points."""
    with pdfplumber.open(pdf) as doc:
        chars = [
            c
            for c in doc.pages[page].chars
            if c["text"] in "年月日" and area[0] <= c["x0"] <= area[2] and area[1] <= c["top"] <= area[3]
        ]
    marks = {c["text"]: c for c in chars}  # the last line's, when several print a date
    numbers = {"年": str(day.year), "月": str(day.month), "日": str(day.day)}
    return [(float(marks[k]["x0"]), float(marks[k]["top"]), numbers[k]) for k in "年月日"]


def value_cell(page: PageLayout, label: str, below: bool = False) -> BBox:
    """The cell beside (or below) the cell printing ``label``."""
    for table in page.tables:
        for cell in table.cells:
            if squash(cell.text).startswith(squash(label)):
                target = _neighbour(table.cells, cell, below)
                if target is not None:
                    return target.box
    raise AssertionError(f"no cell labelled {label}")


def _neighbour(cells: tuple[CellLayout, ...], cell: CellLayout, below: bool) -> CellLayout | None:
    for other in cells:
        if below and other.col == cell.col and other.row == cell.row + cell.rowspan:
            return other
        if not below and other.row == cell.row and other.col == cell.col + cell.colspan:
            return other
    return None


def option_boxes(page: PageLayout) -> dict[str, BBox]:
    """Each printed option's box: the k-th □ of a text is the k-th box inside it, its option the word
    next to it (after it in “□优秀”, before it in “写作□”)."""
    found: dict[str, BBox] = {}
    texts: list[tuple[str, BBox]] = [(c.text, c.box) for t in page.tables for c in t.cells]
    texts += [(line.text, line.box) for line in page.lines]
    for text, area in texts:
        if UNTICKED not in text:
            continue
        inside = [b for b in page.ticks if area[0] <= b[0] <= area[2] and area[1] <= b[1] <= area[3]]
        words = text.replace("\n", " ").split(UNTICKED)
        for k, box in enumerate(inside):
            before = words[k].split()[-1] if words[k].split() else ""
            after = words[k + 1].split()[0] if k + 1 < len(words) and words[k + 1].split() else ""
            option = after if text.lstrip().startswith(UNTICKED) else before
            if option:
                found[option] = box
    return found


def _stroke(draw: ImageDraw.ImageDraw, box: BBox, scale: float, cross: bool, rng: random.Random) -> None:
    """A pen tick (√) or cross (×) over the box, a little off centre and larger than it, as people draw."""
    x0, top, x1, bottom = (v * scale for v in box)
    w, h = x1 - x0, bottom - top
    jx, jy = rng.uniform(-0.08, 0.08) * w, rng.uniform(-0.08, 0.08) * h
    width = max(2, round(0.9 * scale))
    if cross:
        x_a, x_b, y_a, y_b = x0 + 0.2 * w + jx, x1 - 0.2 * w + jx, top + 0.2 * h + jy, bottom - 0.2 * h + jy
        draw.line([(x_a, y_a), (x_b, y_b)], INK, width)
        draw.line([(x_b, y_a), (x_a, y_b)], INK, width)
    else:
        draw.line(
            [
                (x0 + 0.15 * w + jx, top + 0.55 * h + jy),
                (x0 + 0.42 * w + jx, bottom - 0.12 * h + jy),
                (x1 + 0.1 * w + jx, top - 0.1 * h + jy),
            ],
            INK,
            width,
            joint="curve",
        )
