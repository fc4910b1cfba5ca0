"""A roster with the clerk's column mapping applied: its headers renamed to the form's labels."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from openpyxl import load_workbook

from baodao.docgen.mapping import ColumnMap, normalize_header
from baodao.errors import DataError
from baodao.files import atomic_path
from baodao.form_templates.catalog import Form
from baodao.office.sources import read_table


def headers_of(path: Path, form: Form) -> tuple[list[str], int]:
    """The roster's headers and the row they are on (1-based), found as generation finds them."""
    spec = form.spec
    every = [*spec.fields, *(c for f in spec.table_fields for c in f.columns)]
    known = {normalize_header(t) for f in every for t in f.labels} | {f.name for f in every}
    table = read_table(path, lambda h: normalize_header(h) in known)
    return table.headers, table.header_row


def renamed_copy(path: Path, form: Form, column_map: dict[str, str], target: Path) -> Path:
    """A copy of ``path`` whose headers named in ``column_map`` read as the labels they map to.

    A header mapped to nothing ("") is renamed so that no field takes it.
    """
    labels = {f.label for f in form.spec.fields}
    for header, label in column_map.items():
        if label and label not in labels:
            raise DataError(f"表单 {form.key} 没有字段“{label}”（列“{header}”）")
    chosen = [label for label in column_map.values() if label]
    twice = sorted({label for label in chosen if chosen.count(label) > 1})
    if twice:
        raise DataError(f"有两列都对应“{'”“'.join(twice)}”：每个字段只能由一列填写")
    _, header_row = headers_of(path, form)

    def rename(value: object) -> object:
        text = "" if value is None else str(value).strip()
        if text in column_map:
            return column_map[text] or f"（不用）{text}"
        return value

    if path.suffix.lower() == ".csv":
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("gbk")
        rows = list(csv.reader(text.splitlines()))
        rows[header_row - 1] = [str(rename(v)) for v in rows[header_row - 1]]
        with atomic_path(target) as tmp, tmp.open("w", encoding="utf-8", newline="") as fh:
            csv.writer(fh).writerows(rows)
        return target
    wb = load_workbook(path)
    ws = wb.worksheets[0]
    for cell in ws[header_row]:
        cell.value = rename(cell.value)
    with atomic_path(target) as tmp:
        wb.save(tmp)
    return target


# Headers clerks use for a field under another name. Only names whose values read as the field's type:
# 出生年月 is a date, not an age, and needs computing at the issue date.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "联系方式": ("手机号码", "手机号", "手机", "联系电话", "电话", "电话号码"),
    "联系电话": ("手机号码", "手机号", "手机", "电话", "电话号码", "联系方式"),
    "家庭住址": ("住址", "现住址", "居住地址", "家庭地址"),
    "居住地址": ("住址", "现住址", "家庭住址", "家庭地址"),
    "姓名": ("党员姓名", "名字"),
    "所属社区": ("社区", "居住社区", "居住地社区"),
    "居住地社区": ("社区", "居住社区", "所属社区"),
    "学历": ("文化程度", "最高学历"),
    "入党时间": ("入党日期", "入党年月"),
    "服务意向": ("志愿服务意向", "服务项目"),
    "报到地党组织": ("报到社区党组织", "社区党组织"),
}


@dataclass(frozen=True)
class ProblemRow:
    row: int
    name: str  # the member's name on that row, when the roster has one
    column: str
    value: str
    reason: str


@dataclass(frozen=True)
class Preview:
    """What issuing a roster would do: how its columns map, what is fed by nothing, which rows fail."""

    headers: list[str]
    mapping: dict[str, str]  # header → field label, "" for a column no field takes
    suggested: dict[str, str]  # header → label proposed for a column that matches no label
    labels: list[str]  # the form's field labels a column may feed
    absent_required: list[str]
    problems: list[ProblemRow]
    rows: int


def preview(path: Path, form: Form, column_map: dict[str, str] | None, work: Path) -> Preview:
    """The mapping a roster gets (the clerk's, else by label), and the rows that would not make a form."""
    spec = form.spec
    headers, _ = headers_of(path, form)
    source = renamed_copy(path, form, column_map, work / ("preview" + path.suffix)) if column_map else path
    every = [*spec.fields, *(c for f in spec.table_fields for c in f.columns)]
    known = {normalize_header(t) for f in every for t in f.labels} | {f.name for f in every}
    table = read_table(source, lambda h: normalize_header(h) in known)
    columns = ColumnMap(spec, table)
    mapping = {h: "" for h in headers}
    for index, f in columns.fields.items():
        if index < len(headers):
            mapping[headers[index]] = f.label
    taken = set(mapping.values())
    suggested: dict[str, str] = {}
    for header, label in mapping.items():
        if label:
            continue
        for target, names in SYNONYMS.items():
            if (
                header.strip() in names
                and target not in taken
                and any(f.label == target for f in spec.fields)
            ):
                suggested[header] = target
                taken.add(target)
                break
    name_index = next((i for i, f in columns.fields.items() if f.label == "姓名"), None)
    problems: list[ProblemRow] = []
    for row in table.rows:
        mapped = columns.map_row(row)
        cell = row.cells.get(name_index) if name_index is not None else None
        name = str(cell.value).strip() if cell is not None and cell.value is not None else ""
        problems += [ProblemRow(p.row, name, p.column, p.value, p.reason) for p in mapped.problems]
    labels = [f.label for f in spec.fields if f.type != "table"]
    absent = [f.label for f in columns.absent if f.required]
    return Preview(headers, mapping, suggested, labels, absent, problems, len(table.rows))
