"""Renders a DOCX template with a record, in a jinja2 sandbox with autoescaping."""

from __future__ import annotations

from pathlib import Path

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


def render_docx(template: Path, spec: FormSpec, record: Record, out: Path, form_id: str = "") -> Path:
    """Fill ``template`` with ``record`` and write ``out`` atomically."""
    try:
        doc = DocxTemplate(str(template))
        doc.render(build_context(spec, record, form_id), jinja_environment(), autoescape=True)
    except JinjaTemplateError as exc:
        raise TemplateError(
            f"模板 {template} 的标记有误（第 {getattr(exc, 'lineno', '?')} 处）：{exc}"
        ) from exc
    except (OSError, KeyError, ValueError) as exc:
        raise RenderError(f"无法用模板 {template} 生成表单 {spec.key}：{exc}") from exc
    with atomic_path(out) as tmp:
        doc.save(str(tmp))
    return out
