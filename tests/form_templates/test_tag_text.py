"""A template's text split by jinja's own lexer: fixed words, simple fields, loops, if/else blanks."""

from __future__ import annotations

import pytest

from baodao.form_templates.tag_text import literal, loop_field, opens_or_closes_loop, segments, simple_field


@pytest.mark.parametrize(
    ("text", "fields"),
    [
        ("本党组织已于{{ received_on }}收到", [("received_on", "")]),
        ("{{ received_on or '____年__月__日' }}", [("received_on", "____年__月__日")]),
        ('{{ intentions|join("、") }}', [("intentions", "")]),
        ("{% if unit %}{{ unit }}{% else %}________{% endif %}单位", [("unit", "________")]),
        ("{% if unit %}{{ unit }}{% else %}{% endif %}", [("unit", "")]),
        ('{{ skills|tick("写作") }}写作', [None]),  # a tick is read by the tick reader, not as text
        ("{{ a or b }}", [None]),
        ("{{ person.name }}", [None]),
    ],
)
def test_simple_fields_are_found_with_their_printed_blank(text: str, fields: list[object]) -> None:
    found = segments(text)
    assert found is not None
    assert [simple_field(s) for s in found if s.kind == "variable"] == fields


def test_fixed_words_keep_everything_but_the_tags() -> None:
    assert (
        literal("本党组织已于{{ received_on }}收到{# 注 #}{{ unit }}单位党组织的报到单")
        == "本党组织已于收到单位党组织的报到单"
    )
    assert literal("价格 {100} 元，{x}") == "价格 {100} 元，{x}"  # braces that are no tag stay words
    assert literal("已于{{ broken 收到") == "已于{{ broken 收到"  # an unclosed tag: the text as it is
    assert segments("已于{{ broken 收到") is None


def test_docxtpl_paragraph_loops_are_known_by_their_field() -> None:
    [start] = segments("{%p for item in (intentions or []) %}") or ()
    [end] = segments("{%p endfor %}") or ()
    assert loop_field(start) == "intentions"
    assert opens_or_closes_loop(start) and opens_or_closes_loop(end)
    [other] = segments("{%p if unit %}") or ()
    assert loop_field(other) is None and not opens_or_closes_loop(other)
