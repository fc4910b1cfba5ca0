"""A batch: a data file in, one filled form per record, a combined print file, and the issuance register.

Every row is validated before anything is written; bad rows are reported (or, strictly, stop the batch).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from baodao.docgen.duplex import pad_for_duplex
from baodao.docgen.filing import FilingItem, write_each
from baodao.docgen.ids import check_id, file_stem, form_id, recipient
from baodao.docgen.issued import IssuedForm, Register
from baodao.docgen.mapping import (
    ALIASES,
    ColumnMap,
    MappedRow,
    MissingColumnsError,
    Suggestion,
    TableRowsMap,
    suggest_mapping,
    who_of,
)
from baodao.docgen.outputs import OutputFolder
from baodao.docgen.report import write_problem_report
from baodao.errors import DataError, write_failure
from baodao.form_templates.catalog import Form
from baodao.form_templates.spec import FormSpec
from baodao.form_templates.text import normalize_header
from baodao.office.pdf import convert_to_pdf
from baodao.office.sources import RowProblem, SourceTable, read_table

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
    # roster header → field label or name; “工作单位+职务” joins two columns (a space between)
    column_map: Mapping[str, str] = field(default_factory=dict)
    blank: frozenset[str] = frozenset()  # required fields (label or name) left for handwriting
    # Only the data rows [start, end) are made (a chunk of a big batch); the rows before count for duplicate
    # ids, so chunks made apart give what one run gives. None: every row.
    rows: tuple[int, int] | None = None


@dataclass(frozen=True)
class DueDate:
    """The date issued forms are due back, and where it comes from."""

    date: dt.date | None
    rule: str = ""  # the seed clause of the form's deadline; empty when the user gave the date
    given: bool = False  # the user gave it (--due)
    next_year: bool = False  # this year's deadline had passed on the issue date


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
    issue_date: dt.date | None = None
    due: DueDate = DueDate(None)
    removed_report: Path | None = None  # an earlier run's 问题行 file, gone now the rows are good
    # unused columns that likely feed an optional field no column feeds (文化程度 → 学历)
    suggestions: list[Suggestion] = field(default_factory=list)

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
    known = _known_headers(form.spec, options.column_map)
    table = read_table(data, lambda h: normalize_header(h) in known, options.sheet)
    return generate_table(form, table, options, register, progress)


def splittable_rows(form: Form, data: Path, options: GenerateOptions) -> int | None:
    """How many data rows ``data`` has for ``form``, when a batch of it can be made in parts
    (``options.rows``); None for a form whose one document gathers many rows (a table form)."""
    known = _known_headers(form.spec, options.column_map)
    table = read_table(data, lambda h: normalize_header(h) in known, options.sheet)
    if TableRowsMap.applies(form.spec, table):
        return None
    return len(table.rows)


def generate_table(
    form: Form,
    table: SourceTable,
    options: GenerateOptions,
    register: Register | None = None,
    progress: Callable[[int], object] = lambda n: None,
) -> GenerateResult:
    """Generate ``form`` for every good row of ``table``: the rows of a data file, or rows a job made.

    Stops before writing anything when a required field has no column and is not in ``options.blank``,
    when ``--strict`` finds a bad row, or when no row is good.
    """
    spec, data = form.spec, table.path
    if TableRowsMap.applies(spec, table):
        rows_map = TableRowsMap(
            spec, table, options.group_by, options.column_map, options.blank, options.issue_date
        )
        _require(form, rows_map.scalars, data)
        mapped = [rows_map.map_group(group) for group in rows_map.groups()]
        unused, absent = rows_map.unused, rows_map.scalars.absent
    else:
        if options.group_by is not None:
            raise DataError(f"表单 {form.key} 不是汇总类表格，不能按列分组（--group-by 只用于表格类表单）")
        columns = ColumnMap(spec, table, options.column_map, options.blank, options.issue_date)
        _check_columns(form, columns, data)
        _require(form, columns, data)
        mapped = [columns.map_row(r) for r in table.rows]
        unused, absent = columns.unused, columns.absent
    blank = [f.label for f in absent if f.required]
    unfed = {f.name for f in absent if not f.required}
    result = GenerateResult(
        spec.key,
        rows=len(table.rows),
        unused_columns=unused,
        blank_fields=blank,
        issue_date=options.issue_date,
        due=due_date(spec, options),
        suggestions=[s for s in suggest_mapping(spec, unused) if s.field in unfed],
    )
    planned = _plan(form, mapped, result)
    if options.strict and result.problems:
        raise DataError(_strict_message(data, result.problems))
    if not planned:
        raise DataError(
            f"{data} 中没有可生成的行（共 {len(table.rows)} 行，均有问题）。" + _first(result.problems)
        )
    if options.rows is not None and not TableRowsMap.applies(spec, table):
        start, end = options.rows
        ours = {r.number for r in table.rows[start:end]}
        result.rows = len(ours)
        result.problems = [p for p in result.problems if p.row in ours]
        planned = [p for p in planned if p.row.number in ours]
        if not planned:  # every row of this part has a problem: the other parts have the forms
            return result
    combined_name = f"{spec.key}-combined.docx"
    names = [p.stem + ".docx" for p in planned] + ([p.stem + ".xlsx" for p in planned] if form.xlsx else [])
    report_name = f"{spec.key}-问题行.xlsx"
    names += [combined_name, combined_name.replace(".docx", ".pdf"), report_name]
    try:
        folder = OutputFolder(options.outdir, options.force)
        earlier_report = report_name in folder.ours  # baodao's own, from an earlier run of this batch
        folder.claim(names)
        _write_forms(form, planned, options, result, progress)
        report = options.outdir / report_name
        if result.problems:
            result.report = write_problem_report(result.problems, report, data)
        elif earlier_report and report.exists():
            report.unlink()  # its rows are good now: old problems would send a clerk looking for them
            result.removed_report = report
    except OSError as exc:  # the disk filled up, or the folder cannot be written: the data was fine
        raise write_failure(options.outdir, exc) from exc
    if register is not None:
        _register(form, planned, options, data, result, register)
    return result


def due_date(spec: FormSpec, options: GenerateOptions) -> DueDate:
    """``options.due_date``, else the form's deadline on or after the issue date."""
    if options.due_date is not None:
        return DueDate(options.due_date, given=True)
    if spec.deadline is None:
        return DueDate(None)
    due = spec.deadline.after(options.issue_date)
    return DueDate(due, spec.deadline.rule, next_year=due.year > options.issue_date.year)


def _known_headers(spec: FormSpec, column_map: Mapping[str, str]) -> set[str]:
    """Titles that mark a data file's header row: labels, names, aliases and the user's mapped columns."""
    every = [*spec.fields, *(c for f in spec.table_fields for c in f.columns)]
    known = {normalize_header(t) for f in every for t in f.labels} | {f.name.lower() for f in every}
    known |= {a for group in ALIASES for a in group}
    known |= {normalize_header(part) for key in column_map for part in key.split("+")}
    return known


def _require(form: Form, columns: ColumnMap, data: Path) -> None:
    try:
        columns.require_all(data.name)
    except MissingColumnsError as exc:
        if form.spec.answers is None:
            raise
        # A receipt answers a form already issued: its rows come from the register, not from a roster.
        raise MissingColumnsError(
            f"{_answers(form)}\n{exc}",
            form.key,
            exc.missing,
            exc.suggestions,
        ) from exc


def _check_columns(form: Form, columns: ColumnMap, data: Path, table_form: bool = False) -> None:
    if not columns.sources and not table_form:
        labels = "、".join(f.label for f in form.spec.fields if f.type != "table")
        if form.spec.answers is not None:
            raise MissingColumnsError(
                f"{_answers(form)}\n{data} 的表头与表单 {form.key} 的字段对不上。",
                form.key,
                columns.missing,
                [],
            )
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
                RowProblem(
                    row.number, label, ident, f"与第{seen[ident]}行重复，未重复生成", who_of(spec, record)
                )
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
    due = result.due.date
    entries = [
        IssuedForm(form.key, p.ident, p.who, options.issuer, options.issue_date, due, str(data), p.row.number)
        for p in planned
    ]
    result.registered, result.already_registered = register(entries)


def _answers(form: Form) -> str:
    issued = form.spec.answers
    return (
        f"{form.key}（{form.spec.title}）是 {issued} 的回执，应按已发放的 {issued} 逐份生成"
        "（按编号配对），不按名册生成。"
    )


def _first(problems: list[RowProblem]) -> str:
    return f"例如：{problems[0]}" if problems else ""


def _strict_message(data: Path, problems: list[RowProblem]) -> str:
    shown = "\n".join(f"  {p}" for p in problems[:STRICT_SHOWN])
    more = f"\n  ……另有 {len(problems) - STRICT_SHOWN} 处" if len(problems) > STRICT_SHOWN else ""
    rows = len({p.row for p in problems})
    return f"{data} 有 {rows} 行不符合要求（--strict：未生成任何文件）：\n{shown}{more}"
