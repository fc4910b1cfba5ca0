"""备选志愿服务岗位目录: the 15 posts of 004 as a ruled list, printed on the blank form itself."""

from __future__ import annotations

from typing import cast

from baodao.form_templates.builder.dsl import Cell, FormBuilder, Row
from baodao.form_templates.builder.layouts._zs_kit import pad


def _cell(b: FormBuilder, i: int, column: str, fixed: object) -> str:
    """Row ``i``'s value of the ``posts`` field; the seed's own list when the record gives no posts at all
    (a blank form shows the catalogue; a filled one exactly its rows)."""
    b.spec.field("posts").column(column)
    return f"{{{{ posts[{i}].{column} if posts[0].post else '{fixed or ''}' }}}}"


def build(b: FormBuilder) -> None:
    # The list is the seed's fixed text (kept verbatim as the spec sample, where the member slip's
    # options come from too); a record may still reprint it, row by row.
    posts = b.spec.field("posts")
    entries = cast(list[dict[str, object]], posts.sample)
    b.title(after=10)
    head = Row(
        [Cell(b.column_label("posts", c.name), head=True) for c in posts.columns], height=12, repeat=True
    )
    rows = [
        Row(
            [
                Cell(_cell(b, i, c.name, p[c.name]), align="justify" if c.name == "duties" else "center")
                for c in posts.columns
            ],
            height=12,
        )
        for i, p in enumerate(entries)
    ]
    table = b.table([13, 37, 106], [head, *rows])
    for r in range(1, len(rows) + 1):
        pad(table, r, 2, 2)
