"""Checks a typed record against the limits its spec states; every problem is named in Chinese."""

from __future__ import annotations

import re
from dataclasses import dataclass

from baodao.form_templates.spec import FieldSpec, FormSpec, Record, Scalar, Value

_PHONE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?|\d{7,8})$")
_POSTCODE = re.compile(r"^\d{6}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one field (``column`` set when it is a table cell; ``row`` counts from 1)."""

    field: str
    label: str
    message: str
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = self.label if self.row is None else f"{self.label}第{self.row}行“{self.column}”"
        return f"{where}：{self.message}"


def validate(spec: FormSpec, record: Record) -> list[Problem]:
    """Every problem of ``record``: required fields, lengths, item counts, formats, ranges."""
    problems: list[Problem] = []
    for f in spec.fields:
        value = record.get(f.name)
        if f.type == "table":
            problems += _table(f, value)
        else:
            problems += [Problem(f.name, f.label, m) for m in check_value(f, value)]
    return problems


def check_value(f: FieldSpec, value: Value) -> list[str]:
    """The messages for one (non-table) value."""
    if value is None or value == "" or value == []:
        return ["必填项未填写"] if f.required else []
    if isinstance(value, list):
        return _items(f, value)
    return _scalar(f, value)


def _items(f: FieldSpec, items: list[str] | list[dict[str, Scalar | None]]) -> list[str]:
    messages = []
    if f.min_items is not None and len(items) < f.min_items:
        messages.append(f"至少应有{f.min_items}项，现有{len(items)}项")
    if f.max_items is not None and len(items) > f.max_items:
        messages.append(f"至多{f.max_items}项，现有{len(items)}项")
    for item in items:
        if isinstance(item, str) and f.max_length is not None and len(item) > f.max_length:
            messages.append(f"“{item[:10]}…”超过{f.max_length}字")
    return messages


def _scalar(f: FieldSpec, value: Scalar) -> list[str]:
    if isinstance(value, int) and f.type == "integer":
        if f.minimum is not None and value < f.minimum:
            return [f"{value} 小于下限 {f.minimum}"]
        if f.maximum is not None and value > f.maximum:
            return [f"{value} 大于上限 {f.maximum}"]
        return []
    if not isinstance(value, str):
        return []
    if f.max_length is not None and len(value) > f.max_length:
        return [f"共{len(value)}字，超过{f.max_length}字的限制"]
    if f.min_length is not None and len(value) < f.min_length:
        return [f"共{len(value)}字，少于{f.min_length}字"]
    return _format(f, value)


def _format(f: FieldSpec, value: str) -> list[str]:
    compact = re.sub(r"[\s\u3000]", "", value)
    if f.format == "phone" and not _PHONE.match(compact):
        return [f"“{value}”不像电话号码（手机11位，或区号-号码）"]
    if f.format == "postcode" and not _POSTCODE.match(compact):
        return [f"“{value}”不是6位邮政编码"]
    if f.format == "email" and not _EMAIL.match(compact):
        return [f"“{value}”不是电子邮箱地址"]
    if f.format == "id_number" and not _id_number_ok(compact):
        return [f"“{value}”不是有效的18位身份证号码"]
    return []


def _id_number_ok(text: str) -> bool:
    if not re.fullmatch(r"\d{17}[\dXx]", text):
        return False
    total = sum(int(d) * w for d, w in zip(text[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == text[17].upper()


def _table(f: FieldSpec, value: Value) -> list[Problem]:
    rows = [r for r in value if isinstance(r, dict)] if isinstance(value, list) else []
    filled = [r for r in rows if any(v not in (None, "") for v in r.values())]
    problems = [Problem(f.name, f.label, m) for m in _items(f, filled)]
    if f.required and not filled:
        problems.append(Problem(f.name, f.label, "必填项未填写"))
    for n, row in enumerate(filled, start=1):
        for col in f.columns:
            for m in check_value(col, row.get(col.name)):
                problems.append(Problem(f.name, f.label, m, row=n, column=col.label))
    return problems
