"""The form spec: one typed description of a form's fields that generation and intake both read."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Literal, get_args

FieldType = Literal["text", "integer", "date", "choice", "choices", "list", "table"]
TextFormat = Literal["phone", "postcode", "email", "id_number"]
Orientation = Literal["portrait", "landscape"]
Part = Literal["main", "receipt"]

FIELD_TYPES: tuple[str, ...] = get_args(FieldType)
TEXT_FORMATS: tuple[str, ...] = get_args(TextFormat)
NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
DEFAULT_DATE_STYLE = "{y}年{m}月{d}日"


@dataclass(frozen=True)
class FieldSpec:
    """One field of a form (or one column of a table field).

    ``label`` is the label as the appendix prints it, without bracketed instructions; ``printed_label``
    is the full printed text when it carries instructions (“技能特长（请在“□”内打√选择，可多选）”).
    """

    name: str
    label: str
    type: FieldType
    required: bool = False
    printed_label: str | None = None
    options: tuple[str, ...] = ()
    other_option: str | None = None
    min_items: int | None = None
    max_items: int | None = None
    min_length: int | None = None
    max_length: int | None = None
    minimum: int | None = None
    maximum: int | None = None
    format: TextFormat | None = None
    date_style: str = DEFAULT_DATE_STYLE
    columns: tuple[FieldSpec, ...] = ()
    rows: int | None = None
    part: Part = "main"
    unlabeled: bool = False  # printed in a fixed place with no label of its own (the date under 盖章)
    rule: str | None = None
    sample: object = None

    @property
    def labels(self) -> tuple[str, ...]:
        """Every text a header or label cell may show for this field."""
        return (self.label,) if self.printed_label is None else (self.label, self.printed_label)

    def column(self, name: str) -> FieldSpec:
        """The column of a table field called ``name``."""
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)


@dataclass(frozen=True)
class Deadline:
    """The day of the year by which an issued form is due back, and the seed clause that sets it."""

    month: int
    day: int
    rule: str

    def after(self, issued: date) -> date:
        """The first such day on or after ``issued``."""
        due = date(issued.year, self.month, self.day)
        return due if due >= issued else date(issued.year + 1, self.month, self.day)


@dataclass(frozen=True)
class XlsxLayout:
    """Where the table of a spreadsheet template sits: header row and first record row (1-based)."""

    table: str
    header_row: int
    first_row: int
    cells: tuple[tuple[str, str], ...] = ()  # (field name, cell such as "B2") for fields outside the table


@dataclass(frozen=True)
class FormSpec:
    """A form of the catalog: where it comes from, how it is printed, and its fields."""

    key: str
    title: str
    seed: str
    appendix: str
    kind: str
    fields: tuple[FieldSpec, ...]
    orientation: Orientation = "portrait"
    designed_from_text: bool = False
    design_note: str | None = None
    id_field: str | None = None
    has_receipt: bool = False
    answers: str | None = None  # the issued form a receipt answers, paired by 编号 (zz-b2 → zz-b1)
    pages: int = 1
    xlsx: XlsxLayout | None = None
    deadline: Deadline | None = None
    description: str = ""
    notes: tuple[str, ...] = field(default=())

    def field(self, name: str) -> FieldSpec:
        """The field called ``name``."""
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    @property
    def required_fields(self) -> tuple[FieldSpec, ...]:
        return tuple(f for f in self.fields if f.required)

    @property
    def table_fields(self) -> tuple[FieldSpec, ...]:
        return tuple(f for f in self.fields if f.type == "table")


# A record's values, typed by field: text → str, integer → int, date → datetime.date,
# choice → the option's printed text, choices/list → list of texts, table → list of row mappings.
Scalar = str | int | date
Value = Scalar | list[str] | list[dict[str, Scalar | None]] | None
Record = dict[str, Value]

# A field's value as it crosses a boundary (intake's JSON output, the store's JSON columns): text → str,
# integer → int, date → "YYYY-MM-DD", choice → the option's printed text, choices/list → list of str,
# table → list of {column: value}.
JsonValue = str | int | None | list[str] | list[dict[str, str | int | None]]


@dataclass(frozen=True)
class FieldIssue:
    """A doubt about one field (kept with the value, never a reason to drop it), in Chinese."""

    field: str
    message: str


def spec_as_dict(spec: FormSpec) -> dict[str, object]:
    """The spec as plain JSON-ready data (for `baodao forms --json` and scripts)."""
    from dataclasses import asdict

    def plain(value: object) -> object:
        if isinstance(value, dict):
            return {
                k: plain(v) for k, v in value.items() if v not in (None, (), [], False) or k == "required"
            }
        if isinstance(value, (list, tuple)):
            return [plain(v) for v in value]
        if isinstance(value, date):
            return value.isoformat()
        return value

    data = plain(asdict(spec))
    assert isinstance(data, dict)
    return data
