"""Specimens: each form filled with its sample record, as DOCX (+XLSX), PDF and PNG."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from baodao.docgen.render import render_docx
from baodao.form_templates.catalog import Form
from baodao.form_templates.samples import sample_record
from baodao.office.images import pdf_to_png
from baodao.office.pdf import convert_to_pdf
from baodao.office.xlsx import fill_xlsx


def render_specimen(form: Form, outdir: Path, pdf: bool = False) -> list[Path]:
    """The form filled with sample values: DOCX, XLSX for table forms, and the PDF when asked."""
    record = sample_record(form.spec)
    made = [render_docx(form.docx, form.spec, record, outdir / f"{form.key}.docx")]
    if form.xlsx is not None:
        made.append(fill_xlsx(form.xlsx, form.spec, record, outdir / f"{form.key}.xlsx"))
    if pdf:
        made += convert_to_pdf([made[0]], outdir)
    return made


def render_gallery(
    forms: Sequence[Form], outdir: Path, progress: Callable[[int], object] = lambda n: None
) -> list[Path]:
    """Every form's specimen with its PDF (one LibreOffice run) and PNG pages."""
    made: list[Path] = []
    docs = []
    for form in forms:
        files = render_specimen(form, outdir)
        made += files
        docs.append(files[0])
    for pdf in convert_to_pdf(docs, outdir):
        made += [pdf, *pdf_to_png(pdf)]
        progress(1)
    return made
