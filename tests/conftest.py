"""Shared fixtures: the catalog, its specimens rendered once per session through one LibreOffice run."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
import pytest

from baodao.docgen.specimen import render_specimen
from baodao.form_templates.catalog import Form, forms
from baodao.office.pdf import convert_to_pdf
from baodao.office.programs import FONTCONFIG_FILE

# The faces office/fonts.conf maps every Chinese font name to (and the ☑ face); nothing else may reach a PDF.
MAPPED_FACES = re.compile(
    r"^[A-Z]{6}\+(FandolFang|FandolKai|NotoSerifCJK\w*|NotoSansCJK\w*|NotoSansSymbols2)-"
)
os.environ.setdefault("FONTCONFIG_FILE", str(FONTCONFIG_FILE))
# The `engine` fixture (SQLite, and a real PostgreSQL server) for the store and tally tests.
pytest_plugins = ["tests.postgres"]


@dataclass(frozen=True)
class Specimen:
    form: Form
    docx: Path
    pdf: Path
    xlsx: Path | None

    @property
    def text(self) -> str:
        """The PDF's text with all white space removed (labels print with spacing like “姓  名”)."""
        return pdf_text(self.pdf)

    @property
    def pages(self) -> int:
        with pdfplumber.open(self.pdf) as pdf:
            return len(pdf.pages)


def pdf_text(path: Path) -> str:
    """Page text plus each ruled cell's own text, white space removed.

    A label that wraps inside a narrow cell comes out of line-ordered page text interleaved with its
    neighbours; the cell's own text keeps it whole.
    """
    parts = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            parts.append(page.extract_text() or "")
            for table in page.extract_tables():
                parts += [cell or "" for row in table for cell in row]
    return re.sub(r"\s+", "", "|".join(parts))


def pdf_fonts(path: Path) -> list[tuple[str, bool]]:
    """(font name, embedded) for every font pdffonts lists."""
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = []
    for line in out.splitlines()[2:]:
        parts = line.split()
        emb_index = len(parts) - 5
        rows.append((parts[0], parts[emb_index] == "yes"))
    return rows


@pytest.fixture(autouse=True)
def close_databases() -> Iterator[None]:
    """Each test ends with the databases it opened closed, as each command does (baodao.cli)."""
    yield
    db = sys.modules.get("baodao.store.db")
    if db is not None:
        db.close_all()


@pytest.fixture(scope="session")
def catalog() -> tuple[Form, ...]:
    return forms()


@pytest.fixture(scope="session")
def specimens(tmp_path_factory: pytest.TempPathFactory, catalog: tuple[Form, ...]) -> dict[str, Specimen]:
    """Every form filled with its sample, converted to PDF in one LibreOffice run."""
    out = tmp_path_factory.mktemp("specimens")
    files = {f.key: render_specimen(f, out) for f in catalog}
    pdfs = convert_to_pdf([made[0] for made in files.values()], out)
    return {
        key: Specimen(form, made[0], pdf, made[1] if len(made) > 1 else None)
        for (key, made), pdf, form in zip(files.items(), pdfs, catalog, strict=True)
    }


# A short roster's headers, as a clerk's sheet for zz-b1 might have them (no 技能特长: ticked by hand).
ROSTER_HEADERS = [
    "编号",
    "姓名",
    "性别",
    "年龄",
    "工作单位及职务",
    "联系方式",
    "家庭住址",
    "所属社区",
    "服务意向",
    "报到地党组织",
]


def write_roster(path: Path, rows: list[list[object]], headers: list[str] = ROSTER_HEADERS) -> Path:
    """An Excel roster: a header row, then ``rows``."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path
