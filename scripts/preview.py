"""Developer preview: rebuild forms, render their samples, convert to PDF and PNG under output/preview/."""

from __future__ import annotations

import sys
from pathlib import Path

from baodao.docgen.render import render_docx
from baodao.form_templates.builder.__main__ import build
from baodao.form_templates.catalog import forms
from baodao.form_templates.samples import sample_record
from baodao.office.images import pdf_to_png
from baodao.office.pdf import convert_to_pdf

OUT = Path(__file__).resolve().parent.parent / "output" / "preview"


def main(keys: list[str]) -> None:
    chosen = [f for f in forms() if not keys or f.key in keys]
    docs = []
    for form in chosen:
        build(form)
        docs.append(render_docx(form.docx, form.spec, sample_record(form.spec), OUT / f"{form.key}.docx"))
    for pdf in convert_to_pdf(docs, OUT):
        pages = pdf_to_png(pdf, dpi=70)
        print(f"{pdf.stem}: {len(pages)} page(s): {' '.join(map(str, pages))}")


if __name__ == "__main__":
    main(sys.argv[1:])
