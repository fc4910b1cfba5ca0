"""`forms check` finds split tags, unknown fields and missing required fields, and says where."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from docx import Document

from baodao.form_templates.catalog import Form, get_form
from baodao.form_templates.check import check_template, write_repaired
from baodao.form_templates.identify import form_of_template


def test_every_bundled_template_passes(catalog: tuple[Form, ...]) -> None:
    for form in catalog:
        report = check_template(form.docx, form.spec)
        errors = [str(f) for f in report.findings if f.level != "警告"]
        assert errors == [], form.key


def split_first_tag(src: Path, dst: Path, tag: str) -> None:
    """Re-save ``src`` with ``tag`` broken over three runs, as Word does after an edit mid-tag."""
    doc = Document(str(src))
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                for p in cell.paragraphs:
                    if p.text == tag:
                        p.runs[0].text = tag[:4]
                        p.add_run(tag[4:9]).font.bold = True
                        p.add_run(tag[9:])
                        doc.save(str(dst))
                        return
    raise AssertionError(f"{tag} not found")


def test_a_split_tag_is_reported_with_its_cell_and_repaired(tmp_path: Path) -> None:
    form = get_form("zz-b1")
    edited = tmp_path / "edited.docx"
    split_first_tag(form.docx, edited, "{{ name }}")
    report = check_template(edited, form.spec)
    fixed = [f for f in report.findings if f.level == "已修复"]
    assert len(fixed) == 1
    assert fixed[0].location == "正文第1个表格第1行第2列第1段"
    assert "{{ name }}" in fixed[0].message
    repaired = tmp_path / "repaired.docx"
    write_repaired(edited, report, repaired)
    again = check_template(repaired, form.spec)
    assert [f for f in again.findings if f.level == "已修复"] == []
    assert "{{ name }}" in zipfile.ZipFile(repaired).read("word/document.xml").decode()


def replace_tag(src: Path, dst: Path, old: str, new: str) -> None:
    shutil.copy(src, dst)
    doc = Document(str(dst))
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                for p in cell.paragraphs:
                    if p.text == old:
                        p.runs[0].text = new
    doc.save(str(dst))


def test_an_unknown_field_is_an_error_at_its_place(tmp_path: Path) -> None:
    form = get_form("zz-b1")
    edited = tmp_path / "edited.docx"
    replace_tag(form.docx, edited, "{{ education }}", "{{ degree }}")
    report = check_template(edited, form.spec)
    assert not report.ok
    errors = [f for f in report.findings if f.level == "错误"]
    assert len(errors) == 1
    assert "“degree”不是表单 zz-b1 的字段" in errors[0].message
    assert errors[0].location == "正文第1个表格第1行第8列第1段"


def test_a_missing_required_field_is_an_error(tmp_path: Path) -> None:
    form = get_form("zz-b1")
    edited = tmp_path / "edited.docx"
    replace_tag(form.docx, edited, "{{ name }}", "")
    report = check_template(edited, form.spec)
    assert any("必填字段“姓名”（name）在模板中没有出现" in f.message for f in report.findings)


def test_a_tick_for_an_option_the_field_lacks_is_an_error(tmp_path: Path) -> None:
    form = get_form("zz-b1")
    edited = tmp_path / "edited.docx"
    shutil.copy(form.docx, edited)
    doc = Document(str(edited))
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                for p in cell.paragraphs:
                    if "skills|tick('写作')" in p.text:
                        p.runs[0].text = p.runs[0].text.replace("'写作'", "'书法'")
    doc.save(str(edited))
    report = check_template(edited, form.spec)
    assert any("勾选项“书法”不是字段“技能特长”的选项" in f.message for f in report.findings)


def test_a_broken_tag_is_a_syntax_error_at_its_place(tmp_path: Path) -> None:
    form = get_form("zz-b1")
    edited = tmp_path / "edited.docx"
    replace_tag(form.docx, edited, "{{ age }}", "{{ age + }}")
    report = check_template(edited, form.spec)
    assert not report.ok
    assert any(
        f.location == "正文第1个表格第1行第6列第1段" and "标记写法有误" in f.message for f in report.findings
    )


def test_an_edited_copy_is_identified_by_its_properties(tmp_path: Path) -> None:
    copy = tmp_path / "社区自用报到证.docx"
    shutil.copy(get_form("zz-b1").docx, copy)
    assert form_of_template(copy).key == "zz-b1"


@pytest.mark.parametrize("content", [b"", b"not a zip at all"])
def test_a_file_that_is_not_a_template_is_refused(tmp_path: Path, content: bytes) -> None:
    from baodao.errors import TemplateError

    bad = tmp_path / "bad.docx"
    bad.write_bytes(content)
    with pytest.raises(TemplateError, match="不是有效的 Word 文档"):
        check_template(bad, get_form("zz-b1").spec)
