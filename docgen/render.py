"""Renders a DOCX template with a record, in a jinja2 sandbox with autoescaping."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docxtpl import DocxTemplate
from jinja2 import TemplateError as JinjaTemplateError
from jinja2 import Undefined
from jinja2.sandbox import SandboxedEnvironment

from baodao.errors import RenderError, TemplateError
from docgen.context import build_context
from docgen.output import atomic_path
from form_templates.spec import FormSpec, Record


def jinja_environment() -> SandboxedEnvironment:
    """Templates are edited by users, so they render sandboxed: no attribute tricks, no imports."""
    return SandboxedEnvironment(undefined=Undefined, autoescape=True)


def ensure_cell_paragraphs(body: Any) -> None:
    """Give every table cell a paragraph: a cell that held only a loop over an empty list is left without
    one, which Word calls a corrupt file and LibreOffice answers by dropping the cell."""
    for tc in body.iter(qn("w:tc")):
        if tc.find(qn("w:p")) is None:
            tc.append(OxmlElement("w:p"))


def render_docx(template: Path, spec: FormSpec, record: Record, out: Path, form_id: str = "") -> Path:
    """Fill ``template`` with ``record`` and write ``out`` atomically."""
    try:
        doc = DocxTemplate(str(template))
        doc.render(build_context(spec, record, form_id), jinja_environment(), autoescape=True)
        ensure_cell_paragraphs(doc.docx.element.body)
    except JinjaTemplateError as exc:
        raise TemplateError(
            f"模板 {template} 的标记有误（第 {getattr(exc, 'lineno', '?')} 处）：{exc}"
        ) from exc
    except (OSError, KeyError, ValueError) as exc:
        raise RenderError(f"无法用模板 {template} 生成表单 {spec.key}：{exc}") from exc
    with atomic_path(out) as tmp:
        doc.save(str(tmp))
    return out
