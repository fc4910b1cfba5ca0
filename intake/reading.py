"""From a parsed file to its record: not a combined print file, which form it is, and its values."""

from __future__ import annotations

from pathlib import Path

from baodao.form_templates.catalog import Form
from baodao.intake.extract import extract, to_json
from baodao.intake.grid import Grid
from baodao.intake.identify import identify
from baodao.intake.model import ReadRecord, Rejected
from baodao.intake.patterns import template_guide


def from_grid(path: Path, grid: Grid) -> ReadRecord | Rejected:
    """The record a parsed file holds, or why it holds none."""
    if "baodao.forms" in grid.properties:
        count = grid.properties["baodao.forms"]
        return Rejected(path, f"这是 baodao 的合并打印文件（{count} 份表单），不是交回的单份表单，未读取")
    found = identify(grid)
    if found is None:
        return Rejected(path, "认不出是哪一种表单：没有 baodao 的编号，标题和栏目也对不上目录中的表单")
    return read_as(path, grid, found.form, found.form_id)


def read_as(path: Path, grid: Grid, form: Form, form_id: str | None) -> ReadRecord:
    """The record ``grid`` holds as ``form``, already identified."""
    values, issues = extract(grid, form.spec, template_guide(form.docx))
    fields = to_json(values)
    if form_id is None and form.spec.id_field is not None:
        given = fields.get(form.spec.id_field)
        form_id = given if isinstance(given, str) and given else None
    return ReadRecord(path, form.key, form_id, fields, issues)
