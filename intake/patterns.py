"""Reading a form in baodao's own layout by its template: each tagged text becomes a pattern.

“本党组织已于{{ received_on }}收到{{ unit }}单位党组织的报到单” becomes a regular expression whose groups
are the fields, so values in sentences, and dates under a seal, are read where no label marks them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from intake.grid import Grid
from intake.labels import squash

_TAG = re.compile(r"\{\{(.*?)\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
_SIMPLE = re.compile(r"^\s*([a-z][a-z0-9_]*)\s*(?:\|\s*join\('[^']*'\)\s*)?(?:or\s*'([^']*)'\s*)?$")
# “{% if x %}{{ x }}{% else %}blank{% endif %}” prints the same as “{{ x or 'blank' }}”.
_IF_ELSE = re.compile(
    r"\{%-?\s*if\s+(\w+)\s*-?%\}\{\{\s*\1\s*\}\}\{%-?\s*else\s*-?%\}(.*?)\{%-?\s*endif\s*-?%\}", re.S
)
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
    if "{{" not in text:
        return None
    text = _IF_ELSE.sub(lambda m: f"{{{{ {m.group(1)} or '{m.group(2)}' }}}}", text)
    parts: list[str] = []
    blanks: dict[str, str] = {}
    anchor = 0
    at = 0
    for m in _TAG.finditer(text):
        literal = squash(text[at : m.start()])
        parts.append(_loose(literal))
        anchor += len(literal)
        at = m.end()
        if m.group(1) is None:
            continue  # a block tag ({%p for %}): the text is not a simple sentence
        simple = _SIMPLE.match(m.group(1))
        if simple is None or simple.group(1) in blanks:
            return None  # filters, loops and attributes are read by the table and tick readers
        name = simple.group(1)
        blanks[name] = squash(simple.group(2) or "")
        parts.append(f"(?P<{name}>.*?)")
    tail = squash(text[at:])
    parts.append(_loose(tail))
    anchor += len(tail)
    if not blanks or anchor < MIN_ANCHOR or "{%" in text:
        return None
    return TextPattern(re.compile(_GAP + "".join(parts), re.S), blanks)


_GAP = r"[\s\u3000]*"


def _loose(literal: str) -> str:
    """Fixed words, allowing the spaces and line breaks a word processor or a PDF puts between them."""
    return "".join(re.escape(ch) + _GAP for ch in literal)


@cache
def template_patterns(template: Path) -> tuple[TextPattern, ...]:
    """The patterns of a bundled template, read once per process."""
    from intake.docx_reader import read_docx

    return tuple(build_patterns(read_docx(template)))


@dataclass(frozen=True)
class AfterAnchor:
    """A paragraph holding only tags (a date, a signer), found by its distance from the nearest
    paragraph above it that has fixed words: the same distance in the returned file."""

    anchor: str | TextPattern
    distance: int
    fields: tuple[str, ...]
    blanks: dict[str, str]
    in_table: bool

    def read(self, sequences: list[list[str]]) -> dict[str, str] | None:
        """Look in the sequences of the anchor's kind: the paragraphs, or each table's cells in order."""
        for texts in sequences[1:] if self.in_table else sequences[:1]:
            for at, text in enumerate(texts):
                hit = (
                    self.anchor.read(text) is not None
                    if isinstance(self.anchor, TextPattern)
                    else (squash(text) == self.anchor)
                )
                if hit and 0 <= at + self.distance < len(texts):
                    lines = texts[at + self.distance].split("\n")
                    if len(lines) != len(self.fields):
                        return None
                    values = {name: line.strip() for name, line in zip(self.fields, lines, strict=True)}
                    return {n: "" if squash(v) == self.blanks.get(n) else v for n, v in values.items()}
        return None


def text_sequences(grid: Grid) -> list[list[str]]:
    """The paragraphs, then each table's cells in reading order: where positions can be counted."""
    return [[p.text for p in grid.paragraphs]] + [[c.text for c in t.cells] for t in grid.tables]


def build_anchored(template: Grid) -> list[AfterAnchor]:
    """AfterAnchor readers for every text of a template that holds only tags."""
    found = []
    for n, texts in enumerate(text_sequences(template)):
        found += _anchored_in(texts, in_table=n > 0)
    return found


def _anchored_in(texts: list[str], in_table: bool) -> list[AfterAnchor]:
    literals = [squash(_TAG.sub("", t)) for t in texts]
    found = []
    for i, text in enumerate(texts):
        tags = _simple_tags(text)
        if not tags or literals[i]:
            continue
        # The nearest fixed text above, else below; a text printed twice (两个“联系电话”) cannot anchor.
        for j in [*range(i - 1, -1, -1), *range(i + 1, len(texts))]:
            if "{%" in texts[j]:
                if j < i:
                    continue  # a loop above: the distance would change with the record; try below
                break
            if not literals[j]:
                continue
            if literals.count(literals[j]) > 1:
                continue
            anchor: str | TextPattern | None = _pattern(texts[j]) if "{{" in texts[j] else literals[j]
            if anchor is not None:
                names = tuple(name for name, _ in tags)
                blanks = {n: squash(b) for n, b in tags}
                found.append(AfterAnchor(anchor, i - j, names, blanks, in_table))
                break
    return found


def _simple_tags(text: str) -> list[tuple[str, str]]:
    """(name, blank) of each tag in a text made only of simple tags, one per line; else nothing."""
    text = _IF_ELSE.sub(lambda m: f"{{{{ {m.group(1)} or '{m.group(2)}' }}}}", text)
    tags = []
    for line in text.split("\n"):
        m = re.fullmatch(r"\s*\{\{(.*?)\}\}\s*", line)
        simple = _SIMPLE.match(m.group(1)) if m else None
        if simple is None:
            return []
        tags.append((simple.group(1), simple.group(2) or ""))
    return tags


@cache
def template_anchored(template: Path) -> tuple[AfterAnchor, ...]:
    from intake.docx_reader import read_docx

    return tuple(build_anchored(read_docx(template)))
