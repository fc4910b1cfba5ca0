"""Tells which form a template file is: by the key baodao stores in its properties, else by its title."""

from __future__ import annotations

import zipfile
from pathlib import Path

from lxml import etree

from baodao.errors import TemplateError
from baodao.form_templates import ooxml
from baodao.form_templates.catalog import forms
from baodao.form_templates.spec import FormSpec


def form_of_template(path: Path) -> FormSpec:
    """The spec a (possibly clerk-edited) template belongs to."""
    try:
        with zipfile.ZipFile(path) as zf:
            core = zf.read("docProps/core.xml") if "docProps/core.xml" in zf.namelist() else b""
            body = zf.read("word/document.xml")
        keywords = ooxml.core_keywords(core) if core else ""
        text = ooxml.texts(body)
    except (OSError, zipfile.BadZipFile, KeyError, etree.XMLSyntaxError) as exc:
        raise TemplateError(
            f"无法打开模板 {path}：它不是有效的 Word 文档（.docx）。请用 Word 或 WPS 另存为 .docx 后再试。"
        ) from exc
    catalog = {f.key: f.spec for f in forms()}
    if keywords in catalog:
        return catalog[keywords]
    by_title = sorted((s for s in catalog.values() if s.title in text), key=lambda s: -len(s.title))
    if by_title:
        return by_title[0]
    raise TemplateError(f"无法识别模板 {path} 属于哪个表单：请用 --form 指定表单编号（如 zz-b1）。")
