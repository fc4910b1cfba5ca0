"""Reading a table field: its header row found by the column labels, then each filled row below it."""

from __future__ import annotations

from baodao.form_templates.spec import FieldSpec
from baodao.intake.grid import Cell, Grid, Table
from baodao.intake.labels import norm

# Rows that close a record table in the seeds' forms: remarks, notes, totals.
_CLOSERS = ("备注", "注", "半年积分情况", "合计", "小计")


def read_table_rows(grid: Grid, f: FieldSpec) -> list[dict[str, str]] | None:
    """The rows of table field ``f`` as raw texts by column name, or None when no header row is found.

    A header that repeats the columns side by side (two groups of 序号/时间/内容/积分) is read group by
    group; blank rows and rows of dots are skipped.
    """
    for table in grid.tables:
        for r in range(table.n_rows):
            groups = _header_groups(table, r, f)
            if groups:
                r = _second_header_row(table, r, f, groups)
                placed = {name for g in groups for name in g}
                inline = {norm(t): c.name for c in f.columns if c.name not in placed for t in c.labels}
                return _rows_below(table, r, groups, inline)
    return None


def _second_header_row(table: Table, row: int, f: FieldSpec, groups: list[dict[str, int]]) -> int:
    """A header in two rows (活动次数 over 联席会 / 主题党日 / 志愿服务): add the lower row's columns to
    the first group and return the row the header ends on."""
    if row + 1 >= table.n_rows:
        return row
    placed = {name for g in groups for name in g}
    wanted = {norm(t): col.name for col in f.columns if col.name not in placed for t in col.labels}
    lower = {wanted[norm(c.text)]: c.col for c in table.row_cells(row + 1) if norm(c.text) in wanted}
    if not lower:
        return row
    groups[0].update(lower)
    return row + 1


def _header_groups(table: Table, row: int, f: FieldSpec) -> list[dict[str, int]]:
    """For each repetition of the column labels in ``row``: column name → grid column."""
    wanted = {norm(t): col.name for col in f.columns for t in col.labels}
    groups: list[dict[str, int]] = []
    for cell in table.row_cells(row):
        name = wanted.get(norm(cell.text))
        if name is None:
            continue
        if not groups or name in groups[-1]:
            groups.append({})
        groups[-1][name] = cell.col
    return [g for g in groups if len(g) >= min(2, len(f.columns))]


def _inline_columns(cells: list[Cell], inline: dict[str, str]) -> dict[str, str]:
    """Columns printed as “7月份：…” lines inside a cell of the row, not under headers of their own."""
    found: dict[str, str] = {}
    for cell in cells:
        for line in cell.text.split("\n"):
            head, sep, rest = line.partition("：") if "：" in line else line.partition(":")
            name = inline.get(norm(head)) if sep else None
            if name is not None:
                found[name] = rest.strip()
    return found


def _rows_below(
    table: Table, header: int, groups: list[dict[str, int]], inline: dict[str, str]
) -> list[dict[str, str]]:
    per_group: list[list[dict[str, str]]] = [[] for _ in groups]
    r = header + 1
    while r < table.n_rows:
        first = table.row_cells(r)
        if first and norm(first[0].text).startswith(_CLOSERS):
            break
        for g, columns in enumerate(groups):
            values = {}
            for name, col in columns.items():
                cell = table.at(r, col)
                values[name] = cell.text.strip() if cell is not None and cell.row == r else ""
            if g == 0:
                values.update(_inline_columns(first, inline))
            if any(v and not _filler(v) for v in values.values()):
                per_group[g].append(values)
        r += 1
    return [row for rows in per_group for row in rows]


def _filler(text: str) -> bool:
    """Dots, dashes and underscores that mark an empty or continued row."""
    return all(ch in ".。…-—_·" for ch in text.replace(" ", ""))
