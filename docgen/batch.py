"""A batch: a data file in, one filled form per record, a combined print file, and the issuance register.

Every row is validated before anything is written; bad rows are reported (or, strictly, stop the batch).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from baodao.docgen.duplex import pad_for_duplex
from baodao.docgen.filing import FilingItem, write_each
from baodao.docgen.ids import check_id, file_stem, form_id, recipient
from baodao.docgen.issued import IssuedForm, Register
from baodao.docgen.mapping import ColumnMap, MappedRow, RowProblem, TableRowsMap, normalize_header
from baodao.docgen.outputs import OutputFolder
from baodao.docgen.report import write_problem_report
from baodao.errors import DataError, write_failure
from baodao.form_templates.catalog import Form
from baodao.office.pdf import convert_to_pdf
from baodao.office.sources import read_table

STRICT_SHOWN = 20


@dataclass(frozen=True)
class GenerateOptions:
    """How a batch is made; ``issue_date`` and ``due_date`` go into the register."""

    outdir: Path
    pdf: bool = False
    strict: bool = False
    duplex: bool = False
    force: bool = False
    combined: bool = True
    sheet: str | None = None
    group_by: str | None = None
    issuer: str = ""
    issue_date: dt.date = field(default_factory=dt.date.today)
    due_date: dt.date | None = None


@dataclass
class GenerateResult:
    form_key: str
    rows: int = 0
    files: list[Path] = field(default_factory=list)
    combined_docx: Path | None = None
    combined_pdf: Path | None = None
    problems: list[RowProblem] = field(default_factory=list)
    report: Path | None = None
    registered: int = 0
    already_registered: int = 0
    unused_columns: list[str] = field(default_factory=list)
    blank_fields: list[str] = field(default_factory=list)

    @property
    def skipped_rows(self) -> int:
        return len({p.row for p in self.problems})


@dataclass(frozen=True)
class _Planned:
    row: MappedRow
    ident: str
    who: str
    stem: str


def generate(
    form: Form,
    data: Path,
    options: GenerateOptions,
    register: Register | None = None,
    progress: Callable[[int], object] = lambda n: None,
) -> GenerateResult:
    """Generate ``form`` for every good row of ``data`` into ``options.outdir``; ``register`` records them."""
    spec = form.spec
    every = [*spec.fields, *(c for f in spec.table_fields for c in f.columns)]
    known = {normalize_header(t) for f in every for t in f.labels} | {f.name for f in every}
    table = read_table(data, lambda h: normalize_header(h) in known, options.sheet)
    if TableRowsMap.applies(spec, table):
        rows_map = TableRowsMap(spec, table, options.group_by)
        _check_columns(form, rows_map.scalars, data, table_form=True)
        mapped = [rows_map.map_group(group) for group in rows_map.groups()]
        unused, absent = rows_map.unused, rows_map.scalars.absent
    else:
        if options.group_by is not None:
            raise DataError(f"表单 {form.key} 不是汇总类表格，不能按列分组（--group-by 只用于表格类表单）")
        columns = ColumnMap(spec, table)
        _check_columns(form, columns, data)
        mapped = [columns.map_row(r) for r in table.rows]
        unused, absent = columns.unused, columns.absent
    blank = [f.label for f in absent if f.required]
    result = GenerateResult(spec.key, rows=len(table.rows), unused_columns=unused, blank_fields=blank)
    planned = _plan(form, mapped, result)
    if options.strict and result.problems:
        raise DataError(_strict_message(data, result.problems))
    if not planned:
        raise DataError(
            f"{data} 中没有可生成的行（共 {len(table.rows)} 行，均有问题）。" + _first(result.problems)
        )
    combined_name = f"{spec.key}-combined.docx"
    names = [p.stem + ".docx" for p in planned] + ([p.stem + ".xlsx" for p in planned] if form.xlsx else [])
    report_name = f"{spec.key}-问题行.xlsx"
    names += [combined_name, combined_name.replace(".docx", ".pdf"), report_name]
    try:
        OutputFolder(options.outdir, options.force).claim(names)
        _write_forms(form, planned, options, result, progress)
        if result.problems:
            result.report = write_problem_report(result.problems, options.outdir / report_name, data)
    except OSError as exc:  # the disk filled up, or the folder cannot be written: the data was fine
        raise write_failure(options.outdir, exc) from exc
    if register is not None:
        _register(form, planned, options, data, result, register)
    return result


def _check_columns(form: Form, columns: ColumnMap, data: Path, table_form: bool = False) -> None:
    if not columns.fields and not table_form:
        labels = "、".join(f.label for f in form.spec.fields if f.type != "table")
        raise DataError(
            f"{data} 的表头与表单 {form.key}（{form.spec.title}）的字段对不上。可用的列名：{labels}"
        )


def _plan(form: Form, rows: list[MappedRow], result: GenerateResult) -> list[_Planned]:
    planned: list[_Planned] = []
    seen: dict[str, int] = {}
    stems: set[str] = set()
    spec = form.spec
    for row in rows:
        if row.problems:
            result.problems += row.problems
            continue
        record = dict(row.record)
        ident = form_id(spec, record)
        wrong = check_id(ident)
        if wrong is not None:
            label = spec.field(spec.id_field).label if spec.id_field else "内容"
            result.problems.append(RowProblem(row.number, label, ident, wrong))
            continue
        if ident in seen:
            label = spec.field(spec.id_field).label if spec.id_field else "内容"
            result.problems.append(
                RowProblem(row.number, label, ident, f"与第{seen[ident]}行重复，未重复生成")
            )
            continue
        seen[ident] = row.number
        if spec.id_field is not None and not record.get(spec.id_field):
            record[spec.id_field] = ident  # the form's own 编号 box shows the id it was issued under
        who = recipient(spec, record)
        stem = file_stem(spec.key, ident, who)
        if stem in stems:  # two long ids cut to the same name: neither file may replace the other
            stem = f"{stem[:-12]}-{row.number}"
        stems.add(stem)
        planned.append(_Planned(MappedRow(row.number, record, ()), ident, who, stem))
    return planned


def _write_forms(
    form: Form,
    planned: list[_Planned],
    options: GenerateOptions,
    result: GenerateResult,
    progress: Callable[[int], object],
) -> None:
    issued = {"baodao.issue_date": options.issue_date.isoformat()}
    result.files, result.combined_docx = write_each(
        form,
        [FilingItem(p.row.record, p.ident, p.who) for p in planned],
        [p.stem for p in planned],
        options.outdir,
        properties=issued,
        combined=options.combined,
        duplex=options.duplex,
        progress=progress,
    )
    if result.combined_docx is not None and options.pdf:
        result.combined_pdf = convert_to_pdf([result.combined_docx], options.outdir)[0]
        if options.duplex:
            pad_for_duplex(result.combined_pdf, [p.ident for p in planned])


def _register(
    form: Form,
    planned: list[_Planned],
    options: GenerateOptions,
    data: Path,
    result: GenerateResult,
    register: Register,
) -> None:
    deadline = form.spec.deadline
    due = options.due_date or (deadline.after(options.issue_date) if deadline else None)
    entries = [
        IssuedForm(form.key, p.ident, p.who, options.issuer, options.issue_date, due, str(data), p.row.number)
        for p in planned
    ]
    result.registered, result.already_registered = register(entries)


def _first(problems: list[RowProblem]) -> str:
    return f"例如：{problems[0]}" if problems else ""


def _strict_message(data: Path, problems: list[RowProblem]) -> str:
    shown = "\n".join(f"  {p}" for p in problems[:STRICT_SHOWN])
    more = f"\n  ……另有 {len(problems) - STRICT_SHOWN} 处" if len(problems) > STRICT_SHOWN else ""
    rows = len({p.row for p in problems})
    return f"{data} 有 {rows} 行不符合要求（--strict：未生成任何文件）：\n{shown}{more}"
