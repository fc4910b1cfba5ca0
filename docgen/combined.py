"""The combined print file: every record of a batch in one DOCX, each starting on a new page or sheet.

Records come from one prepared template, so they share its styles and numbering; their bodies are joined
with section breaks and streamed to disk, keeping memory flat however long the batch. Each record's body is
parsed with lxml to end it with its section break, number its drawings and point its QR picture, headers and
footers at its own parts: a header that prints the form's id prints each record's own.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from lxml import etree

from baodao.docgen.fastdocx import CONTENT_TYPES, DOCUMENT, DOCUMENT_RELS, PreparedDocx, Rendered
from baodao.form_templates import ooxml
from baodao.form_templates.package import Member, deflate_stream, stored

IMAGE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
_W = f"{{{ooxml.W}}}"
_R_ID = f"{{{ooxml.R}}}id"
_EMBED = f"{{{ooxml.R}}}embed"
_HEADER_FOOTER = re.compile(r"^word/(header|footer)\d*\.xml$")


class CombinedDocx:
    """Collects rendered records and writes them as one document; ``duplex`` starts each on a new sheet."""

    def __init__(self, prepared: PreparedDocx, duplex: bool = False) -> None:
        self.prepared = prepared
        self.start = "oddPage" if duplex else "nextPage"
        self._spool = tempfile.TemporaryFile()  # noqa: SIM115  (closed in save/close)
        self._held: etree._Element | None = None
        self._qrs: list[bytes] = []
        self._parts: dict[str, bytes] = {}  # each record's own headers and footers, by new part name
        self._rels: list[tuple[str, str, str]] = []  # (id, type, target) added to the document's rels
        self._types: list[tuple[str, str]] = []  # (part, content type) added to [Content_Types].xml
        self._type_cache: dict[str, str | None] = {}
        self._drawings = 0
        self.count = 0
        root = ooxml.parse(prepared.package.read(DOCUMENT))
        self._nsmap = {k: v for k, v in root.nsmap.items() if k is not None}
        rels = ooxml.parse(prepared.package.read(DOCUMENT_RELS))
        # part name → (its relationship id, its relationship type), for the headers and footers
        self._part_rel = {_part_name(r.get("Target", "")): (r.get("Id", ""), r.get("Type", "")) for r in rels}

    def add(self, rendered: Rendered) -> None:
        """Append one record; the previous one is written out with a section break at its end."""
        self.count += 1
        body = self._parse_body(rendered.body)
        if rendered.qr is not None and self.prepared.qr_rel is not None:
            self._qrs.append(rendered.qr)
            self._point_qr(body, f"{self.prepared.qr_rel}q{len(self._qrs)}")
        self._number_drawings(body)
        self._own_headers(body, rendered.parts)
        if self._held is not None:
            self._spool.write(_children_xml(_with_break(self._held, self.start)).encode("utf-8"))
        self._held = body

    def _parse_body(self, body: str) -> etree._Element:
        """A rendered body (``<w:body>…</w:body>``, namespaces declared on the document) as an element."""
        declared = " ".join(f'xmlns:{k}="{v}"' for k, v in self._nsmap.items())
        inner = body[body.index(">") + 1 : body.rindex("</w:body>")]
        return ooxml.parse(f"<w:body {declared}>{inner}</w:body>")

    def _point_qr(self, body: etree._Element, rel: str) -> None:
        for blip in body.iter(f"{{{ooxml.A}}}blip"):
            if blip.get(_EMBED) == self.prepared.qr_rel:
                blip.set(_EMBED, rel)

    def _number_drawings(self, body: etree._Element) -> None:
        """Drawing ids must be unique in a document; each record's start again at 1."""
        for pr in body.iter(f"{{{ooxml.WP}}}docPr"):
            self._drawings += 1
            pr.set("id", str(self._drawings))

    def _own_headers(self, body: etree._Element, parts: dict[str, bytes]) -> None:
        """Give this record's section its rendered headers and footers as parts of its own."""
        sect = _final_section(body)
        if sect is None:
            return
        renamed: dict[str, str] = {}
        for name, xml in parts.items():
            if not _HEADER_FOOTER.match(name) or name not in self._part_rel:
                continue
            old_id, kind = self._part_rel[name]
            stem = name.removeprefix("word/").removesuffix(".xml")
            new_name = f"word/{stem}-bd{self.count}.xml"
            new_id = f"{old_id}bd{self.count}"
            self._parts[new_name] = xml
            self._rels.append((new_id, kind, new_name.removeprefix("word/")))
            content_type = self._content_type(name)
            if content_type:
                self._types.append((new_name, content_type))
            renamed[old_id] = new_id
        for ref in sect.iter(f"{_W}headerReference", f"{_W}footerReference"):
            if ref.get(_R_ID) in renamed:
                ref.set(_R_ID, renamed[ref.get(_R_ID, "")])

    def _content_type(self, name: str) -> str | None:
        if name not in self._type_cache:
            self._type_cache[name] = ooxml.content_type_of(self.prepared.content_types, name)
        return self._type_cache[name]

    def save(self, out: Path, properties: dict[str, str]) -> None:
        """Write the combined document atomically; the last record keeps the document's own section."""
        if self._held is None:
            raise ValueError("no record was added")
        head, tail = self.prepared.head, self.prepared.tail
        with tempfile.TemporaryFile() as document:
            document.write((head + self.prepared.body_open).encode("utf-8"))
            self._spool.seek(0)
            while block := self._spool.read(1 << 20):
                document.write(block)
            document.write((_children_xml(self._held) + "</w:body>" + tail).encode("utf-8"))
            document.seek(0)
            replace: dict[str, bytes | Member] = {DOCUMENT: deflate_stream(DOCUMENT, document)}
            replace.update(self.prepared.extra_parts)
            replace[DOCUMENT_RELS] = self._relationships()
            for n, png in enumerate(self._qrs, start=1):
                name = f"word/media/baodao-qr-{n}.png"
                replace[name] = stored(name, png)
            replace.update(self._parts)
            if self._types:
                replace[CONTENT_TYPES] = ooxml.with_overrides(self.prepared.content_types, self._types)
            replace["docProps/custom.xml"] = self.prepared.custom_properties_xml(properties)
            try:
                self.prepared.package.save(out, replace)
            finally:
                streamed = replace[DOCUMENT]
                if isinstance(streamed, Member) and not isinstance(streamed.data, bytes):
                    streamed.data.close()
        self.close()

    def _relationships(self) -> bytes:
        rel = self.prepared.qr_rel
        pictures = [
            (f"{rel}q{n}", IMAGE_REL, f"media/baodao-qr-{n}.png") for n in range(1, len(self._qrs) + 1)
        ]
        return ooxml.with_relationships(self.prepared.package.read(DOCUMENT_RELS), [*pictures, *self._rels])

    def close(self) -> None:
        self._spool.close()


def _part_name(target: str) -> str:
    """A document relationship's target as a package member name ("header1.xml" → "word/header1.xml")."""
    return "word/" + target.lstrip("/").removeprefix("word/")


def _final_section(body: etree._Element) -> etree._Element | None:
    """The body's own section properties (its last child), if it has them."""
    last = body[-1] if len(body) else None
    return last if last is not None and last.tag == f"{_W}sectPr" else None


def _with_break(body: etree._Element, start: str) -> etree._Element:
    """``body`` ending in a section break: its final section properties move into its last paragraph, so no
    empty paragraph (and no blank page) is added; after a final table a paragraph is needed anyway."""
    sect = _final_section(body)
    if sect is None:
        return body
    body.remove(sect)
    if sect.find(f"{_W}type") is None:
        kind = etree.Element(f"{_W}type")
        kind.set(f"{_W}val", start)
        sect.insert(0, kind)
    last = body[-1] if len(body) else None
    if last is None or last.tag != f"{_W}p":
        last = etree.SubElement(body, f"{_W}p")
    ppr = last.find(f"{_W}pPr")
    if ppr is None:
        ppr = etree.Element(f"{_W}pPr")
        last.insert(0, ppr)
    ppr.append(sect)  # w:sectPr is the last child of w:pPr but for w:pPrChange
    change = ppr.find(f"{_W}pPrChange")
    if change is not None:
        ppr.append(change)
    return body


def _children_xml(body: etree._Element) -> str:
    """The body's content as XML text, its namespaces left to the document element that declares them."""
    text = str(etree.tostring(body, encoding="unicode"))
    return text[text.index(">") + 1 : text.rindex("</w:body>")]
