"""python-docx writes core properties in their own namespace even after docxcompose is imported."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docxcompose.composer  # noqa: F401  (the import that used to rebind "cp")
from docx import Document

import baodao.form_templates  # noqa: F401


def test_keywords_stay_in_the_core_properties_namespace(tmp_path: Path) -> None:
    doc = Document()
    doc.core_properties.keywords = "zz-b1"
    path = tmp_path / "k.docx"
    doc.save(str(path))
    core = zipfile.ZipFile(path).read("docProps/core.xml").decode()
    assert "<cp:keywords>zz-b1</cp:keywords>" in core
    assert "custom-properties" not in core
