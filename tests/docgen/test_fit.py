"""Fitting cell text: a paragraph that would end on a lone character is closed up or set smaller."""

from __future__ import annotations

from baodao.docgen.context import build_context
from baodao.docgen.fastdocx import PreparedDocx
from baodao.docgen.fit import fit_body
from baodao.form_templates.catalog import get_form
from baodao.form_templates.samples import sample_record

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
HEAD, TAIL = f"<w:document {W}>", "</w:document>"


def cell_body(text: str, width_twips: int, half_points: int = 24) -> str:
    """A body holding one table cell of ``width_twips`` with ``text`` in 仿宋 at ``half_points``."""
    run = (
        '<w:r><w:rPr><w:rFonts w:ascii="仿宋_GB2312" w:hAnsi="仿宋_GB2312" w:cs="仿宋_GB2312" '
        f'w:eastAsia="仿宋_GB2312"/><w:sz w:val="{half_points}"/></w:rPr><w:t>{text}</w:t></w:r>'
    )
    return (
        f'<w:body><w:tbl><w:tblPr/><w:tblGrid><w:gridCol w:w="{width_twips}"/></w:tblGrid><w:tr><w:tc>'
        f'<w:tcPr><w:tcW w:w="{width_twips}" w:type="dxa"/></w:tcPr><w:p>{run}</w:p>'
        "</w:tc></w:tr></w:tbl></w:body>"
    )


def test_a_post_that_would_leave_its_last_character_alone_is_fitted() -> None:
    # 7 characters of 12 pt in a line of 6½: “党建工作指导/岗” as printed, unless fitted
    body = cell_body("党建工作指导岗", width_twips=6 * 240 + 216 + 120)
    fitted = fit_body(HEAD, body, TAIL)
    assert fitted != body
    assert "<w:spacing" in fitted or '<w:sz w:val="24"/>' not in fitted


def test_text_that_wraps_evenly_is_left_alone() -> None:
    body = cell_body("党建工作指导服务岗位", width_twips=5 * 240 + 216)  # 5 + 5 characters
    assert fit_body(HEAD, body, TAIL) == body


def test_a_name_in_a_list_is_not_broken() -> None:
    names = "王丽娟、张卫东、李静、赵建华、刘洋、陈晓燕、周明、吴磊、郑红梅"
    body = cell_body(names, width_twips=26 * 240 + 216 + 60)  # 26 characters a line: 吴 / 磊
    assert fit_body(HEAD, body, TAIL) != body


def test_a_form_whose_values_fit_is_not_parsed_again() -> None:
    """zz-b1 with its sample values: every value keeps to its line, so the body comes back as rendered."""
    form = get_form("zz-b1")
    prepared = PreparedDocx(form.docx, form.key)
    assert prepared.fit_gate.complete
    context = build_context(form.spec, sample_record(form.spec), "SJ-1")
    assert prepared.fit_gate.edits(context) == {}
    rendered = prepared.render(context, "SJ-1").body
    assert fit_body(prepared.head, rendered, prepared.tail, prepared.fit_gate, context) is rendered
