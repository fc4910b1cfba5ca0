"""The combined print file: every record of a batch in one DOCX, each starting on a new page or sheet.

Records come from one prepared template, so they share its styles and numbering; their bodies are joined
with section breaks and streamed to disk, keeping memory flat however long the batch.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from baodao.docgen.fastdocx import DOCUMENT, DOCUMENT_RELS, PreparedDocx, Rendered
from baodao.form_templates.package import Member, deflate_stream, stored

IMAGE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
_DOC_PR_ID = re.compile(r'(<wp:docPr\b[^>]*?\bid=")(\d+)(")')


class CombinedDocx:
    """Collects rendered records and writes them as one document; ``duplex`` starts each on a new sheet."""

    def __init__(self, prepared: PreparedDocx, duplex: bool = False) -> None:
        self.prepared = prepared
        self.start = "oddPage" if duplex else "nextPage"
        self._spool = tempfile.TemporaryFile()  # noqa: SIM115  (closed in save/close)
        self._held: tuple[str, str] | None = None
        self._qrs: list[bytes] = []
        self._drawings = 0
        self.count = 0

    def add(self, rendered: Rendered) -> None:
        """Append one record; the previous one is written out with a section break at its end."""
        self.count += 1
        content, sect = _split_body(rendered.body)
        if rendered.qr is not None and self.prepared.qr_rel is not None:
            self._qrs.append(rendered.qr)
            rel = f"{self.prepared.qr_rel}q{len(self._qrs)}"
            content = content.replace(f'r:embed="{self.prepared.qr_rel}"', f'r:embed="{rel}"')
        content = _DOC_PR_ID.sub(self._next_drawing_id, content)
        if self._held is not None:
            held_content, held_sect = self._held
            self._spool.write(_with_break(held_content, held_sect, self.start).encode("utf-8"))
        self._held = (content, sect)

    def _next_drawing_id(self, m: re.Match[str]) -> str:
        self._drawings += 1
        return f"{m.group(1)}{self._drawings}{m.group(3)}"

    def save(self, out: Path, properties: dict[str, str]) -> None:
        """Write the combined document atomically; the last record keeps the document's own section."""
        if self._held is None:
            raise ValueError("no record was added")
        head, tail = self.prepared.head, self.prepared.tail
        content, sect = self._held
        with tempfile.TemporaryFile() as document:
            document.write((head + self.prepared.body_open).encode("utf-8"))
            self._spool.seek(0)
            while block := self._spool.read(1 << 20):
                document.write(block)
            document.write((content + sect + "</w:body>" + tail).encode("utf-8"))
            document.seek(0)
            replace: dict[str, bytes | Member] = {DOCUMENT: deflate_stream(DOCUMENT, document)}
            replace.update(self.prepared.extra_parts)
            replace[DOCUMENT_RELS] = self._relationships()
            for n, png in enumerate(self._qrs, start=1):
                name = f"word/media/baodao-qr-{n}.png"
                replace[name] = stored(name, png)
            replace["docProps/custom.xml"] = self.prepared.custom_properties_xml(properties)
            try:
                self.prepared.package.save(out, replace)
            finally:
                streamed = replace[DOCUMENT]
                if isinstance(streamed, Member) and not isinstance(streamed.data, bytes):
                    streamed.data.close()
        self.close()

    def _relationships(self) -> bytes:
        rels = self.prepared.package.read(DOCUMENT_RELS).decode("utf-8")
        rel = self.prepared.qr_rel
        extra = "".join(
            f'<Relationship Id="{rel}q{n}" Type="{IMAGE_REL}" Target="media/baodao-qr-{n}.png"/>'
            for n in range(1, len(self._qrs) + 1)
        )
        return rels.replace("</Relationships>", extra + "</Relationships>").encode("utf-8")

    def close(self) -> None:
        self._spool.close()


def _split_body(body: str) -> tuple[str, str]:
    """A rendered body's content and its final section properties."""
    inner = body[body.index(">") + 1 : body.rindex("</w:body>")]
    cut = inner.rfind("<w:sectPr")
    return (inner, "") if cut < 0 else (inner[:cut], inner[cut:])


def _with_break(content: str, sect: str, start: str) -> str:
    """``content`` ending in a section break: the section's properties go into its last paragraph, so no
    empty paragraph (and no blank page) is added; after a final table a paragraph is needed anyway."""
    if not sect:
        return content
    if "<w:type " not in sect:
        sect = sect.replace("<w:pgSz", f'<w:type w:val="{start}"/><w:pgSz', 1)
    if not content.endswith("</w:p>"):
        return content + f"<w:p><w:pPr>{sect}</w:pPr></w:p>"
    start_at = max(content.rfind("<w:p>"), content.rfind("<w:p "))
    paragraph = content[start_at:]
    open_end = paragraph.index(">") + 1
    if paragraph[open_end:].startswith("<w:pPr>") or paragraph[open_end:].startswith("<w:pPr "):
        close = paragraph.index("</w:pPr>")
        paragraph = paragraph[:close] + sect + paragraph[close:]
    else:
        paragraph = paragraph[:open_end] + f"<w:pPr>{sect}</w:pPr>" + paragraph[open_end:]
    return content[:start_at] + paragraph
