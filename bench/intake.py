"""Benchmark: intake of returned forms, DOCX per second and text-PDF pages per second.

Baselines measured in the same run: python-docx opening and walking each form (paragraphs and cells),
and pdfplumber extracting each page's text. Run: `make bench-intake` (python -m bench.intake).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import pdfplumber
from docx import Document

from baodao.docgen.context import build_context
from baodao.docgen.fastdocx import PreparedDocx
from baodao.docgen.ids import form_id
from baodao.form_templates.catalog import get_form
from baodao.intake.limits import Limits
from baodao.intake.model import ReadRecord
from baodao.intake.worker import read_in_turn
from baodao.office.pdf import convert_to_pdf
from bench.generate import records

FORM = "zz-b1"


def make_docx(n: int, folder: Path) -> list[Path]:
    form = get_form(FORM)
    prepared = PreparedDocx(form.docx, form.key)
    paths = []
    for r in records(n):
        ident = form_id(form.spec, r)
        out = folder / f"{ident}.docx"
        prepared.save(prepared.render(build_context(form.spec, r, ident), ident), out)
        paths.append(out)
    return paths


def timed(label: str, unit: str, count: int, fn: object) -> float:
    start = time.perf_counter()
    fn()  # type: ignore[operator]
    seconds = time.perf_counter() - start
    print(f"{label:<44} {count:>5} {unit}  {seconds:7.2f} s  {count / seconds:8.1f} {unit}/s")
    return count / seconds


def walk_docx(paths: list[Path]) -> None:
    for p in paths:
        doc = Document(str(p))
        _ = [para.text for para in doc.paragraphs]
        _ = [cell.text for t in doc.tables for row in t.rows for cell in row.cells]


def read_all(paths: list[Path]) -> None:
    """As `baodao intake` reads: each file parsed in the worker process, under its limits."""
    for outcome in read_in_turn(paths, Limits.from_environment()):
        assert isinstance(outcome, ReadRecord) and outcome.fields["name"], outcome


def plumb_text(paths: list[Path]) -> None:
    for p in paths:
        with pdfplumber.open(p) as pdf:
            _ = [page.extract_text() for page in pdf.pages]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docx", type=int, default=500)
    parser.add_argument("--pdf", type=int, default=60)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        docs = make_docx(args.docx, work)
        pdfs = convert_to_pdf(docs[: args.pdf], work / "pdf")
        print(f"{FORM}: {args.docx} DOCX forms, {args.pdf} one-page PDFs exported by LibreOffice")
        base = timed("python-docx open and walk (baseline)", "docs", len(docs), lambda: walk_docx(docs))
        fast = timed("baodao intake: read, identify, extract", "docs", len(docs), lambda: read_all(docs))
        print(f"intake / python-docx walk: {fast / base:5.1f}x   (target: >= 200 docs/s)")
        plumb = timed("pdfplumber extract_text (baseline)", "pages", len(pdfs), lambda: plumb_text(pdfs))
        pages = timed("baodao intake of text PDFs", "pages", len(pdfs), lambda: read_all(pdfs))
        print(f"intake / pdfplumber text: {pages / plumb:5.2f}x   (target: >= 25 pages/s)")


if __name__ == "__main__":
    main()
