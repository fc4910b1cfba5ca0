"""Each template's blank page as LibreOffice prints it (layout.json), which intake lays scans over.

`python -m baodao.jobs.layouts [KEY…]` (make templates) rebuilds them after a template changes.
"""

from __future__ import annotations

import json
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

from baodao.docgen.render import render_docx
from baodao.form_templates.catalog import Form, forms
from baodao.intake.layout import LAYOUT_FILE, FormLayout, read_layout
from baodao.office.pdf import convert_to_pdf


def layouts(chosen: Sequence[Form]) -> list[FormLayout]:
    """Each form's template (bundled, or an office's version) rendered blank by one LibreOffice run and
    measured as intake measures a page."""
    with tempfile.TemporaryDirectory(prefix="baodao-layout-") as work:
        docs = [
            render_docx(f.docx, f.spec, {}, Path(work) / f"{n}-{f.key}.docx") for n, f in enumerate(chosen)
        ]
        return [read_layout(pdf, f) for f, pdf in zip(chosen, convert_to_pdf(docs, Path(work)), strict=True)]


def write_layouts(keys: list[str], into: Path | None = None) -> list[Path]:
    """Render the named forms (all when none) blank through LibreOffice and write their layout files.

    They go beside each template (the bundled ones: `make templates`), or under ``into``/KEY/ when given.
    """
    chosen = [f for f in forms() if not keys or f.key in keys]
    written = []
    for form, layout in zip(chosen, layouts(chosen), strict=True):
        target = (form.folder if into is None else into / form.key) / LAYOUT_FILE
        target.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(asdict(layout), ensure_ascii=False, indent=1)
        target.write_text(text + "\n", encoding="utf-8")
        written.append(target)
    return written


if __name__ == "__main__":
    for path in write_layouts(sys.argv[1:]):
        print(f"layout {path.parent.name}")
