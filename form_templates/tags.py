"""Finds the jinja tags in a DOCX, with their place in Chinese, and mends tags Word/WPS split across runs."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
OPENERS = ("{{", "{%", "{#")
# Word's autocorrect turns quotes typed inside a tag into curly ones, which jinja cannot parse.
CURLY_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"'})


@dataclass(frozen=True)
class FoundTag:
    """One tag as found: its text (quotes straightened), where it stands, and whether it was split."""

    text: str
    location: str
    was_split: bool
    had_curly_quotes: bool


@dataclass(frozen=True)
class Unclosed:
    """Text that opens a tag but never closes it within its paragraph."""

    text: str
    location: str


def paragraphs_with_location(root: etree._Element, part_label: str) -> Iterator[tuple[etree._Element, str]]:
    """Every ``w:p`` under ``root`` with a location such as “第2个表格第3行第1列第1段”."""
    yield from _walk(root, part_label)


def _walk(container: etree._Element, prefix: str) -> Iterator[tuple[etree._Element, str]]:
    para_no = table_no = 0
    for child in _block_children(container):
        if child.tag == f"{{{W}}}p":
            para_no += 1
            yield child, f"{prefix}第{para_no}段"
        elif child.tag == f"{{{W}}}tbl":
            table_no += 1
            for r, tr in enumerate(child.findall("w:tr", NS), start=1):
                col = 0
                for tc in tr.findall("w:tc", NS):
                    col += 1
                    yield from _walk(tc, f"{prefix}第{table_no}个表格第{r}行第{col}列")
                    span = tc.find("w:tcPr/w:gridSpan", NS)
                    col += int(span.get(f"{{{W}}}val", "1")) - 1 if span is not None else 0


def _block_children(container: etree._Element) -> Iterator[etree._Element]:
    """Paragraphs and tables of a container, looking through content controls (w:sdt)."""
    for child in container:
        if child.tag == f"{{{W}}}sdt":
            content = child.find("w:sdtContent", NS)
            if content is not None:
                yield from _block_children(content)
        elif child.tag in (f"{{{W}}}p", f"{{{W}}}tbl"):
            yield child


def scan_paragraph(p: etree._Element, location: str, repair: bool) -> tuple[list[FoundTag], list[Unclosed]]:
    """The tags of one paragraph; with ``repair``, split tags are joined into their first run."""
    texts = p.findall(".//w:r/w:t", NS)
    pieces = [t.text or "" for t in texts]
    whole = "".join(pieces)
    if not any(o in whole for o in OPENERS):
        return [], []
    starts = []
    pos = 0
    for piece in pieces:
        starts.append(pos)
        pos += len(piece)
    found: list[FoundTag] = []
    spans: list[tuple[int, int]] = []
    for m in TAG.finditer(whole):
        first = _piece_at(starts, m.start())
        last = _piece_at(starts, m.end() - 1)
        raw = m.group(0)
        fixed = raw.translate(CURLY_QUOTES)
        found.append(FoundTag(fixed, location, first != last, fixed != raw))
        spans.append((m.start(), m.end()))
    unclosed = _unclosed(whole, spans, location)
    if repair and any(t.was_split or t.had_curly_quotes for t in found):
        _rewrite(texts, whole, spans)
    return found, unclosed


def _piece_at(starts: list[int], offset: int) -> int:
    index = 0
    for i, s in enumerate(starts):
        if s <= offset:
            index = i
    return index


def _unclosed(whole: str, spans: list[tuple[int, int]], location: str) -> list[Unclosed]:
    outside = list(whole)
    for a, b in spans:
        outside[a:b] = [" "] * (b - a)
    rest = "".join(outside)
    return [
        Unclosed(rest[i : i + 30].strip(), location)
        for i in range(len(rest) - 1)
        if rest[i : i + 2] in OPENERS
    ]


def _rewrite(texts: list[etree._Element], whole: str, spans: list[tuple[int, int]]) -> None:
    """Give every character to the run holding the start of its tag, so no tag crosses a run boundary."""
    owner = []
    for i, t in enumerate(texts):
        owner.extend([i] * len(t.text or ""))
    for a, b in spans:
        for k in range(a, b):
            owner[k] = owner[a]
    new = [""] * len(texts)
    for k, ch in enumerate(whole):
        new[owner[k]] += ch
    for a, b in spans:
        i = owner[a]
        tag = whole[a:b]
        new[i] = new[i].replace(tag, tag.translate(CURLY_QUOTES), 1)
    for t, text in zip(texts, new, strict=True):
        t.text = text
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
