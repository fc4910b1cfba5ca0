"""A roster checked before issuing: how its columns map (the clerk's choices, then labels), with suggestions,
the required fields nothing feeds, and the rows that would not make a form."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path

from baodao.docgen.mapping import ColumnMap, suggest_mapping
from baodao.form_templates.catalog import Form
from baodao.form_templates.text import normalize_header
from baodao.office.sources import SourceTable, read_table


@dataclass(frozen=True)
class Suggested:
    key: str  # the column_map key: a header, or “工作单位+职务”
    label: str
    how: str  # what the suggestion is, in a clerk's words

    @property
    def joined(self) -> bool:
        return "+" in self.key


@dataclass(frozen=True)
class ProblemRow:
    row: int
    name: str  # the member on that row, when the roster names one
    column: str
    value: str
    reason: str


@dataclass(frozen=True)
class Preview:
    """What issuing a roster would do."""

    headers: list[str]
    mapping: dict[str, str]  # header → the field label it feeds alone ("" none)
    joins: dict[str, str]  # “工作单位+职务” → the label those columns feed joined
    suggested: list[Suggested]  # for required and optional fields no column feeds
    labels: list[str]  # every field label a column may feed
    absent_required: list[str]  # required fields nothing feeds and nobody said to leave blank
    blank: list[str]  # required fields left for handwriting, as the clerk chose
    problems: list[ProblemRow]
    rows: int


def read_roster(path: Path, form: Form, column_map: Mapping[str, str]) -> SourceTable:
    """The roster as generation reads it: the header row found by the labels and the clerk's headers."""
    spec = form.spec
    every = [*spec.fields, *(c for f in spec.table_fields for c in f.columns)]
    known = {normalize_header(t) for f in every for t in f.labels} | {f.name for f in every}
    known |= {normalize_header(part) for key in column_map for part in key.split("+")}
    return read_table(path, lambda h: normalize_header(h) in known)


def preview(
    path: Path, form: Form, column_map: Mapping[str, str], blank: Collection[str], issue_date: dt.date
) -> Preview:
    """How ``path`` maps onto ``form`` with the clerk's ``column_map`` and ``blank``, row by row."""
    spec = form.spec
    table = read_roster(path, form, column_map)
    columns = ColumnMap(spec, table, column_map, blank, issue_date)
    mapping = {h: "" for h in table.headers if h}
    joins: dict[str, str] = {}
    for name, source in columns.sources.items():
        label = spec.field(name).label
        headers = [table.headers[i] for i in source.indices]
        if source.how == "join":
            joins["+".join(headers)] = label
            for h in headers:
                mapping.pop(h, None)
        else:
            mapping[headers[0]] = label
    free = [h for i, h in enumerate(table.headers) if i not in columns.used and h]
    suggested = [Suggested(*s.mapping, s.describe()) for s in suggest_mapping(spec, free)]
    problems = []
    for row in table.rows:
        problems += [
            ProblemRow(p.row, p.who, p.column, p.value, p.reason) for p in columns.map_row(row).problems
        ]
    return Preview(
        headers=[h for h in table.headers if h],
        mapping=mapping,
        joins=joins,
        suggested=suggested,
        labels=[f.label for f in spec.fields if f.type != "table"],
        absent_required=[f.label for f in columns.missing],
        blank=[f.label for f in columns.absent if f.required and f.name in columns.blank],
        problems=problems,
        rows=len(table.rows),
    )
