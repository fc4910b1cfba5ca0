"""Lays a scanned page over its blank template: straightens it, then maps template points to pixels.

The table rules are what a scan keeps best, so they do the work: the page is turned by the angle that
makes its long horizontal rules sharpest, and the outer rules of the tables give scale and offset. When a
scan shows exactly the template's horizontal rules, each row is placed by its own rules, so a row that
grew taller in print (a long value wrapped) still lines up.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from PIL import Image

from baodao.intake.layout import PageLayout

INK_LEVEL = 128  # grey below this is ink (paper scans are near 255, pen and print near 0)
MAX_SKEW = 4.0  # degrees a page may be turned on the scanner glass, either way
RULE_SHARE = 0.6  # a horizontal rule runs across at least this share of its table's width
RULE_FIT = 0.015  # a found rule is the template's when within this share of the table's height of it
SCALE_AGREEMENT = 0.06  # horizontal and vertical scales may differ this much (a photo's slant) and no more
# Widths (pixels) the skew is searched at: coarse steps on a small copy, the last ones on a copy wide
# enough that 0.02° still moves a rule's end by a pixel.
COARSE_WIDTH, FINE_WIDTH = 600, 1600
# How far above and below a rule (points) its slant is measured: room for what the search left over,
# short of the text in the row beside it.
SLANT_REACH_PT = 2.5
NpImage = np.ndarray  # 2-D uint8, grey


@dataclass(frozen=True)
class Placement:
    """A page straightened (``pixels``, grey) and the map from template points to its pixels."""

    pixels: NpImage
    angle: float
    sx: float
    ox: float
    ys_pt: tuple[float, ...]  # template y values (points) …
    ys_px: tuple[float, ...]  # … and where they fell on the scan (pixels), for piecewise placement
    by_rules: bool  # True when placed by the tables' rules, False when only by the page's size
    # A photo's page for the recognizer, turned the same way: its light evened out more gently than
    # ``pixels``, whose faint rules were darkened to be found (and would thicken the strokes of text).
    soft: NpImage | None = None

    def x(self, pt: float) -> float:
        return self.sx * pt + self.ox

    def y(self, pt: float) -> float:
        ys, ps = self.ys_pt, self.ys_px
        if pt <= ys[0] or pt >= ys[-1]:  # outside the rules: carry on with the nearest row's scale
            i = 0 if pt <= ys[0] else len(ys) - 2
            scale = (ps[i + 1] - ps[i]) / (ys[i + 1] - ys[i])
            return ps[i] + (pt - ys[i]) * scale
        return float(np.interp(pt, ys, ps))

    def box(self, box: tuple[float, float, float, float]) -> tuple[int, int, int, int]:
        """A template rectangle (points) as pixel bounds on the straightened page."""
        return (round(self.x(box[0])), round(self.y(box[1])), round(self.x(box[2])), round(self.y(box[3])))


def place(
    image: Image.Image, page: PageLayout, soft: Image.Image | None = None, max_skew: float = MAX_SKEW
) -> Placement:
    """Straighten ``image`` and find where ``page``'s template points lie on it (``soft``: the same page
    for the recognizer; ``max_skew``: the turn, either way, the page may have)."""
    placed = _placed(image.convert("L"), page, max_skew)
    if soft is None:
        return placed
    return replace(placed, soft=_turned(soft.convert("L"), placed.angle))


def _placed(grey: Image.Image, page: PageLayout, max_skew: float) -> Placement:
    angle = skew_angle(grey, max_skew)
    pixels = _turned(grey, angle)
    if page.tables:  # the rules' own slant settles what the search left over (a few hundredths of a degree)
        rough = pixels.shape[1] / page.width * min(t.box[2] - t.box[0] for t in page.tables)
        rules = horizontal_rules(pixels, RULE_SHARE * rough * 0.8)
        reach = max(3, round(SLANT_REACH_PT * pixels.shape[1] / page.width))
        residual = _slant(pixels, rules[0], reach) if rules else 0.0
        if abs(residual) > 0.01:
            angle += residual
            pixels = _turned(grey, angle)
    return _by_rules(pixels, angle, page) or _by_page(pixels, angle, page)


def _turned(grey: Image.Image, angle: float) -> NpImage:
    if abs(angle) <= 0.005:
        return np.asarray(grey)
    return np.asarray(grey.rotate(angle, resample=Image.Resampling.BILINEAR, fillcolor=255))


def _slant(pixels: NpImage, y: float, reach: int) -> float:
    """The angle (degrees) by which the rule near ``y`` still climbs from left to right."""
    band = pixels[max(0, int(y) - reach) : int(y) + reach + 1] < INK_LEVEL
    cols = np.flatnonzero(band.sum(axis=0) > 0)
    if cols.size < 100:
        return 0.0
    left, right = cols[: cols.size // 4], cols[-cols.size // 4 :]
    rows = np.arange(band.shape[0])[:, None]

    def centre(span: np.ndarray) -> float:
        ink = band[:, span]
        return float((rows * ink).sum() / max(ink.sum(), 1))

    dx = float(right.mean() - left.mean())
    # Image y grows downwards: a rule whose right end is lower needs a clockwise (negative) turn.
    return float(np.degrees(np.arctan2(centre(right) - centre(left), dx)))


def skew_angle(grey: Image.Image, max_skew: float = MAX_SKEW) -> float:
    """The turn (degrees, counter-clockwise positive) that makes horizontal rules and text lines level."""
    coarse = _ink(grey.reduce(max(1, grey.width // COARSE_WIDTH)))
    fine = _ink(grey.reduce(max(1, grey.width // FINE_WIDTH)))
    # Coarse steps on a small copy, then ever finer on a larger one: a 0.1° error across a 300 dpi table
    # already smears a rule over several rows.
    best = max(np.arange(-max_skew, max_skew + 0.01, 0.25), key=lambda a: _sharpness(coarse, a))
    best = max(np.arange(best - 0.25, best + 0.26, 0.05), key=lambda a: _sharpness(coarse, a))
    return float(max(np.arange(best - 0.06, best + 0.061, 0.02), key=lambda a: _sharpness(fine, a)))


def _ink(grey: Image.Image) -> Image.Image:
    return Image.fromarray(((np.asarray(grey) < INK_LEVEL) * 255).astype(np.uint8))


def _sharpness(ink: Image.Image, angle: float) -> float:
    """How concentrated the ink is in few rows once turned by ``angle``: highest when rules are level."""
    rows = np.asarray(ink.rotate(angle, resample=Image.Resampling.NEAREST)).sum(axis=1, dtype=np.float64)
    return float((rows**2).sum())


def horizontal_rules(pixels: NpImage, min_length: float) -> list[float]:
    """The y (pixels) of every horizontal line at least ``min_length`` pixels of ink long."""
    ink = pixels < INK_LEVEL
    # A rule is long runs of ink on one row; allow small breaks (a worn line) by summing per row.
    rows = np.flatnonzero(ink.sum(axis=1) >= min_length)
    return [float(group.mean()) for group in _runs(rows)]


def vertical_extent(
    pixels: NpImage, top: float, bottom: float, min_length: float
) -> tuple[float, float] | None:
    """The leftmost and rightmost vertical lines between ``top`` and ``bottom`` (the tables' sides)."""
    band = pixels[int(top) : int(bottom) + 1] < INK_LEVEL
    cols = np.flatnonzero(band.sum(axis=0) >= min_length)
    if cols.size == 0:
        return None
    groups = _runs(cols)
    return float(groups[0].mean()), float(groups[-1].mean())


def _runs(indices: np.ndarray) -> list[np.ndarray]:
    if indices.size == 0:
        return []
    return [g for g in np.split(indices, np.flatnonzero(np.diff(indices) > 2) + 1) if g.size]


def _by_rules(pixels: NpImage, angle: float, page: PageLayout) -> Placement | None:
    if not page.tables:
        return None
    rough = pixels.shape[1] / page.width  # pixels per point if the scan is the whole page
    left = min(t.box[0] for t in page.tables)
    right = max(t.box[2] for t in page.tables)
    narrowest = min(t.box[2] - t.box[0] for t in page.tables)
    found = horizontal_rules(pixels, RULE_SHARE * narrowest * rough * 0.8)
    expected = sorted({round(y, 1) for t in page.tables for y in t.rules})
    if len(found) < 2:
        return None
    found = _matching(found, expected)
    top_pt, bottom_pt = expected[0], expected[-1]
    top_px, bottom_px = found[0], found[-1]
    sy = (bottom_px - top_px) / (bottom_pt - top_pt)
    sides = vertical_extent(pixels, top_px, bottom_px, 0.6 * (bottom_px - top_px))
    if sides is None:
        return None
    sx = (sides[1] - sides[0]) / (right - left)
    if abs(sx - sy) > SCALE_AGREEMENT * sy:
        return None
    ys_pt: tuple[float, ...] = (top_pt, bottom_pt)
    ys_px: tuple[float, ...] = (top_px, bottom_px)
    if len(found) == len(expected):
        ys_pt, ys_px = tuple(expected), tuple(found)
    return Placement(pixels, angle, sx, sides[0] - sx * left, ys_pt, ys_px, True)


def _matching(found: list[float], expected: list[float]) -> list[float]:
    """The rules found that are the template's: a line of the desk at a photo's edge, or a shadow's
    edge, can pass for a rule above or below the table. The outer pair is the one whose spacing puts
    the most of the template's rules on a found one (the widest of equals); rules off that spacing go."""
    span = expected[-1] - expected[0]
    best: tuple[int, float, list[float]] = (0, 0.0, found)
    for i, top in enumerate(found):
        for bottom in found[i + 1 :]:
            scale = (bottom - top) / span
            tolerance = max(2.0, RULE_FIT * (bottom - top))
            kept = []
            for y in expected:
                want = top + (y - expected[0]) * scale
                near = min(found, key=lambda f: abs(f - want))
                if abs(near - want) <= tolerance and near not in kept:
                    kept.append(near)
            if (len(kept), bottom - top) > best[:2]:
                best = (len(kept), bottom - top, kept)
    return best[2] if len(best[2]) >= 2 else found


def _by_page(pixels: NpImage, angle: float, page: PageLayout) -> Placement:
    """No rules to go by: take the scan as the whole page, edge to edge."""
    sx = pixels.shape[1] / page.width
    sy = pixels.shape[0] / page.height
    return Placement(pixels, angle, sx, 0.0, (0.0, page.height), (0.0, sy * page.height), False)
