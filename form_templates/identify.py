"""Tells which form a template file is: by the key baodao stores in its properties, else by its title."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from baodao.errors import TemplateError
from baodao.form_templates.catalog import forms
from baodao.form_templates.spec import FormSpec

_KEYWORDS = re.compile(rb"<cp:keywords>([^<]*)</cp:keywords>")
_TEXT = re.compile(rb"<w:t(?: [^>]*)?>([^<]*)</w:t>")


def form_of_template(path: Path) -> FormSpec:
    """The spec a (possibly clerk-edited) template belongs to."""
    try:
        with zipfile.ZipFile(path) as zf:
            core = zf.read("docProps/core.xml") if "docProps/core.xml" in zf.namelist() else b""
            body = zf.read("word/document.xml")
    except (OSError, zipfile.BadZipFile, KeyError) as exc:
        raise TemplateError(f"无法打开模板 {path}：不是有效的 Word 文档（{exc}）") from exc
    catalog = {f.key: f.spec for f in forms()}
    match = _KEYWORDS.search(core)
    if match and match.group(1).decode("utf-8", "replace").strip() in catalog:
        return catalog[match.group(1).decode().strip()]
    text = b"".join(_TEXT.findall(body)).decode("utf-8", "replace")
    by_title = sorted((s for s in catalog.values() if s.title in text), key=lambda s: -len(s.title))
    if by_title:
        return by_title[0]
    raise TemplateError(f"无法识别模板 {path} 属于哪个表单：请用 --form 指定表单编号（如 zz-b1）。")
