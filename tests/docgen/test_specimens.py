"""Every form's specimen renders, converts through LibreOffice, and prints its title and labels."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pdfplumber
import pytest
from openpyxl import load_workbook

from baodao.docgen.render import render_docx
from baodao.form_templates.catalog import forms, get_form
from baodao.office.pdf import convert_to_pdf
from tests.conftest import MAPPED_FACES, Specimen, pdf_fonts, pdf_text

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

KEYS = [f.key for f in forms()]


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("key", KEYS)
def test_pdf_holds_title_and_every_label(specimens: dict[str, Specimen], key: str) -> None:
    s = specimens[key]
    text = s.text
    assert squash(s.form.spec.title) in text
    for f in s.form.spec.fields:
        if not f.unlabeled:
            assert squash(f.label) in text, f"{key}: label {f.label} ({f.name}) not printed"
        for col in f.columns:
            assert squash(col.label) in text, f"{key}: column {col.label} not printed"


@pytest.mark.parametrize("key", KEYS)
def test_page_count_is_the_specs(specimens: dict[str, Specimen], key: str) -> None:
    s = specimens[key]
    assert s.pages == s.form.spec.pages
    if s.form.spec.has_receipt:
        assert s.pages == 1, "a slip and its receipt print on one page"


@pytest.mark.parametrize("key", KEYS)
def test_only_mapped_cjk_faces_are_used_and_embedded(specimens: dict[str, Specimen], key: str) -> None:
    fonts = pdf_fonts(specimens[key].pdf)
    assert fonts
    for name, embedded in fonts:
        assert MAPPED_FACES.match(name), f"{key}: unexpected font {name}"
        assert embedded, f"{key}: {name} is not embedded"


@pytest.mark.parametrize("key", KEYS)
def test_sample_values_are_printed(specimens: dict[str, Specimen], key: str) -> None:
    s = specimens[key]
    text = s.text
    for f in s.form.spec.fields:
        if f.type in ("text", "integer") and isinstance(f.sample, (str, int)) and f.sample != "":
            assert squash(str(f.sample)) in text, f"{key}: sample of {f.name} not printed"


def test_receipt_sits_below_a_cut_line(specimens: dict[str, Specimen]) -> None:
    for key, s in specimens.items():
        if s.form.spec.has_receipt:
            assert "回" in s.text and "执" in s.text, key


@pytest.mark.parametrize("key", [f.key for f in forms() if f.xlsx is not None])
def test_xlsx_twin_has_the_column_labels_and_rows(specimens: dict[str, Specimen], key: str) -> None:
    s = specimens[key]
    assert s.xlsx is not None and s.form.spec.xlsx is not None
    layout = s.form.spec.xlsx
    ws = load_workbook(s.xlsx).active
    table = s.form.spec.field(layout.table)
    header = [ws.cell(layout.header_row, c + 1).value for c in range(len(table.columns))]
    assert [squash(str(h)) for h in header] == [squash(c.printed_label or c.label) for c in table.columns]
    sample = s.form.spec.field(layout.table).sample
    if isinstance(sample, list) and sample:
        first = ws.cell(layout.first_row, 1).value
        assert first is not None


@pytest.fixture(scope="module")
def blanks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path]]:
    """Every form rendered with an empty record: what a clerk prints to fill in by hand."""
    out = tmp_path_factory.mktemp("blanks")
    docs = {f.key: render_docx(f.docx, f.spec, {}, out / f"{f.key}.docx") for f in forms()}
    pdfs = convert_to_pdf(list(docs.values()), out)
    return {key: (docx, pdf) for (key, docx), pdf in zip(docs.items(), pdfs, strict=True)}


@pytest.mark.parametrize("key", KEYS)
def test_blank_form_keeps_its_labels_pages_and_cells(blanks: dict[str, tuple[Path, Path]], key: str) -> None:
    docx, pdf = blanks[key]
    spec = get_form(key).spec
    body = ET.fromstring(zipfile.ZipFile(docx).read("word/document.xml"))
    cells = body.iter(f"{W}tc")
    assert all(tc.find(f"{W}p") is not None for tc in cells), "a table cell lost its paragraph"
    text = pdf_text(pdf)
    for f in spec.fields:
        if not f.unlabeled:
            assert squash(f.label) in text, f"{key}: label {f.label} missing on the blank form"
    with pdfplumber.open(pdf) as doc:
        assert len(doc.pages) == spec.pages
