"""Which form a returned file is: by the id baodao embedded, else by its printed title and labels."""

from __future__ import annotations

import re
from dataclasses import dataclass

from baodao.form_templates.catalog import Form, forms
from baodao.form_templates.qr_payload import parse_payload
from baodao.form_templates.text import squash
from baodao.intake.grid import Grid, Paragraph
from baodao.intake.labels import norm

LABEL_SHARE = 0.6  # without a title, this share of a form's labels must be printed to name it
_PRINTED_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-]{3,}$")


@dataclass(frozen=True)
class Identified:
    """The form, the id the file carries (if any), and how it was told."""

    form: Form
    form_id: str | None
    how: str


def identify(grid: Grid) -> Identified | None:
    catalog = {f.key: f for f in forms()}
    key = grid.properties.get("baodao.form_key")
    if key in catalog:
        return Identified(catalog[key], grid.properties.get("baodao.form_id") or None, "文件属性")
    for text in grid.qr_payloads:
        parsed = parse_payload(text)
        if parsed is not None and parsed[0] in catalog:
            return Identified(catalog[parsed[0]], parsed[1], "二维码")
    text = squash(grid.title) + "\n" + squash(grid.all_text())
    by_title = [f for f in catalog.values() if squash(f.spec.title) in text]
    if by_title:
        best = max(by_title, key=lambda f: (len(f.spec.title), _label_share(grid, f)))
        return Identified(best, _printed_id(grid), "标题")
    scored = [(f, _label_share(grid, f)) for f in catalog.values()]
    form, share = max(scored, key=lambda fs: fs[1])
    if share >= LABEL_SHARE:
        return Identified(form, _printed_id(grid), "栏目")
    return None


def _label_share(grid: Grid, form: Form) -> float:
    labels = {norm(f.label) for f in form.spec.fields if not f.unlabeled}
    if not labels:
        return 0.0
    present = {norm(c.text) for t in grid.tables for c in t.cells}
    present |= {norm(line.split("：")[0]) for p in grid.paragraphs for line in [p.text]}
    return len(labels & present) / len(labels)


def _printed_id(grid: Grid) -> str | None:
    """The id baodao prints above the title (first line of the page), when the file lost its properties."""
    for block in grid.blocks[:2]:
        if isinstance(block, Paragraph) and _PRINTED_ID.match(squash(block.text)):
            return squash(block.text)
    return None
