"""Reads spec.yaml files into FormSpec objects, refusing any key or value that does not fit."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import cast

from baodao.errors import SpecError
from baodao.form_templates.spec import (
    DEFAULT_DATE_STYLE,
    FIELD_TYPES,
    NAME_PATTERN,
    TEXT_FORMATS,
    Deadline,
    FieldSpec,
    FieldType,
    FormSpec,
    Orientation,
    Part,
    TextFormat,
    XlsxLayout,
)
from baodao.form_templates.yaml_fields import Fields, load_yaml

FORM_KEYS = {
    "key",
    "title",
    "seed",
    "appendix",
    "kind",
    "fields",
    "orientation",
    "designed_from_text",
    "design_note",
    "id_field",
    "has_receipt",
    "answers",
    "pages",
    "xlsx",
    "deadline",
    "description",
    "notes",
}
FIELD_KEYS = {
    "name",
    "label",
    "type",
    "required",
    "printed_label",
    "options",
    "other_option",
    "min_items",
    "max_items",
    "min_length",
    "max_length",
    "minimum",
    "maximum",
    "format",
    "date_style",
    "columns",
    "rows",
    "part",
    "unlabeled",
    "rule",
    "sample",
}
DEADLINE_KEYS = {"date", "rule"}
XLSX_KEYS = {"table", "header_row", "first_row", "cells"}


SPEC_FILE_KIND = "表单说明文件"


def _fields(source: Path, where: str, data: object, allowed: set[str]) -> Fields:
    return Fields(source, SPEC_FILE_KIND, SpecError, where, data, allowed)


def read_field(source: Path, where: str, data: object, in_table: bool = False) -> FieldSpec:
    """One field (or table column) of a spec, checked for consistency."""
    r = _fields(source, where, data, FIELD_KEYS)
    name = r.text("name", required=True)
    if not NAME_PATTERN.match(name):
        r.fail("name", f"“{name}”应为小写英文字母、数字和下划线（snake_case）")
    ftype = cast(FieldType, r.choice("type", FIELD_TYPES, None) or r.fail("type", "缺少此项"))
    if in_table and ftype in ("table", "choices", "list"):
        r.fail("type", "表格的列只能是单个值（text、integer、date、choice）")
    columns: tuple[FieldSpec, ...] = ()
    if ftype == "table":
        raw = r.get("columns", list, True, [])
        columns = tuple(read_field(source, f"{where}.columns[{i}]", c, True) for i, c in enumerate(raw))
        _check_unique(r, "columns", [c.name for c in columns])
    elif "columns" in r.data:
        r.fail("columns", "只有 table 类型的字段才有 columns")
    options = r.texts("options")
    if ftype in ("choice", "choices") and not options:
        r.fail("options", f"{ftype} 类型的字段须列出印在表上的选项")
    other = r.text("other_option")
    if other is not None and other not in options:
        r.fail("other_option", f"“{other}”不在 options 中")
    spec = FieldSpec(
        name=name,
        label=r.text("label", required=True),
        type=ftype,
        required=r.flag("required"),
        printed_label=r.text("printed_label"),
        options=options,
        other_option=other,
        min_items=r.integer("min_items"),
        max_items=r.integer("max_items"),
        min_length=r.integer("min_length"),
        max_length=r.integer("max_length"),
        minimum=r.integer("minimum"),
        maximum=r.integer("maximum"),
        format=cast(TextFormat | None, r.choice("format", TEXT_FORMATS, None)),
        date_style=r.text("date_style", default=DEFAULT_DATE_STYLE),
        columns=columns,
        rows=r.integer("rows"),
        part=cast(Part, r.choice("part", ("main", "receipt"), "main")),
        unlabeled=r.flag("unlabeled"),
        rule=r.text("rule"),
        sample=r.data.get("sample"),
    )
    if spec.min_items is not None and spec.type not in ("choices", "list", "table"):
        r.fail("min_items", "只有 choices、list、table 类型才有条数限制")
    if spec.printed_label is not None and spec.label not in spec.printed_label:
        r.fail("printed_label", f"印刷标签应包含标签“{spec.label}”")
    return spec


def read_spec(path: Path) -> FormSpec:
    """Load and validate one spec.yaml."""
    r = _fields(path, "", load_yaml(path, SPEC_FILE_KIND, SpecError), FORM_KEYS)
    raw_fields = r.get("fields", list, True, [])
    fields = tuple(read_field(path, f"fields[{i}]", f) for i, f in enumerate(raw_fields))
    _check_unique(r, "fields", [f.name for f in fields])
    xlsx = None
    if r.data.get("xlsx") is not None:
        x = r.nested("xlsx", r.data["xlsx"], XLSX_KEYS)
        xlsx = XlsxLayout(
            table=x.text("table", required=True),
            header_row=x.integer("header_row", required=True),
            first_row=x.integer("first_row", required=True),
            cells=tuple((str(k), str(v)) for k, v in (x.get("cells", dict, False, {})).items()),
        )
    spec = FormSpec(
        key=r.text("key", required=True),
        title=r.text("title", required=True),
        seed=r.text("seed", required=True),
        appendix=r.text("appendix", required=True),
        kind=r.text("kind", required=True),
        fields=fields,
        orientation=cast(Orientation, r.choice("orientation", ("portrait", "landscape"), "portrait")),
        designed_from_text=r.flag("designed_from_text"),
        design_note=r.text("design_note"),
        id_field=r.text("id_field"),
        has_receipt=r.flag("has_receipt"),
        answers=r.text("answers"),
        pages=r.integer("pages", default=1),
        xlsx=xlsx,
        deadline=_deadline(r),
        description=r.text("description", default=""),
        notes=r.texts("notes"),
    )
    if spec.key != path.parent.name:
        r.fail("key", f"“{spec.key}”应与所在文件夹名“{path.parent.name}”一致")
    if spec.designed_from_text and not spec.design_note:
        r.fail("design_note", "依据文字设计的表单须说明依据哪段文字")
    if spec.id_field is not None and spec.id_field not in spec.field_names:
        r.fail("id_field", f"“{spec.id_field}”不是本表的字段")
    if xlsx is not None and xlsx.table not in [f.name for f in spec.table_fields]:
        r.fail("xlsx.table", f"“{xlsx.table}”不是本表的表格字段")
    for name, _ in xlsx.cells if xlsx is not None else ():
        if name not in spec.field_names:
            r.fail("xlsx.cells", f"“{name}”不是本表的字段")
    if spec.has_receipt != any(f.part == "receipt" for f in fields):
        r.fail("has_receipt", "有回执的表单须把回执上的字段标为 part: receipt，反之亦然")
    return spec


def _deadline(r: Fields) -> Deadline | None:
    if r.data.get("deadline") is None:
        return None
    d = r.nested("deadline", r.data["deadline"], DEADLINE_KEYS)
    month_day = d.text("date", required=True)
    try:
        month, day = (int(p) for p in month_day.split("-"))
        date(2000, month, day)  # a leap year, so 02-29 is allowed
    except ValueError:
        d.fail("date", f"“{month_day}”应写成 月-日，如 10-25")
    return Deadline(month, day, d.text("rule", required=True))


def _check_unique(r: Fields, key: str, names: list[str]) -> None:
    seen: set[str] = set()
    for n in names:
        if n in seen:
            r.fail(key, f"名称“{n}”重复")
        seen.add(n)
