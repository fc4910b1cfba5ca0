"""Correcting a doubtful value, by field name or by the label printed on the form (CLI and workbench)."""

from __future__ import annotations

from sqlalchemy import Engine

from baodao.errors import DataError
from baodao.form_templates.catalog import get_form
from baodao.form_templates.coerce import CoerceError, coerce
from baodao.form_templates.spec import FieldSpec, FormSpec, JsonValue
from baodao.intake.extract import to_json
from baodao.store.records import Correction, correct, record


def field_of(spec: FormSpec, given: str) -> FieldSpec:
    """The field called ``given``, by name or by its printed label (spaces ignored)."""
    if given in spec.field_names:
        return spec.field(given)
    wanted = "".join(given.split())
    found = [f for f in spec.fields if "".join(f.label.split()) == wanted]
    if len(found) == 1:
        return found[0]
    labels = "、".join(f.label for f in spec.fields if f.type != "table")
    if found:
        raise DataError(
            f"表单 {spec.key} 有 {len(found)} 个字段都叫“{given}”，请用字段名（见 baodao forms show）"
        )
    raise DataError(f"表单 {spec.key} 没有字段“{given}”（可用：{labels}）")


def correct_value(engine: Engine, record_id: int, given: str, value: str, who: str) -> Correction:
    """Set one value of a record as a person typed it, read as its field's type; the change is logged."""
    spec = get_form(record(engine, record_id).form_key).spec
    f = field_of(spec, given)
    if f.type == "table":
        raise DataError(f"“{f.label}”是表格，请导出后在表格中更正")
    try:
        typed = coerce(f, value)
    except CoerceError as exc:
        raise DataError(f"“{f.label}”的值不对：{exc}") from exc
    stored: JsonValue = to_json({f.name: typed})[f.name]
    return correct(engine, record_id, f.name, stored, who)


def confirm_value(engine: Engine, record_id: int, field: str, who: str) -> Correction:
    """The value as read is right: its doubt is cleared, and that is logged like a correction."""
    row = record(engine, record_id)
    spec = get_form(row.form_key).spec
    f = field_of(spec, field)
    return correct(engine, record_id, f.name, row.fields.get(f.name), who)
