"""Turns a typed record into the context a template prints: dates in the form's style, padded tables."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from baodao.form_templates.spec import FieldSpec, FormSpec, Record, Scalar, Value
from baodao.form_templates.template_env import TEMPLATE_HELPERS

# Control characters break WordprocessingML; tab and newline are kept.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def clean_text(text: str) -> str:
    """``text`` without the control characters WordprocessingML cannot hold (tab and newline kept)."""
    # isprintable() is a fast C scan that is true for nearly every value; only the rest need the regex.
    return text if text.isprintable() else _CONTROL.sub("", text)


def print_scalar(f: FieldSpec, value: Scalar | None) -> str:
    """One value as the form prints it."""
    if value is None or value == "":
        return ""
    if isinstance(value, date):
        return f.date_style.format(y=value.year, m=value.month, d=value.day)
    return clean_text(str(value))


def print_value(f: FieldSpec, value: Value) -> object:
    if f.type == "table":
        rows = [
            {c.name: print_scalar(c, row.get(c.name)) for c in f.columns}
            for row in (value if isinstance(value, list) else [])
            if isinstance(row, dict)
        ]
        blank = {c.name: "" for c in f.columns}
        return rows + [dict(blank) for _ in range((f.rows or 0) - len(rows))]
    if f.type in ("choices", "list"):
        items = value if isinstance(value, list) else []
        return [clean_text(str(v)) for v in items]
    return print_scalar(f, value if not isinstance(value, list) else None)


def build_context(spec: FormSpec, record: Record, form_id: str = "") -> dict[str, Any]:
    """Everything a template of ``spec`` may name: its fields, the helpers, and the system variables."""
    context: dict[str, Any] = {f.name: print_value(f, record.get(f.name)) for f in spec.fields}
    context.update(TEMPLATE_HELPERS)
    context["form_id"] = form_id
    return context
