"""The print check: measures a PDF's characters, rules and pages, and lists what a 组织部 would send back.

pdfplumber gives each character's em box, size, face and colour and the ruled lines; pdfium (which
pdfplumber ships) gives each glyph's ink box, which is what touches a rule. Figures are in points from
the page's top left; the GB/T 9704-2012 ones are compared in millimetres, as the standard gives them.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

MM = 72 / 25.4
RULE_CLEARANCE_PT = 1.0  # ink to a cell's rule
UNDERLINE_CLEARANCE_PT = 0.3  # ink to the underline beneath it
TOLERANCE_MM = 1.0

# GB/T 9704-2012 on A4: 天头 37 mm, 版心 156 × 225 mm.
TOP_MM, BODY_H_MM = 37.0, 225.0
MARK_BELOW_TOP_MM = 35.0  # 发文机关标志's top edge under the 版心's top (§7.2.4)
RULE_BELOW_NUMBER_MM = 4.0  # red rule under the 发文字号 (§7.2.6)
PAGE_NUMBER_BELOW_MM = 7.0  # the page number's 一字线 under the 版心 (§7.5)
LINE_PITCH_PT = BODY_H_MM * MM / 22  # 22 lines on the 版心
IMPRINT_ROOM_MM = 8.0  # a 版记 fits under text when its rules and this much more do
# Where a CJK face sets its baseline in the em box: the first line's baseline, its em box on the 版心's top.
EM_ASCENT = 0.88
SHORT_VALUE = 4  # a value this short is a name, and must not break
PUNCTUATION = set("，。、；：？！”’）》〉」』】〕…—·,.;:?!)%")


@dataclass(frozen=True)
class Glyph:
    """One printed character: em box (``top``…``bottom``) and ink box (``ink_*``)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    baseline: float
    ink_x0: float
    ink_x1: float
    ink_top: float
    ink_bottom: float
    size: float
    font: str
    red: bool
    upright: bool

    @property
    def mid_y(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def mid_x(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass(frozen=True)
class Segment:
    """A drawn line: ``at`` is its y (horizontal) or x (vertical); it runs from ``start`` to ``end``."""

    horizontal: bool
    at: float
    start: float
    end: float
    width: float
    red: bool


@dataclass
class Page:
    index: int  # 1-based, the physical page
    width: float
    height: float
    glyphs: list[Glyph]
    segments: list[Segment]
    cells: list[tuple[float, float, float, float]] = field(default_factory=list)

    @property
    def landscape(self) -> bool:
        return self.width > self.height

    def rules(self) -> list[Segment]:
        """Segments that meet a segment of the other direction: the rules of ruled tables."""
        return [s for s in self.segments if _meets_other(s, self.segments)]

    def free_lines(self) -> list[Segment]:
        """Horizontal segments that meet nothing: underlines, cut lines, the red rule, the 版记's rules."""
        return [s for s in self.segments if s.horizontal and not _meets_other(s, self.segments)]


def _meets_other(s: Segment, segments: Sequence[Segment]) -> bool:
    for o in segments:
        if o.horizontal == s.horizontal:
            continue
        # o crosses or touches s: o's position lies within s's run, and s's position within o's
        if s.start - 1.5 <= o.at <= s.end + 1.5 and o.start - 1.5 <= s.at <= o.end + 1.5:
            return True
    return False


def _is_red(color: object) -> bool:
    if isinstance(color, (tuple, list)) and len(color) == 3:
        r, g, b = (float(c) for c in color)
        return r > 0.8 and g < 0.3 and b < 0.3
    return False


def read_pages(path: Path) -> list[Page]:
    """Every page of ``path`` with its glyphs (em and ink boxes), drawn lines and table cells."""
    pages = []
    doc = pdfium.PdfDocument(str(path))
    try:
        with pdfplumber.open(path) as pdf:
            for i, (plumb, pdfi) in enumerate(zip(pdf.pages, doc, strict=True), start=1):
                pages.append(
                    Page(
                        i,
                        float(plumb.width),
                        float(plumb.height),
                        _glyphs(plumb, pdfi),
                        _segments(plumb),
                        [tuple(map(float, c)) for t in plumb.find_tables() for c in t.cells if c],  # type: ignore[misc]
                    )
                )
    finally:
        doc.close()
    return pages


def _ink_boxes(page: pdfium.PdfPage) -> list[tuple[str, tuple[float, float, float, float]]]:
    text = page.get_textpage()
    height = page.get_height()
    boxes = []
    for i in range(text.count_chars()):
        if pdfium_c.FPDFText_IsGenerated(text.raw, i):
            continue
        ch = chr(pdfium_c.FPDFText_GetUnicode(text.raw, i))
        left, bottom, right, top = text.get_charbox(i)
        boxes.append((ch, (left, height - top, right, height - bottom)))
    return boxes


def _glyphs(plumb: pdfplumber.page.Page, pdfi: pdfium.PdfPage) -> list[Glyph]:
    chars = [c for c in plumb.chars if c["text"].strip()]
    ink = [b for b in _ink_boxes(pdfi) if b[0].strip()]
    glyphs = []
    j = 0
    for c in chars:
        box = None
        # pdfium and pdfplumber both list characters in content order; match them up by text
        for k in range(j, min(j + 4, len(ink))):
            if ink[k][0] == c["text"]:
                box, j = ink[k][1], k + 1
                break
        x0, top, x1, bottom = box if box is not None else (c["x0"], c["top"], c["x1"], c["bottom"])
        if x1 - x0 <= 0 or bottom - top <= 0:  # pdfium's box of a blank glyph
            x0, top, x1, bottom = c["x0"], c["top"], c["x1"], c["bottom"]
        glyphs.append(
            Glyph(
                c["text"],
                float(c["x0"]),
                float(c["x1"]),
                float(c["top"]),
                float(c["bottom"]),
                float(plumb.height) - float(c["matrix"][5]),
                float(x0),
                float(x1),
                float(top),
                float(bottom),
                float(c["size"]),
                str(c["fontname"]),
                _is_red(c.get("non_stroking_color")),
                bool(c.get("upright", True)),
            )
        )
    return glyphs


def _segments(plumb: pdfplumber.page.Page) -> list[Segment]:
    out = []
    for line in plumb.lines:
        red = _is_red(line.get("stroking_color"))
        width = float(line.get("linewidth") or 0.5)
        if abs(line["top"] - line["bottom"]) < 0.5:
            out.append(Segment(True, float(line["top"]), float(line["x0"]), float(line["x1"]), width, red))
        elif abs(line["x0"] - line["x1"]) < 0.5:
            out.append(
                Segment(False, float(line["x0"]), float(line["top"]), float(line["bottom"]), width, red)
            )
    for rect in plumb.rects:
        red = _is_red(rect.get("non_stroking_color")) or _is_red(rect.get("stroking_color"))
        w, h = rect["x1"] - rect["x0"], rect["bottom"] - rect["top"]
        if h < 2.5 and w > h:
            out.append(
                Segment(True, float(rect["top"] + h / 2), float(rect["x0"]), float(rect["x1"]), h, red)
            )
        elif w < 2.5 and h > w:
            out.append(
                Segment(False, float(rect["x0"] + w / 2), float(rect["top"]), float(rect["bottom"]), w, red)
            )
    return out


# -- forms -----------------------------------------------------------------------------------------


def text_on_rules(page: Page) -> list[str]:
    """Glyphs whose ink comes within 1 pt of a table's rule."""
    found = []
    for s in page.rules():
        half = s.width / 2
        for g in page.glyphs:
            if s.horizontal:
                if min(g.ink_x1, s.end) - max(g.ink_x0, s.start) <= 0.5:
                    continue
                gap = max(s.at - half - g.ink_bottom, g.ink_top - s.at - half)
            else:
                if min(g.ink_bottom, s.end) - max(g.ink_top, s.start) <= 0.5:
                    continue
                gap = max(s.at - half - g.ink_x1, g.ink_x0 - s.at - half)
            if gap < RULE_CLEARANCE_PT:
                where = "横线" if s.horizontal else "竖线"
                found.append(f"p{page.index} “{g.text}” {gap:.2f} pt from a {where} at {s.at:.1f}")
    return found


def underlines_through_text(page: Page) -> list[str]:
    """Free horizontal lines (underlines, cut lines) that touch the ink of a glyph above or on them."""
    found = []
    for s in page.free_lines():
        half = s.width / 2
        for g in page.glyphs:
            if min(g.ink_x1, s.end) - max(g.ink_x0, s.start) <= 0.5:
                continue
            if g.top - 1 > s.at or g.bottom + 3 < s.at:
                continue  # not the line this glyph stands on
            gap = max(s.at - half - g.ink_bottom, g.ink_top - s.at - half)
            if gap < UNDERLINE_CLEARANCE_PT:
                found.append(f"p{page.index} “{g.text}” {gap:.2f} pt from the line at {s.at:.1f}")
    return found


def _lines_of(glyphs: Iterable[Glyph]) -> list[list[Glyph]]:
    """Glyphs grouped into printed lines, top to bottom, each left to right."""
    lines: list[list[Glyph]] = []
    for g in sorted(glyphs, key=lambda g: (g.mid_y, g.x0)):
        if lines and abs(lines[-1][0].mid_y - g.mid_y) < 0.4 * max(g.size, lines[-1][0].size):
            lines[-1].append(g)
        else:
            lines.append([g])
    return [sorted(line, key=lambda g: g.x0) for line in lines]


def _cell_lines(page: Page) -> list[tuple[tuple[float, float, float, float], list[list[Glyph]]]]:
    out = []
    for cell in page.cells:
        x0, top, x1, bottom = cell
        inside = [g for g in page.glyphs if x0 < g.mid_x < x1 and top < g.mid_y < bottom and g.upright]
        if inside:
            out.append((cell, _lines_of(inside)))
    return out


def _wrapped(line: list[Glyph], cell: tuple[float, float, float, float]) -> bool:
    """The line runs to the cell's right edge: the next line is its continuation, not a new paragraph."""
    size = max(g.size for g in line)
    return line[-1].x1 > cell[2] - 1.6 * size


def lone_characters(page: Page) -> list[str]:
    """Wrapped cell lines that hold a single character (punctuation aside)."""
    found = []
    for cell, lines in _cell_lines(page):
        if all(len(line) == 1 for line in lines):
            continue  # a label stacked a character a line, as narrow label cells are printed
        for before, line in itertools.pairwise(lines):
            letters = [g for g in line if g.text not in PUNCTUATION]
            if len(letters) == 1 and _wrapped(before, cell):
                text = "".join(g.text for g in before) + "/" + "".join(g.text for g in line)
                found.append(f"p{page.index} {text}")
    return found


def split_values(page: Page, values: Iterable[str]) -> list[str]:
    """Short values (names: four characters at most) broken across two lines of a cell."""
    wanted = {v for v in values if 2 <= len(v) <= SHORT_VALUE and not re.search(r"\s", v)}
    found = []
    for _, lines in _cell_lines(page):
        texts = ["".join(g.text for g in line) for line in lines]
        joined = "".join(texts)
        for v in wanted:
            if v in joined and not any(v in t for t in texts):
                found.append(f"p{page.index} {v}: {' / '.join(texts)}")
    return found


# -- notices (GB/T 9704-2012) ------------------------------------------------------------------------


def _mm(pt: float) -> float:
    return pt / MM


def page_number(page: Page) -> tuple[int | None, list[Glyph]]:
    """The “— N —” printed under the 版心, if any: its number and glyphs. On a landscape page, the one
    turned down its left edge (the portrait pages' foot once the sheet is turned), else one at its foot."""
    if page.landscape:
        side = sorted((g for g in page.glyphs if not g.upright and g.x1 < 40 * MM), key=lambda g: g.top)
        m = re.fullmatch(r"[—－-]+(\d+)[—－-]+", "".join(g.text for g in side))
        if m:
            return int(m.group(1)), side
    foot = [g for g in page.glyphs if g.top > (TOP_MM + BODY_H_MM) * MM - 2 or (page.landscape and g.top > 0)]
    for line in _lines_of(foot):
        text = "".join(g.text for g in line)
        m = re.fullmatch(r"[—－-]+(\d+)[—－-]+", text)
        if m:
            return int(m.group(1)), line
    return None, []


def body_glyphs(page: Page) -> list[Glyph]:
    """Glyphs of the page's text, without its page number."""
    _, number = page_number(page)
    return [g for g in page.glyphs if g not in number]


def check_notice(pages: Sequence[Page], imprint_expected: bool = True) -> list[str]:
    """Every GB/T 9704 figure this project sets, on every page; returns what is off.

    ``imprint_expected``: the notice has a 版记 (a forwarding notice whose seed prints none has not).
    """
    problems: list[str] = []
    last = pages[-1]
    imprint = _imprint_rules(last)
    if not imprint_expected:
        pass
    elif not imprint:
        problems.append(f"版记 not on the last page ({last.index})")
    else:
        if last.index % 2:
            problems.append(f"版记 on page {last.index}, an odd page (wanted: the last even page)")
        foot = max(s.at for s in imprint)
        if abs(_mm(foot) - (TOP_MM + BODY_H_MM)) > TOLERANCE_MM:
            problems.append(f"版记's last rule at {_mm(foot):.1f} mm (wanted {TOP_MM + BODY_H_MM:.0f})")
        problems += _imprint_alone_after_blank(pages, imprint)
    for page in pages:
        problems += _page_problems(page, page is last, pages)
    return problems


def _imprint_alone_after_blank(pages: Sequence[Page], imprint: list[Segment]) -> list[str]:
    """A 版记 alone on its page after a blank page, when the text ended on an even page with room for it
    under the text: it should have shared that page (with ``IMPRINT_ROOM_MM`` between: the text line's
    tail and some white)."""
    last = pages[-1]
    if len(pages) < 3 or _imprint_page_has_body(last) or body_glyphs(pages[-2]):
        return []
    text_page = pages[-3]
    if text_page.index % 2 or text_page.landscape:
        return []
    needed = max(s.at for s in imprint) - min(s.at for s in imprint) + IMPRINT_ROOM_MM * MM
    lowest = max((g.bottom for g in body_glyphs(text_page)), default=0.0)
    if lowest < (TOP_MM + BODY_H_MM) * MM - needed:
        return [
            f"版记 alone on page {last.index} after a blank page, though it fits under the text of page "
            f"{text_page.index}, an even page"
        ]
    return []


def _imprint_rules(page: Page) -> list[Segment]:
    """The 版记's rules: black full-width free lines on the page's lower half."""
    return [
        s
        for s in page.free_lines()
        if not s.red and s.end - s.start > 0.9 * 156 * MM and s.at > page.height / 2
    ]


def _page_problems(page: Page, is_last: bool, pages: Sequence[Page]) -> list[str]:
    out = []
    p = page.index
    number, number_glyphs = page_number(page)
    body = body_glyphs(page)
    imprint_page = is_last and bool(_imprint_rules(page))
    # The 版记 alone on its page after a blank page goes unnumbered, as that blank page does (§7.5); right
    # after a page of text, or sharing the text's last page, its page keeps its number.
    imprint_alone = imprint_page and not _imprint_page_has_body(page)
    after_blank = p >= 2 and not body_glyphs(pages[p - 2])
    if not body:
        if number is not None:
            out.append(f"p{p}: a blank page that carries a page number")
    elif imprint_alone and after_blank:
        if number is not None:
            out.append(f"p{p}: the 版记's page, after a blank page, carries a page number")
    elif number != p:
        out.append(f"p{p}: prints page number {number} (wanted {p})")
    if number_glyphs:
        out += _number_place(page, number_glyphs)
    lines = _lines_of(body)
    if 0 < len(lines) <= 2 and not imprint_alone:
        out.append(f"p{p}: holds only {len(lines)} line(s) spilled from the page before")
    if _starts_document(page):
        out += _masthead_problems(page)
    elif lines and not page.landscape and not imprint_alone and max(g.size for g in lines[0]) >= 16:
        out += _grid_problems(page, lines)
    out += _pitch_problems(page, lines)
    return out


def _grid_line_baseline_mm(k: int, size: float = 16.0) -> float:
    """Where the k-th line of the 版心 has its baseline: line 1's em box on the 版心's top."""
    return TOP_MM + _mm(EM_ASCENT * size) + (k - 1) * _mm(LINE_PITCH_PT)


def _grid_problems(page: Page, lines: list[list[Glyph]]) -> list[str]:
    """The page's first line on the 版心's first line; a title (2号) on the third (§8: 附件 titles)."""
    out = []
    first = lines[0]
    text = "".join(g.text for g in first)
    title = first if max(g.size for g in first) > 20 else None
    if re.fullmatch(r"附件\d*", text):
        if len(lines) > 1 and max(g.size for g in lines[1]) > 20:
            title = lines[1]
        elif len(lines) > 1:
            out.append(f"p{page.index}: the line after “{text}” is not a 2号 title")
    if title is not first:
        baseline = _mm(max(g.baseline for g in first))
        if abs(baseline - _grid_line_baseline_mm(1)) > TOLERANCE_MM:
            wanted = _grid_line_baseline_mm(1)
            out.append(f"p{page.index}: first line's baseline at {baseline:.1f} mm (wanted {wanted:.1f})")
    if title is not None:
        baseline = _mm(max(g.baseline for g in title))
        if abs(baseline - _grid_line_baseline_mm(3)) > TOLERANCE_MM:
            wanted = _grid_line_baseline_mm(3)
            out.append(f"p{page.index}: title's baseline at {baseline:.1f} mm (wanted line 3, {wanted:.1f})")
        size = max(g.size for g in title)
        if abs(size - 22) > 0.5:
            out.append(f"p{page.index}: title at {size:.0f} pt (wanted 2号, 22 pt)")
    return out


def _imprint_page_has_body(page: Page) -> bool:
    rules = _imprint_rules(page)
    top = min(s.at for s in rules)
    return any(g.bottom < top - 2 for g in body_glyphs(page))


def _starts_document(page: Page) -> bool:
    """The page carries a 发文机关标志: red type larger than the title's."""
    return any(g.red and g.size > 18 for g in page.glyphs)


def _masthead_problems(page: Page) -> list[str]:
    out = []
    p = page.index
    mark = [g for g in page.glyphs if g.red and g.size > 18]
    top = _mm(min(g.ink_top for g in mark))
    wanted = TOP_MM + MARK_BELOW_TOP_MM
    if abs(top - wanted) > TOLERANCE_MM:
        out.append(f"p{p}: 发文机关标志's top at {top:.1f} mm (wanted {wanted:.0f})")
    red_rules = [s for s in page.segments if s.red and s.horizontal]
    number_line = [
        line
        for line in _lines_of(g for g in page.glyphs if not g.red)
        if re.search(r"〔\d{4}〕\d+号", "".join(g.text for g in line))
    ]
    if not red_rules or not number_line:
        out.append(f"p{p}: no red rule under a 发文字号")
        return out
    rule = min(red_rules, key=lambda s: s.at)
    gap = _mm(rule.at - rule.width / 2 - max(g.bottom for g in number_line[0]))
    if abs(gap - RULE_BELOW_NUMBER_MM) > TOLERANCE_MM:
        out.append(f"p{p}: red rule {gap:.1f} mm under the 发文字号 (wanted {RULE_BELOW_NUMBER_MM:.0f})")
    return out


def _number_place(page: Page, glyphs: list[Glyph]) -> list[str]:
    """“— N —”: 7 mm under the 版心, odd pages on the right and even on the left, one character in."""
    out: list[str] = []
    p = page.index
    left, right = min(g.x0 for g in glyphs), max(g.x1 for g in glyphs)
    size = max(g.size for g in glyphs)
    if page.landscape:
        return _side_number_place(page, glyphs, size)
    top = _mm(min(g.ink_top for g in glyphs if not g.text.isdigit()))
    wanted = TOP_MM + BODY_H_MM + PAGE_NUMBER_BELOW_MM
    if abs(top - wanted) > TOLERANCE_MM:
        out.append(f"p{p}: page number's 一字线 at {top:.1f} mm (wanted {wanted:.0f})")
    body_left = 28 * MM
    body_right = body_left + 156 * MM
    if p % 2:
        if abs(body_right - size - right) > TOLERANCE_MM * MM + 1:
            out.append(f"p{p}: odd page number ends {_mm(body_right - right):.1f} mm in from the right")
    elif abs(left - body_left - size) > TOLERANCE_MM * MM + 1:
        out.append(f"p{p}: even page number starts {_mm(left - body_left):.1f} mm in from the left")
    return out


def _side_number_place(page: Page, glyphs: list[Glyph], size: float) -> list[str]:
    """A landscape page is turned with its top to the sheet's left, odd and even pages alike (§10.1: 单页码
    表头在订口一边，双页码表头在切口一边), and its number stands where a portrait page has it (§7.5): down the
    landscape page's left edge, turned, its 一字线 7 mm off the 版心 and one character in from its end."""
    p = page.index
    if any(g.upright for g in glyphs):
        return [f"p{p}: landscape page number upright at the page's foot, a side edge once bound"]
    out = []
    # The portrait sheet's distance from its top is the landscape page's width less x; along it, y.
    top = _mm(page.width - max(g.ink_x1 for g in glyphs if not g.text.isdigit()))
    wanted = TOP_MM + BODY_H_MM + PAGE_NUMBER_BELOW_MM
    if abs(top - wanted) > TOLERANCE_MM:
        out.append(f"p{p}: turned page number's 一字线 at {top:.1f} mm of the sheet (wanted {wanted:.0f})")
    start, end = min(g.top for g in glyphs), max(g.bottom for g in glyphs)
    body_left = 28 * MM
    body_right = body_left + 156 * MM
    if p % 2:
        if abs(body_right - size - end) > TOLERANCE_MM * MM + 1:
            out.append(f"p{p}: odd page number ends {_mm(body_right - end):.1f} mm in from the sheet's right")
    elif abs(start - body_left - size) > TOLERANCE_MM * MM + 1:
        out.append(f"p{p}: even page number starts {_mm(start - body_left):.1f} mm in from the sheet's left")
    return out


def _pitch_problems(page: Page, lines: list[list[Glyph]]) -> list[str]:
    """Consecutive lines of 3号 body text stand 225/22 mm apart."""
    body = [
        line for line in lines if all(abs(g.size - 16) < 0.5 and not g.red for g in line) and len(line) > 3
    ]
    out = []
    for a, b in itertools.pairwise(body):
        pitch = b[0].bottom - a[0].bottom
        if pitch < LINE_PITCH_PT * 1.5 and abs(pitch - LINE_PITCH_PT) > 0.3:
            out.append(f"p{page.index}: line pitch {pitch:.2f} pt (wanted {LINE_PITCH_PT:.2f})")
    return out
