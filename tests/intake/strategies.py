"""Hypothesis strategies for a random valid record of any form, from its spec."""

from __future__ import annotations

import datetime as dt
from typing import cast

from hypothesis import strategies as st

from baodao.form_templates.spec import FieldSpec, FormSpec, Record

# Characters no label, separator, tick or placeholder uses, so values cannot be mistaken for form text.
ALPHABET = "甲乙丙丁戊己庚辛壬癸天地玄黄宇宙洪荒日月盈昃辰宿列张寒来暑往秋收冬藏闰余成岁律吕调阳"


STATED_YEAR = 2025
PERIOD_LABELS = ("半年度", "年度", "统计时段")


def text_values(f: FieldSpec) -> st.SearchStrategy[str]:
    if any(word in f.label for word in PERIOD_LABELS):
        return st.sampled_from([f"{STATED_YEAR}年上半年", f"{STATED_YEAR}年下半年", f"{STATED_YEAR}年度"])
    if f.format == "phone":
        return st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True)
    if f.format == "postcode":
        return st.from_regex(r"[1-9][0-9]{5}", fullmatch=True)
    if f.format == "email":
        return st.from_regex(r"[a-z]{3,8}@[a-z]{3,6}\.cn", fullmatch=True)
    longest = min(f.max_length or 12, 12)
    return st.text(ALPHABET, min_size=max(f.min_length or 2, 2), max_size=max(longest, 2))


def scalar_values(f: FieldSpec) -> st.SearchStrategy[object]:
    if f.type == "integer":
        low = f.minimum if f.minimum is not None else 0
        return st.integers(low, f.maximum if f.maximum is not None else low + 99)
    if f.type == "date":
        if "{y}" not in f.date_style:
            # The form prints 1月11日 and states its year once elsewhere (see PERIOD_LABELS).
            return st.dates(dt.date(STATED_YEAR, 1, 1), dt.date(STATED_YEAR, 12, 31))
        days = st.dates(dt.date(2000, 1, 1), dt.date(2030, 12, 31))
        return days.map(lambda d: d.replace(day=1)) if "{d}" not in f.date_style else days
    if f.type == "choice":
        return st.sampled_from(f.options)
    return text_values(f)


def field_values(f: FieldSpec) -> st.SearchStrategy[object]:
    if f.type == "choices":
        least = max(f.min_items or 1, 1)
        picks = st.sets(st.sampled_from(f.options), min_size=least, max_size=min(len(f.options), least + 3))
        return picks.map(lambda chosen: [o for o in f.options if o in chosen])
    if f.type == "list":
        least = max(f.min_items or 1, 1)
        return st.lists(text_values(f), min_size=least, max_size=least + 1, unique=True)
    if f.type == "table":
        row = st.fixed_dictionaries({c.name: scalar_values(c) for c in f.columns})
        most = max(1, min(f.rows or 3, 3))
        return st.lists(row, min_size=max(f.min_items or 1, 1), max_size=max(most, f.min_items or 1))
    return scalar_values(f)


def records(spec: FormSpec) -> st.SearchStrategy[Record]:
    parts: dict[str, st.SearchStrategy[object]] = {f.name: field_values(f) for f in spec.fields}
    return cast(st.SearchStrategy[Record], st.fixed_dictionaries(parts))
