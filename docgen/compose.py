"""Joins DOCX documents into one, each keeping its own page set-up in its own section."""

from __future__ import annotations

from copy import deepcopy

from docx.document import Document as DocxDocument
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docxcompose.composer import Composer

from baodao.form_templates import docx_compat  # noqa: F401  (before any python-docx document)

# Page set-up travels with each appended document; headers/footers stay the master's, so numbering runs on.
_PAGE_SETUP = ("w:pgSz", "w:pgMar", "w:cols", "w:docGrid")


def append_document(composer: Composer, doc: DocxDocument, start: str = "nextPage") -> None:
    """Append ``doc`` as a new section (``start``: "nextPage", or "oddPage" to begin on a new sheet)."""
    master = composer.doc.element.body
    body_sect = master.find(qn("w:sectPr"))
    if body_sect is None:
        raise ValueError("master document has no section properties")
    closing = OxmlElement("w:p")
    ppr = OxmlElement("w:pPr")
    ppr.append(deepcopy(body_sect))
    closing.append(ppr)
    body_sect.addprevious(closing)
    incoming = doc.element.body.find(qn("w:sectPr"))
    _set_start(body_sect, start)
    if incoming is not None:
        _copy_page_setup(incoming, body_sect)
    # Custom-property fields are left alone: dissolving them needs docxcompose's "cp" binding.
    composer.append(doc, remove_property_fields=False)


def _set_start(sect: object, start: str) -> None:
    kind = sect.find(qn("w:type"))  # type: ignore[attr-defined]
    if kind is None:
        kind = OxmlElement("w:type")
        anchor = sect.find(qn("w:pgSz"))  # type: ignore[attr-defined]
        # Schema order: header/footer references, footnote/endnote properties, then type, then pgSz.
        if anchor is not None:
            anchor.addprevious(kind)
        else:
            sect.append(kind)  # type: ignore[attr-defined]
    kind.set(qn("w:val"), start)


def _copy_page_setup(source: object, target: object) -> None:
    for tag in _PAGE_SETUP:
        old = target.find(qn(tag))  # type: ignore[attr-defined]
        new = source.find(qn(tag))  # type: ignore[attr-defined]
        if new is None:
            continue
        if old is not None:
            old.addprevious(deepcopy(new))
            target.remove(old)  # type: ignore[attr-defined]
        else:
            target.append(deepcopy(new))  # type: ignore[attr-defined]
