"""Reading a form in baodao's own layout by its template: each tagged text becomes a pattern.

“本党组织已于{{ received_on }}收到{{ unit }}单位党组织的报到单” becomes a regular expression whose groups
are the fields, so values in sentences, and dates under a seal, are read where no label marks them.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from baodao.form_templates.tag_text import literal, loop_field, opens_or_closes_loop, segments, simple_field
from baodao.form_templates.text import squash
from baodao.intake.grid import Grid, Table

MIN_ANCHOR = 1  # fixed characters a pattern needs; a match whose value is itself a label is refused


@dataclass(frozen=True)
class TextPattern:
    """One template text as a pattern: its regex, and each field's printed blank (“____年__月__日”)."""

    regex: re.Pattern[str]
    blanks: dict[str, str]

    def read(self, text: str) -> dict[str, str] | None:
        m = self.regex.fullmatch(text)
        if m is None:
            return None
        values = {name: value.strip() for name, value in m.groupdict().items()}
        return {
            name: "" if squash(value) == self.blanks.get(name) else value for name, value in values.items()
        }


def build_patterns(template: Grid) -> list[TextPattern]:
    """Patterns for every paragraph and cell of a template that holds simple tags among fixed words."""
    texts = [p.text for p in template.paragraphs] + [c.text for t in template.tables for c in t.cells]
    patterns = []
    for text in texts:
        pattern = _pattern(text)
        if pattern is not None:
            patterns.append(pattern)
    return patterns


def _pattern(text: str) -> TextPattern | None:
    found = segments(text) if "{{" in text else None
    if found is None or any(s.kind == "block" for s in found):
        return None  # no tags, or a block tag ({%p for %}): the text is not a simple sentence
    parts: list[str] = []
    blanks: dict[str, str] = {}
    anchor = 0
    for segment in found:
        if segment.kind == "text":
            fixed = squash(segment.source)
            parts.append(_loose(fixed))
            anchor += len(fixed)
            continue
        simple = simple_field(segment)
        if segment.kind == "comment":
            continue
        if simple is None or simple[0] in blanks:
            return None  # filters, loops and attributes are read by the table and tick readers
        name, blank = simple
        blanks[name] = squash(blank)
        parts.append(f"(?P<{name}>.*?)")
    if not blanks or anchor < MIN_ANCHOR:
        return None
    return TextPattern(re.compile(_GAP + "".join(parts), re.S), blanks)


_GAP = r"[\s\u3000]*"


def _loose(literal: str) -> str:
    """Fixed words, allowing the spaces and line breaks a word processor or a PDF puts between them."""
    return "".join(re.escape(ch) + _GAP for ch in literal)


@dataclass(frozen=True)
class AfterAnchor:
    """A paragraph holding only tags (a date, a signer), found by its distance from the nearest
    paragraph above it that has fixed words: the same distance in the returned file."""

    anchor: str | TextPattern | AtPosition
    distance: int
    fields: tuple[str, ...]
    blanks: dict[str, str]
    in_table: bool

    def read(self, sequences: list[list[str]]) -> dict[str, str] | None:
        """Look in the sequences of the anchor's kind: the paragraphs, or each table's cells in order."""
        if isinstance(self.anchor, AtPosition):
            place = self.anchor
            if place.sequence < len(sequences) and len(sequences[place.sequence]) == place.length:
                return self._values(sequences[place.sequence][place.index])
            return None
        for texts in sequences[1:] if self.in_table else sequences[:1]:
            for at, text in enumerate(texts):
                hit = (
                    self.anchor.read(text) is not None
                    if isinstance(self.anchor, TextPattern)
                    else (squash(text) == self.anchor)
                )
                if hit and 0 <= at + self.distance < len(texts):
                    return self._values(texts[at + self.distance])
        return None

    def read_among_lines(self, sequences: list[list[str]]) -> dict[str, str] | None:
        """A table's text looked for among the paragraphs: a borderless layout table is no table in a
        PDF, its cells come as lines in the same order."""
        if isinstance(self.anchor, AtPosition):
            # The last cell of a table that ends the form (a 落款: signer and date) is its last lines.
            n = len(self.fields)
            if self.anchor.at_end and len(sequences[0]) >= n:
                return self._values("\n".join(sequences[0][-n:]))
            return None
        if not self.in_table:
            return None
        return replace(self, in_table=False).read(sequences)

    def _values(self, text: str) -> dict[str, str] | None:
        lines = text.split("\n")
        if len(lines) != len(self.fields):
            return None
        values = {name: line.strip() for name, line in zip(self.fields, lines, strict=True)}
        return {n: "" if squash(v) == self.blanks.get(n) else v for n, v in values.items()}


def text_sequences(grid: Grid) -> list[list[str]]:
    """The paragraphs, then each table's cells in reading order: where positions can be counted."""
    return [[p.text for p in grid.paragraphs]] + [[c.text for c in t.cells] for t in grid.tables]


def build_anchored(template: Grid) -> list[AfterAnchor]:
    """AfterAnchor readers for every text of a template that holds only tags."""
    sequences = text_sequences(template)
    paragraph_counts = Counter(squash(literal(t)) for t in sequences[0])
    cell_counts = Counter(squash(literal(t)) for texts in sequences[1:] for t in texts)
    found = []
    for n, texts in enumerate(sequences):
        found += _anchored_in(texts, n, cell_counts if n else paragraph_counts)
    ends_with_table = bool(template.blocks) and isinstance(template.blocks[-1], Table)
    last = (len(sequences) - 1, len(sequences[-1]) - 1) if ends_with_table else None
    return [
        replace(a, anchor=replace(a.anchor, at_end=True))
        if isinstance(a.anchor, AtPosition) and (a.anchor.sequence, a.anchor.index) == last
        else a
        for a in found
    ]


def _blocks_only(text: str) -> bool:
    """A paragraph of block tags alone (``{%p if x %}``): it vanishes when rendered."""
    found = segments(text)
    return (
        bool(found)
        and found is not None
        and all(s.kind == "block" or (s.kind == "text" and not s.source.strip()) for s in found)
        and any(s.kind == "block" for s in found)
    )


def _has_loop(text: str) -> bool:
    return any(opens_or_closes_loop(s) for s in segments(text) or ())


def _has_block(text: str) -> bool:
    return any(s.kind == "block" for s in segments(text) or ())


def _anchored_in(texts: list[str], sequence: int, counts: Counter[str]) -> list[AfterAnchor]:
    literals = [squash(literal(t)) for t in texts]
    found = []
    for i, text in enumerate(texts):
        tags = _simple_tags(text)
        if not tags or literals[i]:
            continue
        names = tuple(name for name, _ in tags)
        blanks = {n: squash(b) for n, b in tags}
        near = _nearest(texts, literals, counts, i, -1) or _nearest(texts, literals, counts, i, +1)
        if near is not None:
            j, distance = near
            anchor = _pattern(texts[j]) if "{{" in texts[j] else literals[j]
            if anchor is not None:
                found.append(AfterAnchor(anchor, distance, names, blanks, sequence > 0))
                continue
        # Nothing fixed nearby (a signature table of tags alone): the same place in the same table.
        found.append(AfterAnchor(AtPosition(sequence, i, len(texts)), 0, names, blanks, sequence > 0))
    return found


def _nearest(
    texts: list[str], literals: list[str], counts: Counter[str], i: int, step: int
) -> tuple[int, int] | None:
    """The nearest text printed once only, and how many rendered texts away it is (negative: below).

    Paragraphs holding only ``{%p if %}``-style tags vanish when rendered, so they are not counted; a
    loop between makes the distance depend on the record, so it ends the search.
    """
    distance, j = 0, i + step
    while 0 <= j < len(texts):
        if _blocks_only(texts[j]):
            if _has_loop(texts[j]):
                return None
            j += step
            continue
        distance += 1
        if literals[j] and counts[literals[j]] == 1 and not _has_block(texts[j]):
            return j, distance if step < 0 else -distance
        if _has_block(texts[j]):
            return None
        j += step
    return None


@dataclass(frozen=True)
class AtPosition:
    """A text's place: its sequence (0 = paragraphs, n = the n-th table), index, and the sequence length."""

    sequence: int
    index: int
    length: int
    at_end: bool = False  # the last text of the form: the last cell of a table nothing follows


def _simple_tags(text: str) -> list[tuple[str, str]]:
    """(name, blank) of each tag in a text made only of simple tags, one per line; else nothing."""
    tags = []
    for line in text.split("\n"):
        found = [s for s in segments(line) or () if s.kind != "text" or s.source.strip()]
        simple = simple_field(found[0]) if len(found) == 1 else None
        if simple is None:
            return []
        tags.append(simple)
    return tags


@dataclass(frozen=True)
class ListRegion:
    """A list printed one paragraph per item (``{%p for item in clauses %}``) between two fixed texts."""

    field: str
    before: str | TextPattern
    after: str | TextPattern | None

    def read(self, paragraphs: list[str]) -> list[str] | None:
        start = _find(paragraphs, self.before, 0)
        if start is None:
            return None
        end = _find(paragraphs, self.after, start + 1) if self.after is not None else None
        items = paragraphs[start + 1 : end if end is not None else len(paragraphs)]
        return [text.strip() for text in items if text.strip()]


def _find(texts: list[str], anchor: str | TextPattern, start: int) -> int | None:
    for at in range(start, len(texts)):
        text = texts[at]
        if (anchor.read(text) is not None) if isinstance(anchor, TextPattern) else squash(text) == anchor:
            return at
    return None


def build_list_regions(template: Grid) -> list[ListRegion]:
    """Regions of the template's paragraphs that a ``{%p for %}`` loop fills, by the texts around them."""
    texts = text_sequences(template)[0]
    counts = Counter(squash(literal(t)) for t in texts)
    literals = [squash(literal(t)) for t in texts]
    regions = []
    for i, text in enumerate(texts):
        field = next((f for f in map(loop_field, segments(text) or ()) if f), None)
        if field is None:
            continue
        end = next((k for k in range(i + 1, len(texts)) if _ends_loop(texts[k])), None)
        before = next((j for j in range(i - 1, -1, -1) if literals[j] and counts[literals[j]] == 1), None)
        if end is None or before is None:
            continue
        after = next(
            (j for j in range(end + 1, len(texts)) if literals[j] and counts[literals[j]] == 1), None
        )
        anchor_before = _pattern(texts[before]) if "{{" in texts[before] else literals[before]
        anchor_after = None
        if after is not None:
            anchor_after = _pattern(texts[after]) if "{{" in texts[after] else literals[after]
        if anchor_before is not None:
            regions.append(ListRegion(field, anchor_before, anchor_after))
    return regions


def _ends_loop(text: str) -> bool:
    return any(s.kind == "block" and "endfor" in s.words for s in segments(text) or ())


@dataclass(frozen=True)
class TemplateGuide:
    """Everything a template tells about where its values stand: patterns, anchored texts, list regions,
    and its fixed lines (a value read from a PDF cell stops where one of them begins)."""

    patterns: tuple[TextPattern, ...] = ()
    anchored: tuple[AfterAnchor, ...] = ()
    lists: tuple[ListRegion, ...] = ()
    fixed_lines: frozenset[str] = frozenset()


@cache
def template_guide(template: Path) -> TemplateGuide:
    """The guide of a bundled template, read once per process."""
    from baodao.intake.docx_reader import read_docx

    grid = read_docx(template)
    texts = [p.text for p in grid.paragraphs] + [c.text for t in grid.tables for c in t.cells]
    fixed = frozenset(
        squash(line)
        for text in texts
        for line in text.split("\n")
        if "{" not in line and len(squash(line)) >= 4
    )
    return TemplateGuide(
        tuple(build_patterns(grid)), tuple(build_anchored(grid)), tuple(build_list_regions(grid)), fixed
    )
