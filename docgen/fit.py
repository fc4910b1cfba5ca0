"""Fits text to its cell: a smaller size, down to a floor, before a wrapped line would hold one character.

A cell whose text wraps so that its last line holds a single character (社/区, 服务/岗, 行/为。), or that
breaks a short name between lines (吴/磊), is set a little smaller until it does not, never below
``FLOOR`` of its size. Lines are broken as LibreOffice breaks CJK text (anywhere, except before closing
punctuation and inside a run of Latin letters or digits), with each face's real advance widths.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from lxml import etree
from PIL import ImageFont

from baodao.office.programs import face_file

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{W}}}"
CONDENSE = 0.06  # characters may close up by this share of the size before the size is made smaller
FLOOR = 0.8  # the smallest share of its size a paragraph is set at
MIN_PT = 8.0
SLACK_PT = 1.0  # LibreOffice's line may be this much shorter or longer than computed
DEFAULT_CELL_MARGIN_TWIPS = 108  # python-docx's default table style: 1.9 mm either side
NO_LINE_START = set("，。、；：？！”’）》〉」』】〕…·,.;:?!)%")
OPENING = set("（《〈「『【〔([")
QUOTES = set("“”‘’\"'")
SEPARATORS = set("、, ")
PROSE = set("，。；：")
SHORT_ITEM = 4  # a list item this short is a name: it must not break
_LATIN = re.compile(r"[A-Za-z0-9\-./@]+|.", re.S)
_UNITS = 1000  # metrics are read at this size and scaled
CACHED = 65536  # paragraphs whose measure and decision are kept: a batch repeats most of its own
_ANY_TAG = re.compile(r"\{\{(.*?)\}\}", re.S)
_SIMPLE_TAG = re.compile(
    r"\s*(?P<name>[A-Za-z_]\w*)(?:\.(?P<column>\w+))?\s*(?:\|\s*join\('(?P<sep>[^']*)'\)\s*)?"
    r"(?:or\s*'(?P<blank>[^']*)'\s*)?"
)
_TAG = re.compile(r"\{\{\s*([A-Za-z_]\w*)(?:\[\d+\])?(?:\.(\w+))?")
_LOOP = re.compile(r"for\s+(\w+)\s+in\s+\(?\s*(\w+)")
AUTOSPACE = 0.2  # share of the size added where CJK and Latin letters or digits meet (measured)


@dataclass
class _Run:
    element: etree._Element | None
    text: str
    face: str
    size: float


@dataclass(frozen=True)
class ValueParagraph:
    """A cell paragraph of the template that prints values: its runs as small templates, its line."""

    runs: tuple[tuple[tuple[str | _Tag, ...], str, float], ...]  # (text and tags, face, size)
    width: float
    loop: tuple[str, str] | None  # (row variable, table field) when it repeats per table row

    @property
    def short(self) -> float:
        """Fewer characters than this, even all full width, keep to one line whatever LibreOffice does."""
        return (self.width - 2 * SLACK_PT - 2) / max(size for _, _, size in self.runs)


@dataclass(frozen=True)
class Gate:
    """A template's cell paragraphs that print values. A filled form's are decided from the values alone
    (cached per text), so a form whose values all fit is never parsed; the template's own text is fitted
    once, when the template is prepared."""

    paragraphs: tuple[ValueParagraph, ...]
    complete: bool  # False when a value paragraph prints a tag the simple reading does not know

    def edits(self, context: Mapping[str, Any]) -> dict[str, tuple[int, float]]:
        """Printed paragraph text → (spacing, scale) for each value paragraph that needs fitting."""
        found: dict[str, tuple[int, float]] = {}
        for vp in self.paragraphs:
            if vp.loop is None:
                scopes: list[Mapping[str, Any]] = [context]
            else:
                rows = context.get(vp.loop[1])
                scopes = [{**context, vp.loop[0]: r} for r in rows] if isinstance(rows, list) else []
            short = vp.short
            for scope in scopes:
                texts = [_print(parts, scope) for parts, _, _ in vp.runs]
                text = "".join(texts)
                if len(text) < max(2, short):
                    continue  # one short line: nothing to fit, and no need to measure it
                runs = zip(texts, vp.runs, strict=True)
                pieces = tuple((t, face, size) for t, (_, face, size) in runs if t)
                decision = _decide(pieces, vp.width)
                if decision != (0, 1.0):
                    found[text] = decision
        return found


def fit_template(body: etree._Element) -> Gate:
    """Fit the template's own cell text in place (paragraphs without tags) and return its gate."""
    loops = dict(_LOOP.findall("".join(t.text or "" for t in body.iter(f"{_W}t"))))
    paragraphs = []
    complete = True
    for tc, span_twips in _cells(body):
        width = _cell_width_pt(tc, span_twips)
        if width is None:
            continue
        for p in tc.findall(f"{_W}p"):
            text = "".join(t.text or "" for t in p.iter(f"{_W}t"))
            if "{" not in text:
                _fit_paragraph(p, width)
                continue
            runs = _runs(p)
            if not runs or "{%" in text or "|tick" in text:
                continue  # a control line, or tick boxes: one character each
            parsed = [(_parts(r.text), r.face, r.size) for r in runs]
            if any(None in parts for parts, _, _ in parsed):
                complete = False  # a tag more than a value (a condition): every filled form is parsed
                continue
            compiled = tuple(
                (tuple(x for x in parts if x is not None), face, size) for parts, face, size in parsed
            )
            names = {name for name, _ in _TAG.findall(text)}
            loop = next(((v, loops[v]) for v in names if v in loops), None)
            paragraphs.append(ValueParagraph(compiled, _line_width(p, width), loop))
    return Gate(tuple(paragraphs), complete)


@dataclass(frozen=True)
class _Tag:
    """A simple tag: ``{{ name }}`` or ``{{ row.column }}``, with ``|join(sep)`` and ``or blank``."""

    name: str
    column: str | None
    sep: str | None
    blank: str


def _parts(text: str) -> tuple[str | _Tag | None, ...]:
    """The run's text as literal pieces and tags; None for a tag this simple reading does not know."""
    parts: list[str | _Tag | None] = []
    at = 0
    for m in _ANY_TAG.finditer(text):
        parts.append(text[at : m.start()])
        simple = _SIMPLE_TAG.fullmatch(m.group(1))
        parts.append(
            _Tag(simple["name"], simple["column"], simple["sep"], simple["blank"] or "") if simple else None
        )
        at = m.end()
    parts.append(text[at:])
    return tuple(p for p in parts if p != "")


def _print(parts: tuple[str | _Tag, ...], scope: Mapping[str, Any]) -> str:
    out = []
    for part in parts:
        if isinstance(part, str):
            out.append(part)
            continue
        value = scope.get(part.name)
        if part.column is not None:
            value = value.get(part.column) if isinstance(value, Mapping) else None
        if isinstance(value, (list, tuple)):
            value = (part.sep or "").join(str(v) for v in value)
        out.append(str(value) if value else part.blank)
    return "".join(out)


def fit_body(
    head: str, body: str, tail: str, gate: Gate | None = None, context: Mapping[str, Any] | None = None
) -> str:
    """``body`` (word/document.xml's w:body, between ``head`` and ``tail``) with each over-full cell
    paragraph set smaller; the same text when nothing needs it. With a ``gate`` and the ``context``
    printed, only the value paragraphs it names are looked at, and the XML is parsed only to change one."""
    if gate is not None and gate.complete and context is not None:
        edits = gate.edits(context)
        if not edits:
            return body
    else:
        edits = None
    root = etree.fromstring((head + body + tail).encode("utf-8"))
    changed = False
    if edits is not None:
        for p in root.iter(f"{_W}p"):
            text = "".join(t.text or "" for t in p.iter(f"{_W}t"))
            if text in edits:
                changed |= _apply(_runs(p), *edits[text])
    else:
        for tc, span_twips in _cells(root):
            width = _cell_width_pt(tc, span_twips)
            if width is None:
                continue
            for p in tc.findall(f"{_W}p"):
                changed |= _fit_paragraph(p, width)
    if not changed:
        return body
    fitted = str(etree.tostring(root, encoding="unicode"))
    return fitted[fitted.index("<w:body") : fitted.rindex("</w:body>") + len("</w:body>")]


def _ems(text: str) -> float:
    return sum(1.0 if ord(ch) > 0x2E7F else 0.5 for ch in text)


def _cells(root: etree._Element) -> list[tuple[etree._Element, int | None]]:
    """Every cell with its width in twips from the table's grid (a merged cell spans several columns)."""
    found: list[tuple[etree._Element, int | None]] = []
    for tbl in root.iter(f"{_W}tbl"):
        grid = [int(c.get(f"{_W}w", "0")) for c in tbl.findall(f"{_W}tblGrid/{_W}gridCol")]
        for tr in tbl.findall(f"{_W}tr"):
            at = 0
            for tc in tr.findall(f"{_W}tc"):
                span_el = tc.find(f"{_W}tcPr/{_W}gridSpan")
                span = int(span_el.get(f"{_W}val", "1")) if span_el is not None else 1
                found.append((tc, sum(grid[at : at + span]) if at + span <= len(grid) else None))
                at += span
    return found


def _cell_width_pt(tc: etree._Element, span_twips: int | None = None) -> float | None:
    tcw = tc.find(f"{_W}tcPr/{_W}tcW")
    if span_twips is None and (tcw is None or tcw.get(f"{_W}type") not in (None, "dxa")):
        return None
    if tc.find(f"{_W}tcPr/{_W}textDirection") is not None:
        return None  # stacked text: one character a line is the point
    tbl = tc.getparent().getparent() if tc.getparent() is not None else None
    left = right = DEFAULT_CELL_MARGIN_TWIPS
    if tbl is not None:
        margins = tbl.find(f"{_W}tblPr/{_W}tblCellMar")
        if margins is not None:
            left = _twips(margins.find(f"{_W}left"), left)
            right = _twips(margins.find(f"{_W}right"), right)
    own = tc.find(f"{_W}tcPr/{_W}tcMar")
    if own is not None:
        left = _twips(own.find(f"{_W}left"), left)
        right = _twips(own.find(f"{_W}right"), right)
    total = span_twips if span_twips is not None else int(tcw.get(f"{_W}w", "0"))
    return (total - left - right) / 20


def _twips(el: etree._Element | None, default: int) -> int:
    return int(el.get(f"{_W}w", default)) if el is not None else default


def _runs(p: etree._Element) -> list[_Run]:
    runs = []
    for r in p.iter(f"{_W}r"):
        if r.find(f"{_W}br") is not None or r.find(f"{_W}tab") is not None:
            return []  # lines the author broke: left as they are
        text = "".join(t.text or "" for t in r.findall(f"{_W}t"))
        if not text:
            continue
        fonts = r.find(f"{_W}rPr/{_W}rFonts")
        sz = r.find(f"{_W}rPr/{_W}sz")
        if fonts is None or sz is None:
            return []  # a run in the style's face: not measured here
        runs.append(_Run(r, text, fonts.get(f"{_W}eastAsia") or "", int(sz.get(f"{_W}val", "24")) / 2))
    return runs


def _fit_paragraph(p: etree._Element, width: float) -> bool:
    runs = _runs(p)
    if not runs or width <= 0:
        return False
    pieces = tuple((r.text, r.face, r.size) for r in runs)
    return _apply(runs, *_decide(pieces, _line_width(p, width)))


def _line_width(p: etree._Element, width: float) -> float:
    """The cell's line less the paragraph's own indents, rounded so decisions can be cached."""
    ind = p.find(f"{_W}pPr/{_W}ind")
    if ind is not None:
        width -= (int(ind.get(f"{_W}left", "0")) + int(ind.get(f"{_W}right", "0"))) / 20
    return round(width, 2)


def _apply(runs: list[_Run], spacing: int, scale: float) -> bool:
    for run in runs:
        if run.element is None:
            continue
        if spacing:
            _set_spacing(run.element, spacing)
        elif scale != 1.0:
            _set_size(run.element, round(run.size * scale * 2))
    return bool(spacing) or scale != 1.0


@lru_cache(maxsize=CACHED)
def _decide(pieces: tuple[tuple[str, str, float], ...], width: float) -> tuple[int, float]:
    """(character spacing in twentieths of a point, size scale) for a paragraph of ``pieces`` (text,
    face, size) in a line ``width`` pt long: (0, 1.0) when it needs nothing or nothing helps. Cached: a
    batch meets the same paragraphs again and again."""
    runs = [_Run(None, text, face, size) for text, face, size in pieces]

    def bad(scale: float, spacing: float = 0.0) -> bool:
        # LibreOffice's line may be a little shorter or longer than computed: good only if good either way
        return any(_needs_fit(runs, width + d, scale, spacing) for d in (-SLACK_PT, 0.0, SLACK_PT))

    if not bad(1.0):
        return 0, 1.0
    # First the characters a little closer (unseen in a long paragraph), then a smaller size.
    size = max(r.size for r in runs)
    for step in range(1, round(CONDENSE * size / 0.1) + 1):
        if not bad(1.0, -0.1 * step):
            return -2 * step, 1.0
    scale = 1.0
    while True:
        scale -= 0.5 / size  # half a point at a time
        if scale < FLOOR - 1e-9 or min(r.size for r in runs) * scale < MIN_PT - 1e-9:
            return 0, 1.0
        if not bad(scale):
            return 0, scale


def _set_spacing(r: etree._Element, twentieths: int) -> None:
    rpr = r.find(f"{_W}rPr")
    el = rpr.find(f"{_W}spacing")
    if el is None:
        el = etree.SubElement(rpr, f"{_W}spacing")
    el.set(f"{_W}val", str(twentieths))


def _set_size(r: etree._Element, half_points: int) -> None:
    rpr = r.find(f"{_W}rPr")
    for tag in ("sz", "szCs"):
        el = rpr.find(f"{_W}{tag}")
        if el is None:
            el = etree.SubElement(rpr, f"{_W}{tag}")
        el.set(f"{_W}val", str(half_points))


def _needs_fit(runs: list[_Run], width: float, scale: float, spacing: float = 0.0) -> bool:
    """Whether the paragraph, set at ``scale`` with ``spacing`` pt between characters, ends on a lone
    character or breaks a short item."""
    lines = _break_lines(runs, width, scale, spacing)
    if lines is None or len(lines) < 2:
        return False
    last = [ch for ch in lines[-1] if ch not in NO_LINE_START and not ch.isspace()]
    if len(last) == 1:
        return True
    return _splits_an_item(lines)


def _splits_an_item(lines: list[str]) -> bool:
    """A list of names (“王丽娟、张卫东、…”) broken inside one of them; prose is not a list."""
    text = "".join(lines)
    if any(ch in PROSE for ch in text):
        return False
    offsets, at = set(), 0
    for line in lines[:-1]:
        at += len(line)
        offsets.add(at)
    start = 0
    for i, ch in enumerate([*text, "、"]):
        if ch in SEPARATORS:
            if 2 <= i - start <= SHORT_ITEM and any(start < o < i for o in offsets):
                return True
            start = i + 1
    return False


def _units(runs: list[_Run]) -> tuple[tuple[str, float], ...]:
    return _units_of(tuple((r.text, r.face, r.size) for r in runs))


@lru_cache(maxsize=CACHED)
def _units_of(runs: tuple[tuple[str, str, float], ...]) -> tuple[tuple[str, float], ...]:
    """The paragraph's unbreakable pieces with their widths at 1 pt, as line breaking (UAX #14) glues
    them: a run of Latin letters or digits; a quotation mark to both its neighbours; an opening bracket
    to what follows it; closing punctuation to what precedes it."""
    pieces: list[tuple[str, float]] = []
    for text, face, size in runs:
        if _font(face) is None:
            raise LookupError(face)
        for t in _LATIN.findall(text):
            width = size * _advance(face, t)
            if pieces and _is_latin(t) != _is_latin(pieces[-1][0]):
                width += AUTOSPACE * size  # Word's and LibreOffice's space between CJK and Latin
            pieces.append((t, width))
    units: list[tuple[str, float]] = []
    glue_next = False
    for text, width in pieces:
        first = text[0]
        if units and (glue_next or first in NO_LINE_START or first in QUOTES):
            last_text, last_width = units[-1]
            units[-1] = (last_text + text, last_width + width)
        else:
            units.append((text, width))
        glue_next = first in OPENING or first in QUOTES
    return tuple(units)


def _break_lines(runs: list[_Run], width: float, scale: float, spacing: float = 0.0) -> list[str] | None:
    try:
        units = _units(runs)
    except LookupError:
        return None
    lines: list[str] = [""]
    used = 0.0
    for text, w in units:
        w = w * scale + spacing * len(text)
        if lines[-1] and used + w > width + 0.01:
            lines.append("")
            used = 0.0
        lines[-1] += text
        used += w
    return [line for line in lines if line]


@cache
def _advance(face: str, piece: str) -> float:
    """The advance width of ``piece`` at 1 pt (faces are looked up once, widths once per piece)."""
    font = _font(face)
    return font.getlength(piece) / _UNITS if font is not None else 0.0


def _is_latin(text: str) -> bool:
    return text[-1].isascii() and text[-1].isalnum()


@cache
def _font(face: str) -> ImageFont.FreeTypeFont | None:
    path = face_file(face)
    if path is None:
        return None
    try:
        # the basic layout: advance widths are all that is needed, and it takes any text
        return ImageFont.truetype(str(path), _UNITS, layout_engine=ImageFont.Layout.BASIC)
    except OSError:
        return None
