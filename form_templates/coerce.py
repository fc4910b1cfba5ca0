"""Turns values from outside (spreadsheet cells, CSV text, text read off a returned form) into typed ones."""

from __future__ import annotations

import re
from datetime import date, datetime

from baodao.form_templates.spec import FieldSpec, Scalar, Value

# Separators people use between several items in one cell: 写作、外语 / 写作,外语 / 写作；外语 / one per line.
ITEM_SEPARATORS = re.compile(r"\s*[、,，;；/\n]\s*")
_DATE_PATTERNS = [
    re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
]
_MONTH_PATTERN = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")
_MONTH_DAY = re.compile(r"^(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_SPACES = re.compile(r"[\s\u3000]+")
_NUMBERING = re.compile(r"(^|[；;，,/\n])[ \t\u3000]*\d{1,2}[ \t\u3000]*[、.．)）][ \t\u3000]*", re.M)
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９－", "0123456789-")


class CoerceError(ValueError):
    """A value that cannot be read as its field's type; the message is for a clerk."""


def coerce(f: FieldSpec, raw: object, number_format: str | None = None, year: int | None = None) -> Value:
    """``raw`` as the typed value of field ``f``; None for an empty cell.

    ``number_format`` is the spreadsheet cell's display format, so a phone number typed as a number in a
    cell formatted "00000000000" keeps its leading zero.
    """
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if f.type == "integer":
        return _integer(raw)
    if f.type == "date":
        return _date(
            raw, month_only="{d}" not in f.date_style, year=year if "{y}" not in f.date_style else None
        )
    if f.type == "choice":
        return _option(f, _text(raw, number_format))
    if f.type == "choices":
        items = _items(raw)
        return [_option(f, item) for item in items]
    if f.type == "list":
        return _items(raw)
    if f.type == "table":
        raise CoerceError(f"“{f.label}”是表格，不能从单个单元格读取")
    return _text(raw, number_format)


def coerce_scalar(
    f: FieldSpec, raw: object, number_format: str | None = None, year: int | None = None
) -> Scalar | None:
    """A table cell's value: like ``coerce`` but always a single value."""
    value = coerce(f, raw, number_format, year)
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return value


def read_date(raw: object) -> date:
    """A whole date as people write it (2025-03-12, 2025年3月12日, an Excel date); else CoerceError."""
    return _date(raw, month_only=False)


def read_month(raw: object) -> date:
    """A date or a month as people write it (1989年5月, 1989.05, an Excel date); a month reads as its 1st."""
    return _date(raw, month_only=True)


def read_integer(raw: object) -> int:
    """A whole number as people write it (5, “5分”, “+3”, 6.0, full-width digits); else CoerceError."""
    return _integer(raw)


def _text(raw: object, number_format: str | None = None) -> str:
    if isinstance(raw, bool):
        return "是" if raw else "否"
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, int):
        zeros = re.fullmatch(r"0+", number_format or "")
        return str(raw).zfill(len(zeros.group(0))) if zeros else str(raw)
    if isinstance(raw, datetime):
        return raw.date().isoformat() if raw.time() == datetime.min.time() else raw.isoformat(" ")
    if isinstance(raw, date):
        return raw.isoformat()
    return str(raw).strip()


def _integer(raw: object) -> int:
    if isinstance(raw, bool):
        raise CoerceError(f"“{raw}”不是整数")
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        if raw.is_integer():
            return int(raw)
        raise CoerceError(f"“{raw:g}”不是整数")
    text = _SPACES.sub("", str(raw)).translate(_FULLWIDTH_DIGITS)
    text = re.sub(r"(分|岁|次|人|星|个)$", "", text)
    if re.fullmatch(r"[+-]?\d+(\.0+)?", text):
        return int(float(text))
    raise CoerceError(f"“{raw}”不是整数")


def _date(raw: object, month_only: bool, year: int | None = None) -> date:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = _SPACES.sub("", str(raw)).translate(_FULLWIDTH_DIGITS)
    for pattern in _DATE_PATTERNS:
        m = pattern.match(text)
        if m:
            return _make_date(raw, int(m[1]), int(m[2]), int(m[3]))
    m = _MONTH_PATTERN.match(text)
    if m and month_only:
        return _make_date(raw, int(m[1]), int(m[2]), 1)
    m = _MONTH_DAY.match(text)
    if m and year is not None:  # the form prints 1月11日 and states its year elsewhere (2025年上半年)
        return _make_date(raw, year, int(m[1]), int(m[2]))
    style = "2010年7月 或 2010-07" if month_only else "2025年3月12日 或 2025-03-12"
    raise CoerceError(f"“{raw}”不是日期（应写成 {style}）")


def _make_date(raw: object, y: int, m: int, d: int) -> date:
    try:
        return date(y, m, d)
    except ValueError as exc:
        raise CoerceError(f"“{raw}”不是有效的日期") from exc


def _items(raw: object) -> list[str]:
    if isinstance(raw, (list, tuple)):
        parts = [str(v).strip() for v in raw]
    else:
        # Numbering (“1、” “2.”) goes first: its 、 would otherwise split a number from its item.
        text = _NUMBERING.sub(r"\1", _text(raw))
        # Items on their own lines may contain 、 themselves; only a one-line cell is split on 、,；.
        parts = text.splitlines() if "\n" in text.strip() else ITEM_SEPARATORS.split(text)
    return [p.strip().rstrip("；;，,") for p in parts if p.strip().rstrip("；;，,")]


def _option(f: FieldSpec, text: str) -> str:
    wanted = _SPACES.sub("", text)
    for option in f.options:
        if _SPACES.sub("", option) == wanted:
            return option
    # 其它 and 其他 are the same word written two ways; seeds use both.
    if f.other_option and wanted in ("其他", "其它"):
        return f.other_option
    raise CoerceError(f"“{text}”不是“{f.label}”的选项（可选：{'、'.join(f.options)}）")
