"""Maps a data table's columns onto a form's fields and turns each row into a typed, validated record."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from baodao.errors import DataError
from baodao.form_templates.coerce import CoerceError, coerce, coerce_scalar, read_month
from baodao.form_templates.spec import FieldSpec, FormSpec, Record, Scalar, Value
from baodao.form_templates.text import bare_label, normalize_header
from baodao.form_templates.validate import validate
from baodao.office.sources import RowProblem, SourceCell, SourceRow, SourceTable

__all__ = [
    "ColumnMap",
    "MappedRow",
    "MissingColumnsError",
    "RowProblem",
    "Suggestion",
    "TableRowsMap",
    "suggest_mapping",
]

How = Literal["label", "alias", "age_from_birth", "join"]

# Titles rosters use for what a form prints under another label; each group is one meaning.
ALIASES: tuple[frozenset[str], ...] = tuple(
    frozenset(normalize_header(t) for t in group)
    for group in (
        ("联系方式", "联系电话", "手机", "手机号", "手机号码", "电话", "电话号码", "移动电话", "联系手机"),
        ("姓名", "名字", "党员姓名"),
        ("家庭住址", "住址", "家庭地址", "居住地址", "现居住地址", "现住址", "居住地", "现居住地"),
        ("所属社区", "社区", "居住社区", "居住地社区", "报到社区"),
        ("入党时间", "入党日期", "入党年月"),
        ("学历", "文化程度"),
        ("工作单位", "单位", "所在单位", "工作单位名称", "单位名称"),
        ("职务", "职位", "岗位", "岗位职务", "职务职称"),
        ("工作单位及职务", "工作单位及岗位职务", "单位及职务", "工作单位和职务", "单位职务"),
        ("报到地党组织", "报到党组织", "社区党组织"),
    )
)
_BIRTH = ("出生", "生日")
_JOINED = re.compile("[及和与]")
JOIN_WITH = " "  # 工作单位 + 职务 → “区卫健委 科员”: the tally reads the unit up to the first space


@dataclass(frozen=True)
class Suggestion:
    """A roster column (or two) that would likely feed a form field no column feeds by its label."""

    field: str  # the spec field's name
    label: str  # its printed label
    columns: tuple[str, ...]  # the roster headers that would feed it (e.g. ("工作单位", "职务") joined)
    how: str  # "alias" | "age_from_birth" | "join"

    @property
    def mapping(self) -> tuple[str, str]:
        """The (header, field label) pair that says so in ``GenerateOptions.column_map``."""
        return "+".join(self.columns), self.label

    def describe(self) -> str:
        """“可用“手机号码”列”: what the suggestion is, in a clerk's words."""
        quoted = "".join(f"“{c}”" for c in self.columns)
        if self.how == "age_from_birth":
            return f"可由{quoted}列按发放日期算出"
        if self.how == "join":
            return f"可由{quoted}两列合并（中间空一格）"
        return f"可用{quoted}列"


def suggest_mapping(spec: FormSpec, headers: Sequence[str]) -> list[Suggestion]:
    """For each field of ``spec`` no header feeds by its label or name, the headers that likely would.

    Same meaning under another title (手机号码 → 联系方式), a birth date for an age (出生年月 → 年龄, computed
    at the issue date), or two columns joined for a label “A及B” (工作单位 + 职务 → 工作单位及职务).
    Headers that feed a field by label are not offered for another; each header is offered once.
    """
    fields = [f for f in spec.fields if f.type != "table"]
    fed: set[str] = set()
    free: list[str] = []
    for header in headers:
        f = _match(tuple(fields), header, fed)
        if f is not None:
            fed.add(f.name)
        elif normalize_header(header):
            free.append(header)
    found: list[Suggestion] = []
    for f in fields:
        if f.name in fed:
            continue
        suggestion = _suggest(f, free)
        if suggestion is not None:
            found.append(suggestion)
            free = [h for h in free if h not in suggestion.columns]
    return found


def _suggest(f: FieldSpec, free: list[str]) -> Suggestion | None:
    keys: dict[str, str] = {}
    for header in free:
        keys.setdefault(normalize_header(header), header)
    if is_age(f):
        birth = next((h for h in free if is_birth(h)), None)
        if birth is not None:
            return Suggestion(f.name, f.label, (birth,), "age_from_birth")
    own = normalize_header(f.label)
    for alias in sorted(_group_of(own) - {own}):
        if alias in keys:
            return Suggestion(f.name, f.label, (keys[alias],), "alias")
    parts = [p for p in _JOINED.split(bare_label(f.label)) if p]
    if len(parts) >= 2:
        found = [_first_of(_group_of(normalize_header(p)), keys) for p in parts]
        chosen = [c for c in found if c is not None]
        if len(chosen) == len(parts) and len(set(chosen)) == len(chosen):
            return Suggestion(f.name, f.label, tuple(chosen), "join")
    return None


def _first_of(aliases: frozenset[str], keys: dict[str, str]) -> str | None:
    return next((keys[a] for a in sorted(aliases) if a in keys), None)


def _group_of(key: str) -> frozenset[str]:
    return next((g for g in ALIASES if key in g), frozenset({key}))


def is_age(f: FieldSpec) -> bool:
    """An age, which a birth date can give."""
    return f.type == "integer" and (f.name == "age" or bare_label(f.label) == "年龄")


def is_birth(header: str) -> bool:
    """A birth date's column (出生年月, 出生日期, 生日)."""
    return any(word in normalize_header(header) for word in _BIRTH)


def age_on(birth: dt.date, day: dt.date) -> int:
    """Whole years from ``birth`` to ``day``."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


class MissingColumnsError(DataError):
    """Required fields no column feeds and nobody said to leave blank: nothing was written."""

    def __init__(
        self, message: str, form_key: str, missing: Sequence[FieldSpec], suggestions: Sequence[Suggestion]
    ):
        super().__init__(message)
        self.form_key = form_key
        self.missing = tuple(missing)
        self.suggestions = tuple(suggestions)


@dataclass(frozen=True)
class MappedRow:
    number: int
    record: Record
    problems: tuple[RowProblem, ...]


@dataclass(frozen=True)
class Source:
    """The columns (by index) one field is read from, and how."""

    indices: tuple[int, ...]
    how: How


class ColumnMap:
    """Which columns feed which field: the user's own map first, then printed label or field name.

    ``column_map`` is header → field label or name; “工作单位+职务” joins columns. A birth-date column
    mapped to an age gives the age at ``age_on``. Fields in ``blank`` are left for handwriting.
    """

    def __init__(
        self,
        spec: FormSpec,
        table: SourceTable,
        column_map: Mapping[str, str] | None = None,
        blank: Collection[str] = (),
        age_on: dt.date | None = None,
    ) -> None:
        self.spec, self.table = spec, table
        self.age_on = age_on or dt.date.today()
        self.blank = {name for b in blank for name in _blanked(spec, b)}
        self.sources: dict[str, Source] = {}
        used: set[int] = set()
        for key, target in (column_map or {}).items():
            f = field_named(spec, target)
            indices = tuple(header_index(table, part) for part in key.split("+"))
            how: How = "join" if len(indices) > 1 else "alias"
            if how == "alias" and is_age(f) and is_birth(table.headers[indices[0]]):
                how = "age_from_birth"
            self.sources[f.name] = Source(indices, how)
            used.update(indices)
        for index, header in enumerate(table.headers):
            if index in used:
                continue
            matched = _match(spec.fields, header, set(self.sources))
            if matched is not None and matched.type != "table":
                self.sources[matched.name] = Source((index,), "label")
                used.add(index)
        for name in self.blank:
            self.sources.pop(name, None)  # the member writes it by hand: its column is not printed
        self.used = {i for s in self.sources.values() for i in s.indices}
        self.unused = [h for i, h in enumerate(table.headers) if i not in self.used and h]

    @property
    def absent(self) -> list[FieldSpec]:
        """Fields no column feeds: printed blank, to be filled in by hand on paper."""
        return [f for f in self.spec.fields if f.name not in self.sources and f.type != "table"]

    @property
    def missing(self) -> list[FieldSpec]:
        """Required fields no column feeds that nobody said to leave for handwriting."""
        return [f for f in self.absent if f.required and f.name not in self.blank]

    def require_all(self, what: str) -> None:
        """Stop, naming each missing required field with the column that would likely feed it."""
        missing = self.missing
        if not missing:
            return
        headers = [h for i, h in enumerate(self.table.headers) if i not in self.used]
        wanted = {f.name for f in missing}
        suggestions = [s for s in suggest_mapping(self.spec, headers) if s.field in wanted]
        by_field = {s.field: s for s in suggestions}
        lines = [
            f"  {f.label}：" + (by_field[f.name].describe() if f.name in by_field else "数据中没有相应的列")
            for f in missing
        ]
        raise MissingColumnsError(
            f"{what} 缺少表单 {self.spec.key}（{self.spec.title}）的必填项"
            f"{'、'.join(f.label for f in missing)}，未生成任何文件，也未登记发放：\n"
            + "\n".join(lines)
            + "\n请指明每一项用哪一列，或注明哪些项留空、由本人在纸上填写。",
            self.spec.key,
            missing,
            suggestions,
        )

    def column_of(self, field_name: str) -> str:
        source = self.sources.get(field_name)
        if source is None:
            return f"“{self.spec.field(field_name).label}”"
        return "+".join(self.table.column_name(i) for i in source.indices)

    def map_row(self, row: SourceRow) -> MappedRow:
        record: Record = {}
        problems: list[RowProblem] = []
        for name, source in self.sources.items():
            record[name] = self._read(row, self.spec.field(name), source, problems)
        for f in self.spec.table_fields:
            value = _table_cell(row, self.table, f)
            if value is not None:
                record[f.name], table_problems = _coerce_table(f, value, row.number)
                problems += table_problems
        failed = {p.column for p in problems}
        for p in validate(self.spec, record):
            column = self.column_of(p.field)
            if column in failed or p.field not in self.sources:
                continue  # unreadable (its coercion problem says why), or left for the person to fill in
            value = record.get(p.field)
            shown = "、".join(map(str, value)) if isinstance(value, list) and p.row is None else _shown(value)
            where = column if p.row is None else f"{column}第{p.row}行“{p.column}”"
            problems.append(RowProblem(row.number, where, shown if p.row is None else "", p.message))
        who = who_of(self.spec, record)
        return MappedRow(row.number, record, tuple(_naming(p, who) for p in problems))

    def _read(self, row: SourceRow, f: FieldSpec, source: Source, problems: list[RowProblem]) -> Value:
        if source.how in ("label", "alias"):
            return read_cell(self.table, row, source.indices[0], f, problems)
        if source.how == "join":
            parts = [_plain(row.cells.get(i, SourceCell(None))) for i in source.indices]
            joined = JOIN_WITH.join(p for p in parts if p)
            try:
                return coerce(f, joined or None)
            except CoerceError as exc:
                problems.append(RowProblem(row.number, self.column_of(f.name), _shown(joined), str(exc)))
                return None
        cell = row.cells.get(source.indices[0], SourceCell(None))
        if cell.value is None:
            return None
        try:
            return age_on(read_month(cell.value), self.age_on)
        except CoerceError as exc:
            reason = f"{exc}：{f.label}由出生日期按 {self.age_on.isoformat()} 算出"
            problems.append(RowProblem(row.number, self.column_of(f.name), _shown(cell.value), reason))
            return None


def _blanked(spec: FormSpec, wanted: str) -> set[str]:
    """The fields left blank by ``wanted``: a name, that field; a label, every field printed with it
    (zz-c has a 负责人 for each party, and a clerk ticking “负责人 留空” means both)."""
    f = field_named(spec, wanted)
    if wanted.strip() == f.name:
        return {f.name}
    return {g.name for g in spec.fields if g.label == f.label and g.type != "table"}


def field_named(spec: FormSpec, wanted: str) -> FieldSpec:
    """The field ``wanted`` names, by label (instructions optional) or name; else a DataError listing them."""
    f = _match(spec.fields, wanted, set())
    if f is None or f.type == "table":
        labels = "、".join(f.label for f in spec.fields if f.type != "table")
        raise DataError(f"表单 {spec.key} 没有“{wanted}”这一项（可用：{labels}）")
    return f


def header_index(table: SourceTable, wanted: str) -> int:
    """The column titled ``wanted``; else a DataError listing the titles there are."""
    key = normalize_header(wanted)
    for index, header in enumerate(table.headers):
        if key and normalize_header(header) == key:
            return index
    have = "、".join(h for h in table.headers if h) or "无"
    raise DataError(f"{table.path} 中没有名为“{wanted}”的列（第{table.header_row}行的列名：{have}）")


def who_of(spec: FormSpec, record: Record) -> str:
    """Whom a row is about, by its 姓名 (or another “…name” field); never a stand-in like its 党组织."""
    names = sorted((f.name for f in spec.fields if f.type == "text" and f.name.endswith("name")), key=len)
    for name in names:
        value = record.get(name)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


def _naming(problem: RowProblem, who: str) -> RowProblem:
    if not who or problem.who:
        return problem
    return RowProblem(problem.row, problem.column, problem.value, problem.reason, who, problem.path)


def _plain(cell: SourceCell) -> str:
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    return str(value).strip()


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

    def __init__(
        self,
        spec: FormSpec,
        table: SourceTable,
        group_by: str | None = None,
        column_map: Mapping[str, str] | None = None,
        blank: Collection[str] = (),
        age_on: dt.date | None = None,
    ) -> None:
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
        self.scalars = ColumnMap(spec, table, column_map, blank, age_on)
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
            if h and i not in self.columns and i not in self.scalars.used and i != self.group_index
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
