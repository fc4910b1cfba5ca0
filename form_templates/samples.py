"""Sample values for a form, from each field's ``sample`` in the spec or made up from its type."""

from __future__ import annotations

from datetime import date

from baodao.form_templates.spec import FieldSpec, FormSpec, Record, Scalar, Value

_SAMPLE_DATE = date(2025, 3, 12)


def sample_record(spec: FormSpec) -> Record:
    """A complete, valid record for ``spec``, for rendering a specimen of the form."""
    return {f.name: sample_value(f) for f in spec.fields}


def sample_value(f: FieldSpec) -> Value:
    if f.sample is not None:
        return _coerce_sample(f, f.sample)
    if f.type == "table":
        count = max(f.min_items or 0, 2)
        return [{c.name: _scalar_sample(c, i) for c in f.columns} for i in range(count)]
    if f.type == "choices":
        return list(f.options[: max(f.min_items or 1, 2)])
    if f.type == "list":
        return [f"{f.label}{i + 1}" for i in range(max(f.min_items or 1, 2))]
    return _scalar_sample(f, 0)


def _scalar_sample(f: FieldSpec, i: int) -> Scalar | None:
    if f.type == "integer":
        low = f.minimum if f.minimum is not None else 1
        return low + i
    if f.type == "date":
        return date(_SAMPLE_DATE.year, _SAMPLE_DATE.month, _SAMPLE_DATE.day + i)
    if f.type == "choice":
        return f.options[i % len(f.options)]
    if f.format == "phone":
        return f"1380000{i:04d}"
    if f.format == "postcode":
        return "200941"
    if f.format == "email":
        return "dangzhibu@example.cn"
    return f"{f.label}{'' if i == 0 else i + 1}"


def _coerce_sample(f: FieldSpec, raw: object) -> Value:
    """Spec samples are YAML: dates come as date objects or ISO text, tables as lists of mappings."""
    if f.type == "date" and isinstance(raw, str):
        return date.fromisoformat(raw)
    if f.type == "table" and isinstance(raw, list):
        return [{c.name: _coerce_cell(c, row.get(c.name)) for c in f.columns} for row in raw]
    if f.type in ("choices", "list") and isinstance(raw, list):
        return [str(v) for v in raw]
    if isinstance(raw, (str, int, date)):
        return raw
    return str(raw)


def _coerce_cell(c: FieldSpec, raw: object) -> Scalar | None:
    if raw is None:
        return None
    if c.type == "date" and isinstance(raw, str):
        return date.fromisoformat(raw)
    if isinstance(raw, (str, int, date)):
        return raw
    if isinstance(raw, list):
        return "、".join(str(v) for v in raw)
    return str(raw)
