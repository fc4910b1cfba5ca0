"""Filings: forms filled from computed records (not a roster), one file per record plus one to print.

A filing may carry an attachment per record (a 反馈通知单 goes with that unit's 汇总表): both are filled,
and the attachment follows its letter in the same file, in its own section and orientation.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from docx import Document
from docxcompose.composer import Composer

from baodao.docgen.combined import CombinedDocx
from baodao.docgen.compose import append_document
from baodao.docgen.context import build_context
from baodao.docgen.fastdocx import PreparedDocx
from baodao.docgen.ids import file_stem
from baodao.docgen.outputs import OutputFolder
from baodao.files import atomic_path
from baodao.form_templates import docx_compat  # noqa: F401  (before any python-docx document)
from baodao.form_templates.catalog import Form
from baodao.form_templates.spec import Record
from baodao.office.pdf import convert_to_pdf
from baodao.office.xlsx import fill_xlsx


@dataclass(frozen=True)
class FilingItem:
    """One filled form: its record, its id, whom it is about; and the record of its attachment, if any."""

    record: Record
    ident: str
    who: str
    attachment: Record | None = None


@dataclass
class FilingResult:
    files: list[Path] = field(default_factory=list)
    combined_docx: Path | None = None
    combined_pdf: Path | None = None


def write_filing(
    form: Form,
    items: Sequence[FilingItem],
    outdir: Path,
    *,
    attachment: Form | None = None,
    pdf: bool = False,
    force: bool = False,
    progress: Callable[[int], object] = lambda n: None,
) -> FilingResult:
    """Write one DOCX (and XLSX, for table forms) per item, and ``KEY-combined.docx`` (and PDF) to print."""
    stems = [file_stem(form.key, item.ident, item.who) for item in items]
    names = [s + ".docx" for s in stems] + (
        [s + ".xlsx" for s in stems] if form.xlsx and not attachment else []
    )
    combined_name = f"{form.key}-combined.docx"
    OutputFolder(outdir, force).claim([*names, combined_name, combined_name.replace(".docx", ".pdf")])
    result = FilingResult()
    if attachment is None:
        result.files, result.combined_docx = write_each(form, items, stems, outdir, progress=progress)
    else:
        _attached(form, attachment, items, stems, outdir, result, progress)
    if pdf and result.combined_docx is not None:
        result.combined_pdf = convert_to_pdf([result.combined_docx], outdir)[0]
    return result


def write_each(
    form: Form,
    items: Sequence[FilingItem],
    stems: Sequence[str],
    outdir: Path,
    *,
    properties: dict[str, str] | None = None,
    combined: bool = True,
    duplex: bool = False,
    progress: Callable[[int], object] = lambda n: None,
) -> tuple[list[Path], Path | None]:
    """One DOCX (and XLSX, for table forms) per item, the template prepared once; and, with ``combined``,
    ``KEY-combined.docx`` of them all. ``properties`` go into each file and the combined one."""
    extra = properties or {}
    prepared = PreparedDocx(form.docx, form.key)
    joined = CombinedDocx(prepared, duplex) if combined else None
    files: list[Path] = []
    try:
        for item, stem in zip(items, stems, strict=True):
            rendered = prepared.render(build_context(form.spec, item.record, item.ident), item.ident, extra)
            out = outdir / f"{stem}.docx"
            prepared.save(rendered, out)
            files.append(out)
            if form.xlsx is not None:
                files.append(fill_xlsx(form.xlsx, form.spec, item.record, out.with_suffix(".xlsx")))
            if joined is not None:
                joined.add(rendered)
            progress(1)
        if joined is None:
            return files, None
        target = outdir / f"{form.key}-combined.docx"
        joined.save(target, {"baodao.form_key": form.key, "baodao.forms": str(len(items)), **extra})
        return files, target
    finally:
        if joined is not None:
            joined.close()


def _attached(
    form: Form,
    attachment: Form,
    items: Sequence[FilingItem],
    stems: list[str],
    outdir: Path,
    result: FilingResult,
    progress: Callable[[int], object],
) -> None:
    letter, enclosed = PreparedDocx(form.docx, form.key), PreparedDocx(attachment.docx, attachment.key)
    whole: Composer | None = None
    with tempfile.TemporaryDirectory(prefix="baodao-filing-") as work:
        for item, stem in zip(items, stems, strict=True):
            first, second = Path(work) / f"{stem}-1.docx", Path(work) / f"{stem}-2.docx"
            letter.save(letter.render(build_context(form.spec, item.record, item.ident), item.ident), first)
            record = item.attachment or {}
            enclosed.save(
                enclosed.render(build_context(attachment.spec, record, item.ident), item.ident), second
            )
            joined = Composer(Document(str(first)))
            append_document(joined, Document(str(second)))
            out = outdir / f"{stem}.docx"
            with atomic_path(out) as tmp:
                joined.save(str(tmp))
            result.files.append(out)
            if whole is None:
                whole = Composer(Document(str(out)))
            else:
                append_document(whole, Document(str(out)), start="oddPage")
            progress(1)
    if whole is not None:
        target = outdir / f"{form.key}-combined.docx"
        with atomic_path(target) as tmp:
            whole.save(str(tmp))
        result.combined_docx = target
