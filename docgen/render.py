"""Renders one DOCX form from a record (batches use PreparedDocx directly and prepare the template once)."""

from __future__ import annotations

from pathlib import Path

from baodao.docgen.context import build_context
from baodao.docgen.fastdocx import PreparedDocx
from baodao.form_templates.spec import FormSpec, Record


def render_docx(template: Path, spec: FormSpec, record: Record, out: Path, form_id: str = "") -> Path:
    """Fill ``template`` with ``record`` and write ``out`` atomically."""
    prepared = PreparedDocx(template, spec.key)
    prepared.save(prepared.render(build_context(spec, record, form_id), form_id), out)
    return out
