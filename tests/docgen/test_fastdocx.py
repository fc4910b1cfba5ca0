"""The fast path renders exactly what docxtpl renders, and writes a valid package with the form's id."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docxtpl import DocxTemplate
from lxml import etree

from baodao.docgen.context import build_context
from baodao.docgen.fastdocx import PreparedDocx
from baodao.form_templates.catalog import get_form
from baodao.form_templates.samples import sample_record
from baodao.form_templates.template_env import jinja_environment

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def user_template(path: Path) -> Path:
    """A template a user might write in Word: conditional paragraphs and a table with a row loop."""
    doc = Document()
    doc.add_paragraph("活动记录：{{ unit }}")
    doc.add_paragraph("{%p if show_note %}")
    doc.add_paragraph("备注：{{ note }}")
    doc.add_paragraph("{%p endif %}")
    table = doc.add_table(rows=4, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "日期", "内容"
    table.cell(1, 0).text = "{%tr for r in rows %}"
    table.cell(2, 0).text, table.cell(2, 1).text = "{{ r.day }}", "{{ r.what }}"
    table.cell(3, 0).text = "{%tr endfor %}"
    doc.add_paragraph("共 {{ rows|length }} 次")
    doc.save(str(path))
    return path


def body_of(docx: Path) -> bytes:
    root = etree.fromstring(zipfile.ZipFile(docx).read("word/document.xml"))
    body = root.find(f"{{{W}}}body")
    assert body is not None
    for pr in body.iter("{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"):
        pr.attrib.pop("id", None)  # docxtpl renumbers drawing ids; their values carry no meaning
    return bytes(etree.tostring(body, method="c14n"))


CONTEXTS = [
    {
        "unit": "市统计局 & 机关党委",
        "show_note": True,
        "note": "首次<报到>",
        "rows": [{"day": "7月1日", "what": "清扫楼道"}, {"day": "8月2日", "what": "政策宣讲"}],
    },
    {"unit": "卫健委", "show_note": False, "note": "", "rows": []},
    {"unit": "两行\n地址", "show_note": True, "note": "a\tb", "rows": [{"day": "1", "what": "x"}]},
]


@pytest.mark.parametrize("context", CONTEXTS, ids=["rows", "empty", "listing"])
def test_fast_path_matches_docxtpl(tmp_path: Path, context: dict[str, object]) -> None:
    template = user_template(tmp_path / "user.docx")
    reference = DocxTemplate(str(template))
    reference.render(dict(context), jinja_environment(), autoescape=True)
    reference.save(str(tmp_path / "docxtpl.docx"))
    prepared = PreparedDocx(template, "user-form")
    prepared.save(prepared.render(dict(context), "F-1"), tmp_path / "fast.docx")
    assert body_of(tmp_path / "fast.docx") == body_of(tmp_path / "docxtpl.docx")
    assert Document(str(tmp_path / "fast.docx")).paragraphs[0].text == f"活动记录：{context['unit']}"


def test_filled_form_carries_its_id_three_ways(tmp_path: Path) -> None:
    form = get_form("zz-b1")
    prepared = PreparedDocx(form.docx, form.key)
    context = build_context(form.spec, sample_record(form.spec), "SJ-2025-0001")
    out = tmp_path / "b1.docx"
    prepared.save(prepared.render(context, "SJ-2025-0001"), out)
    with zipfile.ZipFile(out) as zf:
        assert zf.testzip() is None
        custom = etree.fromstring(zf.read("docProps/custom.xml"))
        props = {p.get("name"): ("".join(p.itertext()), p.get("pid")) for p in custom}
        assert props["baodao.form_key"] == ("zz-b1", "2") and props["baodao.form_id"] == ("SJ-2025-0001", "3")
        assert "custom-properties+xml" in zf.read("[Content_Types].xml").decode()
        assert 'Target="docProps/custom.xml"' in zf.read("_rels/.rels").decode()
        document = zf.read("word/document.xml").decode()
        assert re.search(r"<w:t[^>]*>SJ-2025-0001</w:t>", document)
        assert prepared.qr_member is not None
        qr = zf.read(prepared.qr_member)
    import io

    import zxingcpp
    from PIL import Image

    assert [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(qr)))] == ["BD1|zz-b1|SJ-2025-0001"]
    assert Document(str(out)).tables[0].cell(0, 1).text == "李晓燕"


def test_blank_form_prints_no_qr_or_id(tmp_path: Path) -> None:
    form = get_form("zz-b1")
    prepared = PreparedDocx(form.docx, form.key)
    out = tmp_path / "blank.docx"
    prepared.save(prepared.render(build_context(form.spec, {}, ""), ""), out)
    document = zipfile.ZipFile(out).read("word/document.xml").decode()
    assert "baodao-qr" not in document
