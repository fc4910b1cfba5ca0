"""A template's text split into its fixed words and its jinja tags, by jinja's own lexer and parser.

Intake reads a returned form by its template: “已于{{ received_on }}收到” becomes fixed words around a blank,
so the tags must be found as jinja finds them, including docxtpl's ``{%p …%}`` paragraph tags.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from typing import Literal

from jinja2 import TemplateSyntaxError, nodes

from baodao.form_templates.template_env import jinja_environment

Kind = Literal["text", "variable", "block", "comment"]
_OPENERS = {"variable_begin": "variable", "block_begin": "block", "comment_begin": "comment"}
_CLOSERS = {"variable_end", "block_end", "comment_end"}


@dataclass(frozen=True)
class Segment:
    """Fixed text, or one tag: its source as written and its words (names, operators, strings)."""

    kind: Kind
    source: str
    words: tuple[str, ...] = ()


@cache
def segments(text: str) -> tuple[Segment, ...] | None:
    """``text`` as fixed text and tags, in order; None when jinja cannot read its tags."""
    found: list[Segment] = []
    try:
        tokens = list(jinja_environment().lexer.tokeniter(text, None))
    except TemplateSyntaxError:
        return None
    kind: Kind | None = None
    source: list[str] = []
    words: list[str] = []
    for _line, token, value in tokens:
        if kind is None:
            if token in _OPENERS:
                kind, source, words = _OPENERS[token], [value], []  # type: ignore[assignment]
            else:
                found.append(Segment("text", value))
            continue
        source.append(value)
        if token in _CLOSERS:
            found.append(Segment(kind, "".join(source), tuple(words)))
            kind = None
        elif token not in ("whitespace", "comment"):
            words.append(value)
    if kind is not None:
        return None  # a tag opened and never closed
    return tuple(_collapse_if_else(found))


def literal(text: str) -> str:
    """The fixed words of ``text``, its tags left out (all of it when its tags cannot be read)."""
    found = segments(text)
    return text if found is None else "".join(s.source for s in found if s.kind == "text")


def simple_field(segment: Segment) -> tuple[str, str] | None:
    """(field, printed blank) for ``{{ x }}``, ``{{ x|join('、') }}`` or ``{{ x or '____' }}``; else None."""
    if segment.kind != "variable":
        return None
    try:
        template = jinja_environment().parse(segment.source)
    except TemplateSyntaxError:
        return None
    [output] = template.body
    if not isinstance(output, nodes.Output) or len(output.nodes) != 1:
        return None
    expr: nodes.Node = output.nodes[0]
    blank = ""
    if isinstance(expr, nodes.Or):
        right = expr.right
        if not (isinstance(right, nodes.Const) and isinstance(right.value, str)):
            return None
        expr, blank = expr.left, right.value
    if isinstance(expr, nodes.Filter) and expr.name == "join" and expr.node is not None:
        expr = expr.node
    return (expr.name, blank) if isinstance(expr, nodes.Name) else None


def loop_field(segment: Segment) -> str | None:
    """The field a ``{%p for item in field %}`` paragraph loop runs over; None for any other tag."""
    words = list(segment.words)
    if segment.kind != "block" or words[:2] != ["p", "for"] or "in" not in words:
        return None
    rest = [w for w in words[words.index("in") + 1 :] if w != "("]
    return rest[0] if rest and rest[0].isidentifier() else None


def opens_or_closes_loop(segment: Segment) -> bool:
    """Whether a block tag starts or ends a loop (``{% for %}``, ``{%p endfor %}``, …)."""
    head = [w for w in segment.words[:2] if w in ("for", "endfor")]
    return segment.kind == "block" and bool(head)


def _collapse_if_else(found: list[Segment]) -> list[Segment]:
    """“{% if x %}{{ x }}{% else %}blank{% endif %}” prints what “{{ x or 'blank' }}” prints."""
    out: list[Segment] = []
    i = 0
    while i < len(found):
        window = found[i : i + 5]
        shape = [s.kind for s in window]
        if shape[:3] == ["block", "variable", "block"] and len(window[0].words) == 2:
            name = window[0].words[1]
            has_blank = shape[3:5] == ["text", "block"]
            end = window[4] if has_blank else (window[3] if len(window) > 3 else None)
            if (
                window[0].words[0] == "if"
                and window[1].words == (name,)
                and window[2].words == ("else",)
                and end is not None
                and end.words == ("endif",)
            ):
                blank = window[3].source if has_blank else ""
                source = "{{ " + name + " or " + json.dumps(blank, ensure_ascii=False) + " }}"
                out.append(Segment("variable", source, (name, "or", json.dumps(blank, ensure_ascii=False))))
                i += 5 if has_blank else 4
                continue
        out.append(found[i])
        i += 1
    return out
