"""Maps a data table's columns onto a form's fields and turns each row into a typed, validated record."""

from __future__ import annotations

from dataclasses import dataclass

from baodao.errors import DataError
from baodao.form_templates.coerce import CoerceError, coerce, coerce_scalar
from baodao.form_templates.spec import FieldSpec, FormSpec, Record, Scalar, Value
from baodao.form_templates.text import bare_label
from baodao.form_templates.validate import validate
from baodao.office.sources import SourceCell, SourceRow, SourceTable

# A header may carry a colon or a “required” asterisk the printed label does not.
_MARKS = str.maketrans("", "", ":：*＊")


def normalize_header(text: str) -> str:
    """A column header as it is matched against a form's labels and field names."""
    return bare_label(text).translate(_MARKS).lower()


@dataclass(frozen=True)
class RowProblem:
    """Why one row cannot become a form: where (row, column), what was there, and the reason."""

    row: int
    column: str
    value: str
    reason: str

    def __str__(self) -> str:
        shown = f"“{self.value}”" if self.value else "（空）"
        return f"第{self.row}行 {self.column}：{shown} {self.reason}"


@dataclass(frozen=True)
class MappedRow:
    number: int
    record: Record
    problems: tuple[RowProblem, ...]


class ColumnMap:
    """Which column feeds which field: by printed label (instructions optional) or by field name."""

    def __init__(self, spec: FormSpec, table: SourceTable) -> None:
        self.spec, self.table = spec, table
        self.fields: dict[int, FieldSpec] = {}
        taken: set[str] = set()
        for index, header in enumerate(table.headers):
            f = _match(spec.fields, header, taken)
            if f is not None and f.type != "table":
                self.fields[index] = f
                taken.add(f.name)
        self.unused = [h for i, h in enumerate(table.headers) if i not in self.fields and h]

    @property
    def absent(self) -> list[FieldSpec]:
        """Fields no column feeds: printed blank, to be filled in by hand on paper."""
        mapped = {f.name for f in self.fields.values()}
        return [f for f in self.spec.fields if f.name not in mapped and f.type != "table"]

    def column_of(self, field_name: str) -> str:
        for index, f in self.fields.items():
            if f.name == field_name:
                return self.table.column_name(index)
        return f"“{self.spec.field(field_name).label}”"

    def map_row(self, row: SourceRow) -> MappedRow:
        record: Record = {}
        problems: list[RowProblem] = []
        for index, f in self.fields.items():
            record[f.name] = read_cell(self.table, row, index, f, problems)
        for f in self.spec.table_fields:
            value = _table_cell(row, self.table, f)
            if value is not None:
                record[f.name], table_problems = _coerce_table(f, value, row.number)
                problems += table_problems
        failed = {p.column for p in problems}
        blank = {f.name for f in self.absent}
        for p in validate(self.spec, record):
            column = self.column_of(p.field)
            if column in failed or p.field in blank:
                continue  # unreadable (its coercion problem says why), or left for the person to fill in
            value = record.get(p.field)
            shown = "、".join(map(str, value)) if isinstance(value, list) and p.row is None else _shown(value)
            where = column if p.row is None else f"{column}第{p.row}行“{p.column}”"
            problems.append(RowProblem(row.number, where, shown if p.row is None else "", p.message))
        return MappedRow(row.number, record, tuple(problems))


def read_cell(
    table: SourceTable, row: SourceRow, index: int, f: FieldSpec, problems: list[RowProblem]
) -> Value:
    """Column ``index`` of ``row`` as field ``f``'s type; an unreadable value is noted in ``problems``."""
    cell = row.cells.get(index, SourceCell(None))
    try:
        return coerce(f, cell.value, cell.number_format)
    except CoerceError as exc:
        problems.append(RowProblem(row.number, table.column_name(index), _shown(cell.value), str(exc)))
        return None


def _match(fields: tuple[FieldSpec, ...], header: str, taken: set[str]) -> FieldSpec | None:
    wanted = normalize_header(header)
    if not wanted:
        return None
    for f in fields:
        names = {normalize_header(t) for t in f.labels} | {f.name.lower()}
        if wanted in names and f.name not in taken:
            return f
    return None


def _table_cell(row: SourceRow, table: SourceTable, f: FieldSpec) -> object:
    """A table field given as a list of objects in one JSON/YAML key (spreadsheets cannot nest)."""
    for index, header in enumerate(table.headers):
        if normalize_header(header) in {normalize_header(t) for t in f.labels} | {f.name}:
            cell = row.cells.get(index)
            return cell.value if cell is not None else None
    return None


def _coerce_table(
    f: FieldSpec, value: object, number: int
) -> tuple[list[dict[str, Scalar | None]], list[RowProblem]]:
    """The rows of a table field, each cell read as its column's type."""
    label = f"“{f.label}”"
    if not isinstance(value, list) or not all(isinstance(r, dict) for r in value):
        return [], [RowProblem(number, label, _shown(value), "应是一组记录（每条一个键值表）")]
    rows: list[dict[str, Scalar | None]] = []
    problems = []
    for n, raw in enumerate(value, start=1):
        out: dict[str, Scalar | None] = {}
        for key, cell in raw.items():
            col = _match(f.columns, str(key), set())
            if col is None:
                continue
            try:
                out[col.name] = coerce_scalar(col, cell)
            except CoerceError as exc:
                problems.append(RowProblem(number, f"{label}第{n}行“{col.label}”", _shown(cell), str(exc)))
        rows.append(out)
    return rows, problems


def _shown(value: object) -> str:
    if value is None:
        return ""
    text = str(value)
    return text if len(text) <= 40 else text[:40] + "…"


class TableRowsMap:
    """For a table form (汇总表, 统计表): each data row is one row of the form's table.

    Rows become one record, or one record per value of the ``group_by`` column (one 汇总表 per unit);
    columns that match the form's own fields (单位党组织, 统计时段) are taken from a group's first row.
    """

    def __init__(self, spec: FormSpec, table: SourceTable, group_by: str | None = None) -> None:
        if spec.xlsx is None:
            raise ValueError(f"{spec.key} is not a table form")
        self.spec, self.table = spec, table
        self.table_field = spec.field(spec.xlsx.table)
        self.columns: dict[int, FieldSpec] = {}
        taken: set[str] = set()
        for index, header in enumerate(table.headers):
            col = _match(self.table_field.columns, header, taken)
            if col is not None:
                self.columns[index] = col
                taken.add(col.name)
        self.scalars = ColumnMap(spec, table)
        self.group_index = None
        if group_by is not None:
            wanted = normalize_header(group_by)
            matches = [i for i, h in enumerate(table.headers) if normalize_header(h) == wanted]
            if not matches:
                have = "、".join(table.headers)
                raise DataError(f"{table.path} 中没有名为“{group_by}”的列，无法按它分组（现有列：{have}）")
            self.group_index = matches[0]
        self.unused = [
            h
            for i, h in enumerate(table.headers)
            if h and i not in self.columns and i not in self.scalars.fields and i != self.group_index
        ]

    @staticmethod
    def applies(spec: FormSpec, table: SourceTable) -> bool:
        """Whether the data looks like table rows: at least two of its headers are the table's columns."""
        if spec.xlsx is None:
            return False
        columns = spec.field(spec.xlsx.table).columns
        return sum(1 for h in table.headers if _match(columns, h, set()) is not None) >= 2

    def groups(self) -> list[list[SourceRow]]:
        if self.group_index is None:
            return [self.table.rows] if self.table.rows else []
        grouped: dict[str, list[SourceRow]] = {}
        for row in self.table.rows:
            cell = row.cells.get(self.group_index)
            key = "" if cell is None else str(cell.value).strip()
            grouped.setdefault(key, []).append(row)
        return list(grouped.values())

    def map_group(self, rows: list[SourceRow]) -> MappedRow:
        first = self.scalars.map_row(rows[0])
        record: Record = {k: v for k, v in first.record.items()}
        problems = [p for p in first.problems if not p.column.startswith(f"“{self.table_field.label}”")]
        items: list[dict[str, Scalar | None]] = []
        for row in rows:
            item: dict[str, Scalar | None] = {}
            for index, col in self.columns.items():
                value = read_cell(self.table, row, index, col, problems)
                item[col.name] = "、".join(map(str, value)) if isinstance(value, list) else value
            items.append(item)
        record[self.table_field.name] = items
        where = {col.name: self.table.column_name(i) for i, col in self.columns.items()}
        failed = {(p.row, p.column) for p in problems}
        for p in validate(self.spec, record):
            if p.field != self.table_field.name:
                continue  # the scalar fields were checked with the group's first row
            if p.row is None:
                problems.append(RowProblem(rows[0].number, f"“{self.table_field.label}”", "", p.message))
                continue
            source = rows[p.row - 1].number if p.row <= len(rows) else rows[0].number
            column = next(
                (w for name, w in where.items() if self.table_field.column(name).label == p.column),
                f"“{p.column}”",
            )
            if (source, column) not in failed:
                problems.append(RowProblem(source, column, "", p.message))
        return MappedRow(rows[0].number, record, tuple(problems))
