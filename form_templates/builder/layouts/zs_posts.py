"""备选志愿服务岗位目录: the 15 posts of 004 as a ruled list, printed on the blank form itself."""

from __future__ import annotations

from form_templates.builder.dsl import Cell, FormBuilder, Row


def build(b: FormBuilder) -> None:
    # The list is fixed text of the seed; the spec sample holds it verbatim so the member slip's
    # options and this list come from one place.
    posts = b.spec.field("posts")
    b.title(after=10)
    head = Row([Cell(b.column_label("posts", c.name), head=True) for c in posts.columns], height=12, repeat=True)
    rows = [
        Row([Cell(str(p["number"])), Cell(p["post"]), Cell(p["duties"], align="justify")], height=13)
        for p in posts.sample
    ]
    b.table([13, 37, 106], [head, *rows])
