"""The fast path: a DOCX template prepared once (docxtpl's own preprocessing), then rendered per record.

Per record only the document XML (and headers/footers with tags) is rendered and the zip written, with
every unchanged member's compressed bytes copied as they are.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate
from jinja2 import Template
from jinja2 import TemplateError as JinjaTemplateError
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree

from baodao.docgen.qr import qr_png
from baodao.errors import RenderError, TemplateError
from baodao.form_templates import docx_compat, ooxml  # noqa: F401  (docx_compat: before any python-docx document)
from baodao.form_templates.package import Member, Package, deflated, stored
from baodao.form_templates.qr_payload import payload
from baodao.form_templates.template_env import jinja_environment

DOCUMENT = "word/document.xml"
DOCUMENT_RELS = "word/_rels/document.xml.rels"
CUSTOM = "docProps/custom.xml"
CONTENT_TYPES = "[Content_Types].xml"
PACKAGE_RELS = "_rels/.rels"
QR_PICTURE_NAME = "baodao-qr"
CUSTOM_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
CUSTOM_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
_VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_LISTING_CHARS = ("\t", "\a", "\n", "\f")
_EMPTY_CELL = re.compile(r"(<w:tc>(?:<w:tcPr>(?:(?!</w:tcPr>).)*</w:tcPr>)?)(</w:tc>)", re.S)
_HEADER_FOOTER = re.compile(r"^word/(header|footer)\d*\.xml$")


@dataclass(frozen=True)
class Rendered:
    """One record's rendered parts, ready to be written as a file or joined into a combined document."""

    body: str
    parts: dict[str, bytes]
    qr: bytes | None


class PreparedDocx:
    """A template read and compiled once; ``render`` and ``save`` then cost one jinja pass per record."""

    def __init__(self, template: Path, form_key: str) -> None:
        self.template, self.form_key = template, form_key
        try:
            self.package = Package.open(template)
            self._docxtpl = DocxTemplate(str(template))
            self._docxtpl.render_init()
        except Exception as exc:  # a broken zip or XML surfaces here in many guises
            raise TemplateError(f"无法读取模板 {template}：{exc}") from exc
        env = jinja_environment()
        document = self.package.read(DOCUMENT).decode("utf-8")
        start, end = document.index("<w:body"), document.rindex("</w:body>") + len("</w:body>")
        self.head, self.tail = document[:start], document[end:]
        source = self._docxtpl.patch_xml(self._docxtpl.get_xml())
        self.body_open = source[: source.index(">") + 1]
        self.fix_tables = "{%tc" in document or "{% tc" in document
        # What the after-render steps can meet is mostly known from the template; decide it once.
        self.may_have_escapes = "{_" in source or "_}" in source
        self.text_has_listing = any(ch in source for ch in _LISTING_CHARS)
        self.may_empty_cells = "{%p" in document or "{% p" in document
        self.body = self._compile(env, source)
        self.headers_footers = {
            name: self._compile(env, self._docxtpl.patch_xml(self._part_xml(name)))
            for name in self.package.names
            if _HEADER_FOOTER.match(name) and b"{" in self.package.read(name)
        }
        self.qr_rel, self.qr_member = self._find_qr()
        self.custom_props, self.extra_parts = self._custom_properties_setup()

    # -- preparation ------------------------------------------------------------------------------
    def _compile(self, env: SandboxedEnvironment, source: str) -> Template:
        try:
            # docxtpl puts a newline before each paragraph only to number lines in its error messages, and
            # strips them again after rendering; compiling without them gives the same output for less work.
            return env.from_string(source)
        except JinjaTemplateError as exc:
            raise TemplateError(f"模板 {self.template} 的标记有误：{exc}") from exc

    def _part_xml(self, name: str) -> str:
        xml = self.package.read(name).decode("utf-8")
        return re.sub(r"^<\?xml[^>]*\?>\s*", "", xml)

    def _find_qr(self) -> tuple[str | None, str | None]:
        """The relationship id and package member of the QR stand-in picture, if the template has one."""
        rel = ooxml.picture_embed(self.package.read(DOCUMENT), QR_PICTURE_NAME)
        target = ooxml.relationship_targets(self.package.read(DOCUMENT_RELS)).get(rel or "")
        if rel is None or not target:
            return None, None
        return rel, "word/" + target.lstrip("/").removeprefix("word/")

    def _custom_properties_setup(self) -> tuple[list[etree._Element], dict[str, Member]]:
        """Keep the template's own custom properties; add the parts a package needs to carry ours.

        Those parts are the same for every record, so they are compressed here, once.
        """
        extra: dict[str, Member] = {}
        self.content_types = self.package.read(CONTENT_TYPES)
        if CUSTOM in self.package:
            return ooxml.custom_properties_except(self.package.read(CUSTOM), "baodao."), extra
        self.content_types = ooxml.with_overrides(self.content_types, [(CUSTOM, CUSTOM_TYPE)])
        extra[CONTENT_TYPES] = deflated(CONTENT_TYPES, self.content_types)
        relation = ("rIdBaodaoCustom", CUSTOM_REL, CUSTOM)
        extra[PACKAGE_RELS] = deflated(
            PACKAGE_RELS, ooxml.with_relationships(self.package.read(PACKAGE_RELS), [relation])
        )
        return [], extra

    # -- per record -------------------------------------------------------------------------------
    def render(
        self, context: dict[str, Any], form_id: str, properties: dict[str, str] | None = None
    ) -> Rendered:
        """Render one record's parts: body XML, headers/footers, custom properties and its QR code."""
        listing = self.text_has_listing or _values_have_listing(context)
        try:
            body = self._finish(self.body.render(context), listing)
            parts = {
                name: self._finish(t.render(context), listing).encode("utf-8")
                for name, t in self.headers_footers.items()
            }
        except JinjaTemplateError as exc:
            raise RenderError(f"用模板 {self.template} 生成表单时出错：{exc}") from exc
        if self.fix_tables:
            from lxml import etree

            tree = self._docxtpl.fix_tables(body)
            body = etree.tostring(tree, encoding="unicode")
        props = {"baodao.form_key": self.form_key, "baodao.form_id": form_id, **(properties or {})}
        parts[CUSTOM] = self.custom_properties_xml(props)
        qr = qr_png(payload(self.form_key, form_id)) if form_id and self.qr_member else None
        return Rendered(body, parts, qr)

    def _finish(self, xml: str, listing: bool) -> str:
        """docxtpl's after-render steps; its listing pass only when a tab, newline or break is there."""
        if self.may_have_escapes:
            xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
        if listing:
            xml = self._docxtpl.resolve_listing(xml)
        if self.may_empty_cells and ("</w:tcPr></w:tc>" in xml or "<w:tc></w:tc>" in xml):
            # A cell that held only a loop over an empty list has lost its paragraph: Word calls such a
            # file corrupt and LibreOffice drops the cell.
            xml = _EMPTY_CELL.sub(r"\1<w:p/>\2", xml)
        return xml

    def custom_properties_xml(self, props: dict[str, str]) -> bytes:
        """docProps/custom.xml: the template's own properties, then ours, numbered from 2 as Word does."""
        root = etree.Element(
            f"{{{ooxml.CUSTOM_PROPS}}}Properties", nsmap={None: ooxml.CUSTOM_PROPS, "vt": _VT}
        )
        root.extend(copy.deepcopy(p) for p in self.custom_props)
        for name, value in props.items():
            prop = etree.SubElement(root, f"{{{ooxml.CUSTOM_PROPS}}}property", fmtid=_FMTID, name=name)
            etree.SubElement(prop, f"{{{_VT}}}lpwstr").text = value
        for pid, prop in enumerate(root, start=2):
            prop.set("pid", str(pid))
        return ooxml.serialize(root)

    def document_xml(self, body: str) -> bytes:
        return (self.head + body + self.tail).encode("utf-8")

    def save(self, rendered: Rendered, out: Path) -> None:
        """Write one filled form, atomically."""
        self.package.save(out, self.replacements(rendered))

    def replacements(self, rendered: Rendered) -> dict[str, bytes | Member]:
        """Every member that differs from the template for this record."""
        replace: dict[str, bytes | Member] = {DOCUMENT: self.document_xml(rendered.body)}
        replace.update(self.extra_parts)
        replace.update(rendered.parts)
        if rendered.qr is not None and self.qr_member is not None:
            replace[self.qr_member] = stored(self.qr_member, rendered.qr)
        return replace


def _values_have_listing(context: dict[str, Any]) -> bool:
    """Whether any printed value holds a tab, newline, bell or form feed (isprintable() is a fast C scan)."""
    for value in context.values():
        if isinstance(value, str):
            if not value.isprintable() and any(ch in value for ch in _LISTING_CHARS):
                return True
        elif isinstance(value, list):
            for item in value:
                texts = item.values() if isinstance(item, dict) else (item,)
                if any(
                    isinstance(t, str) and not t.isprintable() and any(c in t for c in _LISTING_CHARS)
                    for t in texts
                ):
                    return True
    return False
