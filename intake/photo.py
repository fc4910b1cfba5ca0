"""Phone photos of a return: the page found in the picture, its perspective undone, its light evened out.

A flatbed scan shows the page square and whole; a photo shows it turned, tilted away from the camera, on
a desk, under a shadow. The largest four-cornered outline in the picture is the page (against the desk)
or, when the page fills the frame, the table's outer rules. Its true width-to-height ratio comes from the
perspective itself (Zhang and He's whiteboard method), so it can be told which it is: after the QR code
names the form, the outline is matched to the page or one of the tables its ``layout.json`` holds, and a
homography (OpenCV) maps the photo onto the template's page. The light is evened out by dividing by the
paper's own brightness (the page with its ink closed over). What comes out is a straight, upright page
that the flatbed alignment (``intake.align``) finishes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

from baodao.intake.align import RULE_FIT, RULE_SHARE, horizontal_rules
from baodao.intake.layout import BBox, PageLayout

WORK_SIDE = 1200  # the long side (pixels) outlines are looked for at
SIDE_BAND = 3.0  # pixels (at WORK_SIDE) either side of a side's line whose edge points it is fitted to
SIDE_FITS = 3  # fits of each side, each to the points near the last
MIN_AREA = 0.04  # an outline covering less of the picture than this is not the page nor its table
# A picture whose outline is this square, this level and whose paper is this evenly lit is a flatbed
# scan, left to ``intake.align``.
SCAN_SKEW = 3.5  # degrees
SCAN_PARALLEL = 0.6  # degrees between opposite sides
SCAN_LIGHT_SPREAD = 40  # grey levels between the paper's darker and lighter parts
# Pixels along the outline's longer side: a table is at least 6 inches long on paper (440 points), so a
# scan at 200 dpi or more shows it over 1200 pixels; fewer is a phone's low-resolution picture.
SCAN_MIN_OUTLINE = 1100
EDGE_BLANK = 0.03  # of the drawn page's width, along each edge: the desk a corner found a little inside
ASPECT_MATCH = 0.035  # an outline matches a page or table whose width/height is this close (log ratio)
PAGE_DPI = 250  # the rectified page's resolution: past a phone's own for small text, cheap to read
SQUARED_SIDE = 2400  # pixels, at most, of the squared picture's longer side: enough for its QR code
MARGIN = 0.3  # around an outline that may be a table, the page it sits on is kept too (share of size)
A4_ASPECT = 210 / 297
# A phone's main camera: 24–28 mm equivalent, a focal length of 0.75–0.85 times the picture's long side.
FOCAL = 0.8
FOCAL_RANGE = (0.5, 1.6)  # a focal length found outside this (long sides) is noise, not a lens
ASPECT_DOUBT = 0.1  # what an outline's proportions at the edge of ASPECT_MATCH take off the quality
RULES_MIN = 0.5  # a drawing with fewer of the template's rules in place than this is no drawing of it
PAPER_GRAIN = 0.03  # for the recognizer: paper this much darker than its light is still paper
INK_CURVE = 2.5  # paper (ratio 1) stays white, a rule blurred to half its darkness reads as ink
TEXT_CURVE = 1.0  # for the recognizer: no curve, so strokes keep their width and do not run together
UNRECTIFIED = "照片中找不到完整的表格，无法把它摆正对齐，未读取：请把整张表格拍进画面，对正后重新拍摄"


@dataclass(frozen=True)
class Outline:
    """The four corners (photo pixels: top left, top right, bottom right, bottom left as seen) and the
    rectangle's true width/height, undone from the perspective."""

    corners: np.ndarray  # 4×2 float32
    aspect: float
    area: float  # share of the picture
    inked: bool  # the outside of ink (a table's rules), not an edge (the paper's against the desk)


@dataclass(frozen=True)
class Photo:
    """A picture taken as a photo: the outline found, and the page drawn square from it (upright up to a
    quarter turn), for the QR code to be read from."""

    image: np.ndarray  # the picture, grey
    outline: Outline
    others: tuple[Outline, ...]  # the smaller outlines, the tables' among them
    squared: Image.Image


@dataclass(frozen=True)
class Rectified:
    """The page drawn onto the template's own page (``image`` to find rules and ticks on, ``soft`` to
    recognize text on), and how sure the drawing is (0 to 1)."""

    image: Image.Image
    soft: Image.Image
    quality: float


def as_photo(image: Image.Image) -> Photo | None:
    """The picture as a photo to be squared first, or None when it is a flatbed scan (or shows no page)."""
    grey = np.asarray(image.convert("L"))
    outlines = find_outlines(grey)
    if not outlines:
        return None
    outline = outlines[0]
    if _scan_like(grey, outline):
        return None
    return Photo(grey, outline, tuple(outlines[1:]), _square(grey, outline))


def find_outlines(grey: np.ndarray) -> list[Outline]:
    """Every convex four-cornered outline in the picture, largest first: the page, the tables."""
    factor = WORK_SIDE / max(grey.shape)
    small = cv2.resize(grey, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
    small = cv2.GaussianBlur(small, (5, 5), 0)
    # The paper's edge against the desk shows in its edges; a table's outer rules as the outside of the
    # ink they join (the edges of a rule merge with writing that touches it).
    edges = cv2.dilate(cv2.Canny(small, 40, 120), np.ones((3, 3), np.uint8))
    ink = cv2.adaptiveThreshold(small, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 25, 10)
    contours = [(c, False) for c in cv2.findContours(edges, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)[0]]
    contours += [(c, True) for c in cv2.findContours(ink, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_SIMPLE)[0]]
    frame = float(small.shape[0] * small.shape[1])
    found: list[Outline] = []
    for contour, inked in contours:
        area = cv2.contourArea(contour) / frame
        if area < MIN_AREA:
            continue
        hull = cv2.convexHull(contour)
        approx = cv2.approxPolyDP(hull, 0.02 * cv2.arcLength(hull, True), True)
        if len(approx) != 4 or cv2.contourArea(hull) / frame > 0.995:
            continue
        corners = _fitted(contour.reshape(-1, 2).astype(np.float32), _ordered(approx.reshape(4, 2))) / factor
        if _cut_by_frame(corners, grey.shape):
            continue
        if any(_same(corners, o.corners, max(grey.shape) * 0.01) and o.inked == inked for o in found):
            continue
        found.append(Outline(corners, true_aspect(corners, grey.shape[1], grey.shape[0]), area, inked))
    found.sort(key=lambda o: -o.area)
    return [Outline(_refined(grey, o.corners), o.aspect, o.area, o.inked) for o in found[:8]]


def _cut_by_frame(corners: np.ndarray, shape: tuple[int, ...]) -> bool:
    """Whether a side of the outline runs along the picture's edge: the frame cut the page or table off
    there, and that side is not the page's."""
    h, w = shape[:2]
    near = 0.005 * max(h, w)
    for a, b in zip(corners, np.roll(corners, -1, axis=0), strict=True):
        for axis, size in ((0, w), (1, h)):
            if all(v[axis] <= near for v in (a, b)) or all(v[axis] >= size - 1 - near for v in (a, b)):
                return True
    return False


def _fitted(points: np.ndarray, corners: np.ndarray) -> np.ndarray:
    """The corners where lines fitted to the outline's four sides meet: a corner cut off or hidden by
    writing still falls where its sides say."""
    lines = []
    for a, b in zip(corners, np.roll(corners, -1, axis=0), strict=True):
        line = (a, b - a)
        for _ in range(SIDE_FITS):
            direction = line[1] / max(float(np.linalg.norm(line[1])), 1e-6)
            normal = np.array([-direction[1], direction[0]])
            near = points[np.abs((points - line[0]) @ normal) <= SIDE_BAND]
            if len(near) < 10:
                break
            vx, vy, x, y = cv2.fitLine(near, cv2.DIST_HUBER, 0, 0.01, 0.01).ravel()
            line = (np.array([x, y]), np.array([vx, vy]))
        lines.append(line)
    out = []
    for (p1, d1), (p2, d2) in zip(np.roll(np.array(lines, dtype=object), 1, axis=0), lines, strict=True):
        matrix = np.array([d1, -d2], dtype=np.float64).T
        if abs(np.linalg.det(matrix)) < 1e-9:
            return corners.astype(np.float32)
        t = np.linalg.solve(matrix, np.asarray(p2, np.float64) - np.asarray(p1, np.float64))
        out.append(p1 + t[0] * d1)
    return np.array(out, dtype=np.float32)


def _same(a: np.ndarray, b: np.ndarray, tolerance: float) -> bool:
    return bool(np.abs(a - b).max() < tolerance)


def _ordered(points: np.ndarray) -> np.ndarray:
    """Corners as top left, top right, bottom right, bottom left, by their angle around the centre."""
    centre = points.mean(axis=0)
    angles = np.arctan2(points[:, 1] - centre[1], points[:, 0] - centre[0])
    ring = points[np.argsort(angles)]  # clockwise on screen, starting anywhere
    start = int(np.argmin(ring.sum(axis=1)))  # the top left has the smallest x + y
    return np.roll(ring, -start, axis=0).astype(np.float32)


def _refined(grey: np.ndarray, corners: np.ndarray) -> np.ndarray:
    """The corners found on the small copy, set to the pixel on the full picture."""
    window = max(3, round(max(grey.shape) / WORK_SIDE * 3))
    points = corners.reshape(-1, 1, 2).copy()
    criteria = (cv2.TERM_CRITERIA_EPS + cv2.TERM_CRITERIA_MAX_ITER, 30, 0.05)
    refined = cv2.cornerSubPix(grey, points, (window, window), (-1, -1), criteria).reshape(4, 2)
    # A corner that wandered off (no corner there: a rounded or cut one) keeps where the outline put it.
    moved = np.linalg.norm(refined - corners, axis=1) > 2 * window
    refined[moved] = corners[moved]
    return refined.astype(np.float32)


def true_aspect(corners: np.ndarray, width: int, height: int) -> float:
    """The width/height of the rectangle ``corners`` shows, the perspective undone (Zhang and He, 2007,
    with the lens centred in the picture). The focal length comes from the two vanishing points when
    they give a plausible one; a page tilted about one axis only has one, and then a phone's usual lens
    is taken (``FOCAL``)."""
    u0, v0 = width / 2, height / 2
    m1, m2, m4, m3 = (np.array([x, y, 1.0]) for x, y in corners)  # m1 TL, m2 TR, m3 BL, m4 BR
    k2 = np.dot(np.cross(m1, m4), m3) / np.dot(np.cross(m2, m4), m3)
    k3 = np.dot(np.cross(m1, m4), m2) / np.dot(np.cross(m3, m4), m2)
    n2, n3 = k2 * m2 - m1, k3 * m3 - m1
    focal = FOCAL * max(width, height)
    if abs(n2[2] * n3[2]) > 1e-12:
        f2 = -(
            (n2[0] * n3[0] - (n2[0] * n3[2] + n2[2] * n3[0]) * u0 + n2[2] * n3[2] * u0 * u0)
            + (n2[1] * n3[1] - (n2[1] * n3[2] + n2[2] * n3[1]) * v0 + n2[2] * n3[2] * v0 * v0)
        ) / (n2[2] * n3[2])
        if FOCAL_RANGE[0] < math.sqrt(max(f2, 0.0)) / max(width, height) < FOCAL_RANGE[1]:
            focal = math.sqrt(f2)
    a_inv = np.linalg.inv(np.array([[focal, 0, u0], [0, focal, v0], [0, 0, 1.0]]))
    ratio = (n2 @ a_inv.T @ a_inv @ n2) / (n3 @ a_inv.T @ a_inv @ n3)
    return float(math.sqrt(ratio))


def _scan_like(grey: np.ndarray, outline: Outline) -> bool:
    """A level, square outline on evenly lit paper: a flatbed scan, which ``intake.align`` reads as it is."""
    c = outline.corners
    angles = [
        math.degrees(math.atan2(float(b[1] - a[1]), float(b[0] - a[0])))
        for a, b in zip(c, np.roll(c, -1, 0), strict=True)
    ]
    level = [(a + 45) % 90 - 45 for a in angles]  # each side's angle from the nearest axis
    sides = np.linalg.norm(c - np.roll(c, -1, 0), axis=1)
    if float(sides.max()) < SCAN_MIN_OUTLINE or max(abs(a) for a in level) > SCAN_SKEW:
        return False
    if abs(level[0] - level[2]) > SCAN_PARALLEL or abs(level[1] - level[3]) > SCAN_PARALLEL:
        return False
    paper = paper_light(cv2.resize(grey, None, fx=0.125, fy=0.125, interpolation=cv2.INTER_AREA), 5)
    low, high = np.percentile(paper, [5, 95])
    return bool(high - low < SCAN_LIGHT_SPREAD)


def paper_light(grey: np.ndarray, size: int) -> np.ndarray:
    """The paper's brightness at each pixel: ink closed over by a ``size``-pixel disc, then smoothed."""
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (size, size))
    closed = cv2.morphologyEx(grey, cv2.MORPH_CLOSE, kernel)
    return cv2.medianBlur(closed, 5)


def _square(grey: np.ndarray, outline: Outline) -> Image.Image:
    """The picture drawn with ``outline`` square, at about the picture's own resolution, with room around
    it for the rest of the page when the outline may be a table's."""
    top = np.linalg.norm(outline.corners[1] - outline.corners[0])
    side = np.linalg.norm(outline.corners[3] - outline.corners[0])
    height = float(max(side, top / outline.aspect))
    height = min(height, SQUARED_SIDE / (1 + 2 * MARGIN) / max(1.0, outline.aspect))
    width = height * outline.aspect
    page_like = min(abs(math.log(outline.aspect / a)) for a in (A4_ASPECT, 1 / A4_ASPECT)) < ASPECT_MATCH
    margin = 0.02 if page_like else MARGIN
    mx, my = width * margin, height * margin
    target = np.array([[mx, my], [mx + width, my], [mx + width, my + height], [mx, my + height]], np.float32)
    matrix = cv2.getPerspectiveTransform(outline.corners, target)
    size = (round(width + 2 * mx), round(height + 2 * my))
    drawn = cv2.warpPerspective(grey, matrix, size, flags=cv2.INTER_LINEAR, borderValue=255)
    return Image.fromarray(evened(drawn))


def evened(grey: np.ndarray, curve: float = INK_CURVE, grain: float = 0.0) -> np.ndarray:
    """``grey`` with its light evened out: shadows and yellowed paper become white, ink stays dark."""
    factor = 0.25
    small = cv2.resize(grey, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
    size = max(7, round(min(grey.shape) * factor / 60) | 1)  # wider than a stroke, narrower than a shadow
    light = cv2.resize(
        paper_light(small, size), (grey.shape[1], grey.shape[0]), interpolation=cv2.INTER_LINEAR
    )
    # Paper within ``grain`` of its own light is paper: the grain of the sensor and of JPEG goes white.
    ratio = grey.astype(np.float32) / np.maximum(light.astype(np.float32) * (1.0 - grain), 1.0)
    ratio = np.clip(ratio, 0.0, 1.0)
    # A phone blurs a thin printed rule to mid grey: the curve darkens what is darker than the paper.
    out: np.ndarray = (ratio**curve * 255.0).astype(np.uint8)
    return out


def rectify(photo: Photo, turn: int, page: PageLayout) -> Rectified | None:
    """The photo drawn onto ``page`` (the template's), upright; None when no outline in it fits the page
    or one of its tables. ``turn``: the quarter turn, counter-clockwise, the squared picture needed."""
    targets: list[BBox] = [(0.0, 0.0, page.width, page.height)]
    targets += [
        t.box for t in sorted(page.tables, key=lambda t: -(t.box[2] - t.box[0]) * (t.box[3] - t.box[1]))
    ]
    # The tables' rules first: black on white, they give sharper corners than the paper's edge on a desk.
    # Each drawing is checked against the template: its horizontal rules must fall where the layout has
    # them (an outline may take in an underline beside the table, or be one block of it).
    best: Rectified | None = None
    for wanted, inked in ((targets[1:], (True,)), (targets[:1], (True, False))):
        for outline in (o for o in (photo.outline, *photo.others) if o.inked in inked):
            corners = np.roll(outline.corners, -(turn // 90), axis=0)
            aspect = outline.aspect if turn in (0, 180) else 1 / outline.aspect
            for box in wanted:
                error = abs(math.log(aspect / ((box[2] - box[0]) / (box[3] - box[1]))))
                if error > ASPECT_MATCH:
                    continue
                drawn, soft = _drawn(photo.image, corners, box, page)
                # How sure the drawing is: the share of the rules in place, and the outline's proportions.
                in_place = rules_in_place(drawn, page)
                quality = in_place * (1.0 - ASPECT_DOUBT * error / ASPECT_MATCH)
                if in_place == 1.0:
                    return Rectified(drawn, soft, quality)
                if in_place >= RULES_MIN and (best is None or quality > best.quality):
                    best = Rectified(drawn, soft, quality)
    return best


def rules_in_place(drawn: Image.Image, page: PageLayout) -> float:
    """The share of the template's horizontal rules that the drawn page shows where they belong."""
    expected = sorted({round(y, 1) for t in page.tables for y in t.rules})
    if not expected:
        return 1.0
    pixels = np.asarray(drawn)
    scale = PAGE_DPI / 72
    narrowest = min(t.box[2] - t.box[0] for t in page.tables)
    found = np.array(horizontal_rules(pixels, RULE_SHARE * narrowest * scale * 0.8))
    if found.size == 0:
        return 0.0
    tolerance = max(3.0, RULE_FIT * (expected[-1] - expected[0]) * scale)
    return sum(float(np.abs(found - y * scale).min()) <= tolerance for y in expected) / len(expected)


def _drawn(
    image: np.ndarray, corners: np.ndarray, box: BBox, page: PageLayout
) -> tuple[Image.Image, Image.Image]:
    """``image`` drawn so that ``corners`` fall on ``box``'s (template points) on a page of its size."""
    scale = PAGE_DPI / 72
    x0, y0, x1, y1 = (v * scale for v in box)
    target = np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], np.float32)
    matrix = cv2.getPerspectiveTransform(corners.astype(np.float32), target)
    size = (round(page.width * scale), round(page.height * scale))
    drawn = cv2.warpPerspective(image, matrix, size, flags=cv2.INTER_CUBIC, borderValue=255)
    edge = round(EDGE_BLANK * size[0])  # nothing is printed this close to the paper's edge
    drawn[:edge], drawn[-edge:], drawn[:, :edge], drawn[:, -edge:] = 255, 255, 255, 255
    return Image.fromarray(evened(drawn)), Image.fromarray(evened(drawn, TEXT_CURVE, PAPER_GRAIN))
