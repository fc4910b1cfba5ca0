"""Reads a PDF into a Grid with pdfplumber: ruled tables with spans, the text around them line by line."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import pairwise
from pathlib import Path
from typing import Any

import pdfplumber
from pdfminer.psexceptions import PSException
from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException
from pdfplumber.utils.text import chars_to_textmap

from baodao.errors import DataError
from baodao.intake.grid import Block, Cell, Grid, Paragraph, Table, normalize_ticks
from baodao.intake.keywords import FORM_KEY_PROPERTY, form_key_in

PdfObject = dict[str, Any]  # a pdfplumber char or text line
BBox = tuple[float, float, float, float]  # x0, top, x1, bottom in points

META_KEYS = ("Title", "Keywords", "Subject")
ALIGN_TOLERANCE = 1.5  # points: lines aligned alike start or end this close
EDGE_TOLERANCE = 1.5  # points: ruled lines drawn by one table rule may differ by a hair between cells
# Assumed cell margin, a side, to bound the room for text from below (Word's default is 5.4 pt): too
# much only lets more breaks pass as wraps, which _join then judges by the characters either side.
CELL_PADDING = 8.0
# A line starting like “2.”, “2、”, “(2)” or “二、” begins a list item: its break was typed, not wrapped.
LIST_ITEM = re.compile(
    r"\s*(?:\d{1,2}[.．](?!\d)|\d{1,2}[、)）]|[（(]\d{1,2}[)）]|[一二三四五六七八九十]{1,3}、|[①-⑳])"
)
NO_LINE_START = frozenset("，。、；：？！）】》」』〉”’…—·%％,.;:?!)]}")
NO_LINE_END = frozenset("（【《「『〈“‘([{")
_CJK = re.compile(
    r"[\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u3400-\u4dbf\u4e00-\u9fff"
    r"\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003134f]"
)


def read_pdf(path: Path, max_pages: int | None = None) -> Grid:
    """Every page's tables and the lines of text outside them, top to bottom; Title/Keywords/Subject."""
    try:
        with pdfplumber.open(path) as pdf:
            if max_pages is not None and len(pdf.pages) > max_pages:
                raise DataError(
                    f"PDF 共 {len(pdf.pages)} 页，超过上限 {max_pages} 页（一份交回的表单应只有几页）"
                )
            grid = Grid(kind="pdf")
            for key in META_KEYS:
                value = pdf.metadata.get(key)
                if isinstance(value, str) and value.strip():
                    grid.properties[key] = value.strip()
            grid.title = grid.properties.get("Title", "")
            form_key = form_key_in(grid.properties.get("Keywords", ""))
            if form_key:
                grid.properties[FORM_KEY_PROPERTY] = form_key
            for page in pdf.pages:
                grid.blocks += _page_blocks(page)
            return grid
    except (PdfminerException, MalformedPDFException, PSException, OSError) as exc:
        raise DataError(f"无法读取 {path.name}：不是完整的 PDF 文件（{type(exc).__name__}: {exc}）") from exc


def _page_blocks(page: Any) -> list[Block]:
    found = page.find_tables()
    boxes: list[BBox] = [tuple(t.bbox) for t in found]
    placed: list[tuple[float, Block]] = [
        (box[1], _table(page, t, box)) for t, box in zip(found, boxes, strict=True)
    ]
    outside = page.filter(lambda obj: obj.get("object_type") != "char" or not inside_any(obj, boxes))
    found = outside.extract_text_lines(strip=True, return_chars=True)
    lines = [_Line.of(line) for line in found if str(line["text"]).strip()]
    for top, text in _paragraphs(lines, boxes):
        text = normalize_ticks(text).strip()
        if text:
            placed.append((top, Paragraph(text)))
    # Reading order is top to bottom; the sort is stable, so a table stays before a line at its own top.
    return [block for _, block in sorted(placed, key=lambda item: item[0])]


def _paragraphs(lines: list[_Line], tables: list[BBox]) -> list[tuple[float, str]]:
    """The lines outside the tables as paragraphs: a line the layout wrapped joins the one above (a
    sentence such as “已于____年__月__日收到” is one text again, as in the DOCX), typed breaks stay."""
    if not lines:
        return []
    # The text column: as wide as the widest line or table on the page.
    left = min([line.x0 for line in lines] + [t[0] for t in tables])
    right = max([line.x1 for line in lines] + [t[2] for t in tables])
    area = _Area(left=left, right=right, width=right - left)
    out: list[tuple[float, str]] = [(lines[0].top, lines[0].text)]
    for prev, line in pairwise(lines):
        between = [t for t in tables if prev.bottom <= t[1] and t[3] <= line.top]
        # Body text is set with more leading than a cell's: a gap up to a line's height is still one
        # paragraph's line spacing, and the alignment rules decide; a line in another size (a title) is
        # a paragraph of its own.
        height = prev.bottom - prev.top
        close = line.top - prev.bottom <= height and abs((line.bottom - line.top) - height) <= 0.2 * height
        joint = "\n" if between or not close else _join(prev, replace(line, top=prev.bottom), area)
        if joint == "\n":
            out.append((line.top, line.text))
        else:
            out[-1] = (out[-1][0], out[-1][1] + joint + line.text)
    return out


def _table(page: Any, found: Any, bbox: BBox) -> Table:
    """A ruled table as a grid: the distinct x and y edges of its cells give each cell's place and spans."""
    ruled = ruled_table(page, found, bbox)
    return Table([cell for cell, _ in ruled.cells], ruled.n_rows, ruled.n_cols)


@dataclass(frozen=True)
class RuledTable:
    """A ruled table's cells, each with its rectangle, and the y of its horizontal rules."""

    cells: list[tuple[Cell, BBox]]
    n_rows: int
    n_cols: int
    rules: list[float]


def ruled_table(page: Any, found: Any, bbox: BBox) -> RuledTable:
    """The cells of a table pdfplumber found, in reading order, with their text, places and rectangles.

    Scan intake keeps the rectangles of each blank template's cells (``intake.layout``).
    """
    cell_boxes: list[BBox] = [tuple(c) for c in found.cells]
    xs = _edges([b[0] for b in cell_boxes] + [b[2] for b in cell_boxes])
    ys = _edges([b[1] for b in cell_boxes] + [b[3] for b in cell_boxes])
    places: dict[BBox, tuple[int, int, int, int]] = {}
    owner: dict[tuple[int, int], BBox] = {}
    for box in cell_boxes:
        c0, c1 = _nearest(xs, box[0]), _nearest(xs, box[2])
        r0, r1 = _nearest(ys, box[1]), _nearest(ys, box[3])
        places[box] = (r0, c0, max(1, r1 - r0), max(1, c1 - c0))
        for r in range(r0, r0 + max(1, r1 - r0)):
            for c in range(c0, c0 + max(1, c1 - c0)):
                owner[(r, c)] = box
    chars: dict[BBox, list[PdfObject]] = {box: [] for box in cell_boxes}
    for char in page.chars:
        if not inside_any(char, [bbox]):
            continue
        x, y = (char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2
        home = owner.get((_slot(ys, y), _slot(xs, x)))
        if home is not None:
            chars[home].append(char)
    cells = [
        (Cell(_cell_text(chars[box], box), r, c, rowspan, colspan), box)
        for box, (r, c, rowspan, colspan) in sorted(places.items(), key=lambda item: item[1][:2])
    ]
    return RuledTable(cells, max(len(ys) - 1, 0), max(len(xs) - 1, 0), ys)


def inside_any(obj: PdfObject, boxes: Sequence[BBox]) -> bool:
    """Whether the centre of a char (or any pdfplumber object) lies in one of ``boxes``."""
    x, y = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
    return any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)


def _edges(values: list[float]) -> list[float]:
    """Distinct coordinates, those within EDGE_TOLERANCE of each other taken as one."""
    edges: list[float] = []
    for v in sorted(values):
        if not edges or v - edges[-1] > EDGE_TOLERANCE:
            edges.append(v)
    return edges


def _nearest(edges: list[float], v: float) -> int:
    return min(range(len(edges)), key=lambda i: abs(edges[i] - v))


def _slot(edges: list[float], v: float) -> int:
    """The index of the band between two edges that ``v`` falls in."""
    return min(max(bisect_right(edges, v) - 1, 0), max(len(edges) - 2, 0))


def _cell_text(chars: list[PdfObject], box: BBox) -> str:
    """The cell's lines, with lines the layout wrapped joined back and lines typed apart kept apart."""
    if not chars:
        return ""
    found: list[PdfObject] = chars_to_textmap(chars).extract_text_lines(strip=True, return_chars=True)
    lines = [_Line.of(line) for line in found if str(line["text"]).strip()]
    if not lines:
        return ""
    # Where wrapped text may reach: at least as far as any line does, and the cell less its margins. Left
    # -aligned text shows the cell's own margin (LibreOffice's can be 3 pt), and the right one is alike.
    left = min(line.x0 for line in lines)
    padding = min(CELL_PADDING, max(left - box[0], 1.0))
    area = _Area(
        left=left,
        right=max(max(line.x1 for line in lines), box[2] - padding),
        width=max(max(line.x1 - line.x0 for line in lines), box[2] - box[0] - 2 * padding),
    )
    parts = [lines[0].text]
    for prev, line in pairwise(lines):
        parts += [_join(prev, line, area), line.text]
    return normalize_ticks("".join(parts))


@dataclass(frozen=True)
class _Line:
    """One line of a cell: its text, the extent of its visible characters, and its first unsplittable word."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    word: float  # width of the first word, 0 when there is none

    @classmethod
    def of(cls, found: PdfObject) -> _Line:
        visible = [c for c in found["chars"] if str(c["text"]).strip()]
        word = _first_word(visible)
        return cls(
            text=str(found["text"]),
            x0=float(visible[0]["x0"]),
            x1=float(visible[-1]["x1"]),
            top=float(found["top"]),
            bottom=float(found["bottom"]),
            word=float(word[-1]["x1"] - word[0]["x0"]) if word else 0.0,
        )


@dataclass(frozen=True)
class _Area:
    left: float
    right: float
    width: float


def _join(prev: _Line, line: _Line, area: _Area) -> str:
    """What stood between two lines of a cell: nothing when CJK text or digits wrapped (“李晓” + “燕”),
    a space when Latin words wrapped, else a newline (the break was typed).

    A break was typed when the next line starts a list item or follows a blank line; when it does not
    start where a wrapped line would (at the left edge of the text, or aligned with the line above on the
    right or centre); or when its first word would have fitted on the line above — so the layout had no
    reason to break there. A full line followed by a new paragraph looks like a wrap and is judged by
    the characters either side.
    """
    height = prev.bottom - prev.top
    if LIST_ITEM.match(line.text) or line.top - prev.bottom > 0.6 * height:
        return "\n"
    left_aligned = abs(line.x0 - area.left) <= ALIGN_TOLERANCE
    right_aligned = abs(line.x1 - prev.x1) <= ALIGN_TOLERANCE
    centred = abs((line.x0 + line.x1) - (prev.x0 + prev.x1)) / 2 <= ALIGN_TOLERANCE
    if not (left_aligned or right_aligned or centred):
        return "\n"
    gap = 0.0 if _CJK.match(line.text[0]) else 0.25 * height  # a space before a Latin word
    fits_width = (prev.x1 - prev.x0) + gap + line.word <= area.width - 0.5
    # A left-aligned line may begin indented, so for it the room left at its right end counts too.
    fits_end = prev.x1 + gap + line.word <= area.right - 0.5
    if fits_width and (fits_end or right_aligned or centred):
        return "\n"
    a, b = prev.text[-1], line.text[0]
    if _joinable(a) and _joinable(b):
        return ""
    # Latin words wrap at spaces; anything else (a tick box, a symbol) more likely ends a typed line.
    return " " if a.isascii() and a.isalnum() and b.isascii() and b.isalnum() else "\n"


def _joinable(ch: str) -> bool:
    """CJK text and digits wrap anywhere, with no space lost at the break."""
    return bool(_CJK.match(ch)) or ch.isdigit()


def _first_word(visible: list[PdfObject]) -> list[PdfObject]:
    """The first unit the layout could not split: a CJK character with the punctuation that may not be
    parted from it (“到。”, “（社”), or a run of Latin letters and digits."""
    if not visible:
        return []
    if _CJK.match(visible[0]["text"]):
        # Line-breaking rules (禁则) move “到” down with the “。” that may not start a line, and an
        # opening bracket down with what follows it, so the line above ends short of full.
        end = 2 if visible[0]["text"] in NO_LINE_END else 1
        while end < len(visible) and visible[end]["text"] in NO_LINE_START:
            end += 1
        return visible[:end]
    word: list[PdfObject] = []
    for c in visible:
        if _CJK.match(c["text"]) or (word and c["x0"] - word[-1]["x1"] > 1.0):
            break
        word.append(c)
    return word
