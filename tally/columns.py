"""Columns of a user's spreadsheet (roster, activity ledger) found by their Chinese titles."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path

from baodao.errors import DataError
from baodao.form_templates.coerce import CoerceError, read_date
from baodao.form_templates.text import normalize_header
from baodao.office.sources import SourceRow, SourceTable, read_table, sheet_names


class Columns:
    """Where each wanted column is in a table, by any of its accepted titles."""

    def __init__(
        self,
        path: Path,
        aliases: Mapping[str, tuple[str, ...]],
        required: tuple[str, ...],
        what: str,
        sheet: str | None = None,
        chosen: Mapping[str, str] | None = None,
        strict: bool = True,
    ):
        """``chosen``: header → column name (a key of ``aliases``), the clerk's own mapping, which goes before
        the titles; a header chosen as "" is not read. Not ``strict``: required columns not found are left in
        ``missing`` (for a preview to ask for), instead of refused."""
        chosen = {normalize_header(h): n for h, n in (chosen or {}).items()}
        known = {normalize_header(a): name for name, names in aliases.items() for a in names}
        self.table: SourceTable = read_table(
            path, lambda h: normalize_header(h) in known or normalize_header(h) in chosen, sheet
        )
        self.index: dict[str, int] = {}
        for i, header in enumerate(self.table.headers):
            name = chosen.get(normalize_header(header))
            if name and name in aliases and name not in self.index:
                self.index[name] = i
        for i, header in enumerate(self.table.headers):
            key = normalize_header(header)
            name = known.get(key)
            if key not in chosen and name is not None and name not in self.index:
                self.index[name] = i
        missing = [aliases[n][0] for n in required if n not in self.index]
        self.missing = missing
        if missing and strict:
            seen = "、".join(h for h in self.table.headers if h) or "无"
            raise DataError(
                f"{path} 不像{what}：找不到“{'”“'.join(missing)}”列"
                f"（第{self.table.header_row}行的列名：{seen}）{_other_sheets(path, sheet)}"
            )

    def text(self, row: SourceRow, name: str) -> str:
        cell = row.cells.get(self.index[name]) if name in self.index else None
        if cell is None or cell.value is None:
            return ""
        value = cell.value
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value).strip()

    def date(self, row: SourceRow, name: str) -> dt.date | str | None:
        """The cell as a date; None when empty; the text as written when it is not a date."""
        cell = row.cells.get(self.index[name]) if name in self.index else None
        if cell is None or cell.value in (None, ""):
            return None
        try:
            return read_date(cell.value)
        except CoerceError:
            return str(cell.value).strip()

    def where(self, name: str) -> str:
        return self.table.column_name(self.index[name])


def _other_sheets(path: Path, sheet: str | None) -> str:
    """For a workbook: which sheet was read and which others there are (choose one with --sheet)."""
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return ""
    names = sheet_names(path)
    read = sheet if sheet is not None else (names[0] if names else "")
    others = [n for n in names if n != read]
    if not others:
        return f"。读的是工作表“{read}”"
    listed = "”“".join(others)
    return f"。读的是工作表“{read}”；其他工作表：“{listed}”，可用 --sheet 指定"
