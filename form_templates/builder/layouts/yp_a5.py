"""附件5 党员参与村居服务项目表: the member's particulars above the community's 5×4 grid of project boxes."""

from __future__ import annotations

from baodao.form_templates.builder.dsl import Cell, FormBuilder, Row

SIZES = {"body_size": 14.0, "table_size": 12.0}
GRID_COLUMNS = 4


def _box(b: FormBuilder, name: str, option: str) -> str:
    """One option of a choices field with its box, for grids that place each option in its own cell."""
    return b.tick(name, option) + option


def build(b: FormBuilder) -> None:
    b.title(after=12)
    field = b.spec.field("project_categories")
    grid = [o for o in field.options if o != field.other_option]
    label = b.label("project_categories")
    grid_rows = [grid[i : i + GRID_COLUMNS] for i in range(0, len(grid), GRID_COLUMNS)]
    rows = [
        Row(
            [
                Cell(b.label("name")),
                Cell(b.tag("name"), span=2),
                Cell(b.label("gender")),
                Cell(b.tag("gender"), span=2),
                Cell(b.label("age")),
                Cell(b.tag("age"), span=2),
            ],
            height=14,
        ),
        Row(
            [
                Cell(b.label("phone")),
                Cell(b.tag("phone"), span=3),
                Cell(b.label("specialty"), span=2),
                Cell(b.tag("specialty"), span=3),
            ],
            height=14,
        ),
        Row([Cell(b.label("available_time"), span=4), Cell(b.tag("available_time"), span=5)], height=14),
    ]
    for i, options in enumerate(grid_rows):
        head = [Cell(lines=[label[:6], label[6:]], rowspan=len(grid_rows) + 1)]
        rows.append(
            Row(
                [
                    *(head if i == 0 else []),
                    *(Cell(_box(b, "project_categories", o), span=2) for o in options),
                ],
                height=16,
            )
        )
    rows.append(
        Row(
            [
                Cell(_box(b, "project_categories", field.other_option or ""), span=2),
                Cell(b.tag("other_projects"), span=6, align="left"),
            ],
            height=22,
        )
    )
    b.table([30, 16, 16, 16, 16, 16, 16, 16, 16], rows)
    b.note(b.spec.notes[0], size=12, before=8)
    for note in b.spec.notes[1:]:
        b.note(note, size=12, before=2)
