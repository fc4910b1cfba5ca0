"""Reads the data a batch is generated from: an Excel roster (Chinese headers), CSV, JSON or YAML."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

import yaml
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from baodao.errors import DataError
from baodao.text import without_controls, without_invisible

HEADER_SCAN_ROWS = 10
CSV_ENCODINGS = ("utf-8-sig", "gb18030")  # gb18030 reads every GBK file Excel saves on Chinese Windows


@dataclass(frozen=True)
class RowProblem:
    """Why one row of a user's table was not taken: where, whose, what was there, and the reason.

    Generation (roster → forms) and the tally (rosters, ledgers) both report with it, so a clerk reads
    one style: “第14行 张三 C列（性别）：“难” 不是可选项（男、女）”.
    """

    row: int
    column: str  # “C列（性别）” or “"性别"”; empty when the row as a whole is at fault
    value: str  # as written, shortened; empty when the cell was empty
    reason: str
    who: str = ""  # the member or unit the row is about, so nobody has to count rows to find it
    path: Path | None = None  # the file, where problems of several files are listed together

    def __str__(self) -> str:
        where = f"{self.path.name} " if self.path is not None else ""
        where += f"第{self.row}行" + (f" {self.who}" if self.who else "")
        if not self.column:
            return f"{where}：{self.reason}"
        shown = f"“{self.value}”" if self.value else "（空）"
        return f"{where} {self.column}：{shown} {self.reason}"


@dataclass(frozen=True)
class SourceCell:
    """A cell's value as stored, with the spreadsheet's display format when there is one."""

    value: object
    number_format: str | None = None

    def __post_init__(self) -> None:
        # Text enters here. A control character (Word's Shift+Enter leaves \x0b in pasted text) would break
        # the DOCX and XLSX written from it, and a right-to-left override would print a name reversed:
        # both are left out, line breaks stay line breaks. JSON and YAML cells may nest lists and objects.
        object.__setattr__(self, "value", _cleaned(self.value))


@dataclass(frozen=True)
class SourceRow:
    """One data row; ``number`` is the row number the user sees (Excel row, CSV line, list position)."""

    number: int
    cells: dict[int, SourceCell]


@dataclass
class SourceTable:
    """The rows of a data file under their header row."""

    path: Path
    headers: list[str]
    header_row: int
    rows: list[SourceRow] = field(default_factory=list)
    columns_are_letters: bool = False

    def column_name(self, index: int) -> str:
        """“第C列（联系方式）” for spreadsheets and CSV, the key for JSON/YAML."""
        header = self.headers[index]
        if self.columns_are_letters:
            return f"{get_column_letter(index + 1)}列（{header}）"
        return f"“{header}”"


def read_table(path: Path, is_header: Callable[[str], bool], sheet: str | None = None) -> SourceTable:
    """Read ``path`` by its suffix; ``is_header`` tells a known column title, to find the header row."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise DataError(f"找不到数据文件 {path}")
    refuse_lock_file(path)
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, is_header, sheet)
    if suffix in (".csv", ".txt"):
        return _read_csv(path, is_header)
    if suffix == ".json":
        return _read_records(path, _load_json(path))
    if suffix in (".yaml", ".yml"):
        return _read_records(path, _load_yaml(path))
    if suffix == ".xls":
        raise DataError(f"{path} 是旧版 Excel（.xls）文件：请在 Excel/WPS 中“另存为” .xlsx 后再试")
    raise DataError(f"不支持的数据文件类型 {path.suffix}：请用 .xlsx、.csv、.json 或 .yaml")


def lock_file_reason(path: Path) -> str | None:
    """Why ``path`` is no document, when it is the “~$名册.xlsx” Word/Excel leave beside an open file."""
    if not path.name.startswith("~$"):
        return None
    # Excel keeps the whole name after ~$; Word drops the first characters of a long one.
    original = path.with_name(path.name[2:])
    named = f"（{original.name}）" if original.name and original.is_file() else ""
    return f"这是 Word/Excel 打开文件时留下的临时文件，请选择原文件{named}"


def refuse_lock_file(path: Path) -> None:
    """Stop on a Word/Excel lock file: it holds no data, and openpyxl would only say “not a zip file”."""
    reason = lock_file_reason(path)
    if reason is not None:
        raise DataError(f"{path}：{reason}")


def _header_row(rows: list[list[object]], is_header: Callable[[str], bool]) -> int:
    """The row (0-based) with the most known column titles among the first ten; title rows above it and
    a roster's own extra columns (序号, 备注 …) do not matter."""
    best, best_hits = 0, 0
    for i, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        hits = sum(1 for v in row if v not in (None, "") and is_header(str(v).strip()))
        if hits > best_hits:
            best, best_hits = i, hits
    return best


def _read_xlsx(path: Path, is_header: Callable[[str], bool], sheet: str | None) -> SourceTable:
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise DataError(f"无法打开 Excel 文件 {path}：{exc}") from exc
    try:
        if sheet is not None and sheet not in wb.sheetnames:
            raise DataError(f"{path} 中没有名为“{sheet}”的工作表（现有：{'、'.join(wb.sheetnames)}）")
        ws = wb[sheet] if sheet is not None else wb.worksheets[0]
        grid = [[(c.value, getattr(c, "number_format", None)) for c in row] for row in ws.iter_rows()]
    finally:
        wb.close()
    values = [[v for v, _ in row] for row in grid]
    h = _header_row(values, is_header)
    headers = [str(v).strip() if v is not None else "" for v in (values[h] if values else [])]
    table = SourceTable(path, headers, h + 1, columns_are_letters=True)
    for i, row in enumerate(grid[h + 1 :], start=h + 2):
        cells = {c: SourceCell(v, fmt) for c, (v, fmt) in enumerate(row[: len(headers)]) if _filled(v)}
        if cells:
            table.rows.append(SourceRow(i, cells))
    return table


def _read_csv(path: Path, is_header: Callable[[str], bool]) -> SourceTable:
    raw = path.read_bytes()
    for encoding in CSV_ENCODINGS:
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise DataError(f"{path} 不是 UTF-8 或 GBK 编码的文本，无法读取")
    first = text.split("\n", 1)[0]
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    h = _header_row([list(r) for r in rows], is_header)
    headers = [c.strip() for c in rows[h]] if rows else []
    table = SourceTable(path, headers, h + 1, columns_are_letters=True)
    for i, row in enumerate(rows[h + 1 :], start=h + 2):
        cells = {c: SourceCell(v) for c, v in enumerate(row[: len(headers)]) if _filled(v)}
        if cells:
            table.rows.append(SourceRow(i, cells))
    return table


def _load_json(path: Path) -> object:
    try:
        return json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataError(f"{path} 不是有效的 JSON：{exc}") from exc


def _load_yaml(path: Path) -> object:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        raise DataError(f"{path} 不是有效的 YAML：{exc}") from exc


def _read_records(path: Path, data: object) -> SourceTable:
    """A list of objects (or {"records": [...]}); each object's keys are its column titles."""
    if isinstance(data, dict) and isinstance(data.get("records"), list):
        data = data["records"]
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise DataError(f'{path} 应是一组记录：[{{"姓名": …}}, …] 或 {{"records": [...]}}')
    records = [cast(dict[object, object], _cleaned(record)) for record in data]  # a key may hold anything
    headers: list[str] = []
    for record in records:
        headers += [str(k) for k in record if str(k) not in headers]
    position = {h: i for i, h in enumerate(headers)}
    table = SourceTable(path, headers, 0)
    for n, record in enumerate(records, start=1):
        cells = {position[str(k)]: SourceCell(v) for k, v in record.items() if _filled(v)}
        if cells:
            table.rows.append(SourceRow(n, cells))
    return table


def _filled(value: object) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _cleaned(value: object) -> object:
    if isinstance(value, str):
        return without_invisible(without_controls(value))
    if isinstance(value, list):
        return [_cleaned(v) for v in value]
    if isinstance(value, dict):
        return {_cleaned(k): _cleaned(v) for k, v in value.items()}
    return value


def sheet_names(path: Path) -> list[str]:
    """The worksheets of a workbook, in order (empty when it cannot be opened)."""
    try:
        wb = load_workbook(path, read_only=True)
    except Exception:  # the reader has already said why the file cannot be read
        return []
    try:
        return list(wb.sheetnames)
    finally:
        wb.close()
