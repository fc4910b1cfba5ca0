"""The combined print file: each record on its own page, with its own rendered headers and footers."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pdfplumber
from docx import Document
from lxml import etree

from baodao.docgen.combined import CombinedDocx
from baodao.docgen.context import build_context
from baodao.docgen.fastdocx import PreparedDocx
from baodao.form_templates.catalog import get_form
from baodao.form_templates.samples import sample_record
from baodao.office.pdf import convert_to_pdf

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
IDS = ["SJ-2025-0101", "SJ-2025-0102", "SJ-2025-0103"]


def template_with_header_tags(tmp_path: Path) -> Path:
    """zz-b1 as a clerk might edit it: the form's id in the page header, the issuer in the footer."""
    doc = Document(str(get_form("zz-b1").docx))
    section = doc.sections[0]
    section.header.is_linked_to_previous = False
    section.header.paragraphs[0].text = "页眉编号：{{ form_id }}"
    section.footer.is_linked_to_previous = False
    section.footer.paragraphs[0].text = "页脚姓名：{{ name }}"
    path = tmp_path / "edited.docx"
    doc.save(str(path))
    return path


def combined_of(template: Path, out: Path) -> Path:
    spec = get_form("zz-b1").spec
    prepared = PreparedDocx(template, "zz-b1")
    joined = CombinedDocx(prepared)
    for n, ident in enumerate(IDS):
        record = {**sample_record(spec), "name": f"测试{n + 1}号", "number": ident}
        joined.add(prepared.render(build_context(spec, record, ident), ident))
    target = out / "zz-b1-combined.docx"
    joined.save(target, {"baodao.form_key": "zz-b1", "baodao.forms": str(len(IDS))})
    return target


def test_each_record_prints_its_own_header_and_footer(tmp_path: Path) -> None:
    combined = combined_of(template_with_header_tags(tmp_path), tmp_path)
    [pdf] = convert_to_pdf([combined], tmp_path)
    with pdfplumber.open(pdf) as doc:
        pages = [page.extract_text() or "" for page in doc.pages]
    assert len(pages) == len(IDS)
    for n, (text, ident) in enumerate(zip(pages, IDS, strict=True)):
        assert f"页眉编号：{ident}" in text and f"页脚姓名：测试{n + 1}号" in text, text[:200]
        assert "{{" not in text


def test_sections_break_inside_the_last_paragraph_and_headers_are_parts_of_their_own(tmp_path: Path) -> None:
    combined = combined_of(template_with_header_tags(tmp_path), tmp_path)
    with zipfile.ZipFile(combined) as zf:
        body = etree.fromstring(zf.read("word/document.xml")).find(f"{W}body")
        names = zf.namelist()
        types = zf.read("[Content_Types].xml").decode()
    assert body is not None
    breaks = [p for p in body.iter(f"{W}p") if p.find(f"{W}pPr/{W}sectPr") is not None]
    assert len(breaks) == len(IDS) - 1  # the last record keeps the document's own section
    kinds = [p.find(f"{W}pPr/{W}sectPr/{W}type") for p in breaks]
    assert [k.get(f"{W}val") if k is not None else None for k in kinds] == ["nextPage"] * (len(IDS) - 1)
    own = sorted(n for n in names if "-bd" in n)
    assert (
        own == [f"word/{part}-bd{i}.xml" for i in (1, 2, 3) for part in ("footer1", "header1")]
        or len(own) == 6
    )
    assert all(f'PartName="/{n}"' in types for n in own)
    drawing_ids = [
        pr.get("id")
        for pr in body.iter("{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr")
    ]
    assert len(drawing_ids) == len(set(drawing_ids)) >= len(IDS)
