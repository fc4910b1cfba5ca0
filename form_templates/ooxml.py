"""The parts of an Office package baodao reads and amends: parsed with lxml, never matched as text."""

from __future__ import annotations

from collections.abc import Iterable

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
CORE = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
CUSTOM_PROPS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
PIC = "http://schemas.openxmlformats.org/drawingml/2006/picture"

# Package parts come from templates that clerks edit and files that anyone returns: no entities, no network.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_blank_text=False)


def parse(xml: bytes | str) -> etree._Element:
    """One package part as an element tree (a declaration at its head is allowed)."""
    data = xml.encode("utf-8") if isinstance(xml, str) else xml
    return etree.fromstring(data, _PARSER)


def serialize(root: etree._Element) -> bytes:
    """A part as Word writes it: UTF-8 with a standalone declaration."""
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def texts(document: bytes) -> str:
    """The text of every w:t of a document part, in order."""
    return "".join(t.text or "" for t in parse(document).iter(f"{{{W}}}t"))


def core_keywords(core: bytes) -> str:
    """The cp:keywords of docProps/core.xml ('' when absent)."""
    found = parse(core).find(f"{{{CORE}}}keywords")
    return (found.text or "").strip() if found is not None else ""


def relationship_targets(rels: bytes) -> dict[str, str]:
    """Relationship id → target, from a .rels part."""
    return {r.get("Id", ""): r.get("Target", "") for r in parse(rels).iter(f"{{{RELS}}}Relationship")}


def with_relationships(rels: bytes, added: Iterable[tuple[str, str, str]]) -> bytes:
    """``rels`` with (id, type, target) relationships appended."""
    root = parse(rels)
    for ident, kind, target in added:
        etree.SubElement(root, f"{{{RELS}}}Relationship", Id=ident, Type=kind, Target=target)
    return serialize(root)


def with_overrides(content_types: bytes, added: Iterable[tuple[str, str]]) -> bytes:
    """[Content_Types].xml with (part name, content type) overrides appended (part names without '/')."""
    root = parse(content_types)
    for part, kind in added:
        etree.SubElement(root, f"{{{TYPES}}}Override", PartName="/" + part.lstrip("/"), ContentType=kind)
    return serialize(root)


def content_type_of(content_types: bytes, part: str) -> str | None:
    """The content type an override gives ``part``, if any."""
    name = "/" + part.lstrip("/")
    for o in parse(content_types).iter(f"{{{TYPES}}}Override"):
        if o.get("PartName") == name:
            return str(o.get("ContentType", "")) or None
    return None


def picture_embed(document: bytes, picture_name: str) -> str | None:
    """The relationship id of the picture whose drawing is named ``picture_name`` (wp:docPr or pic:cNvPr)."""
    root = parse(document)
    for named in root.iter(f"{{{WP}}}docPr", f"{{{PIC}}}cNvPr"):
        if named.get("name") != picture_name:
            continue
        drawing = next((a for a in named.iterancestors(f"{{{W}}}drawing")), None)
        scope = drawing if drawing is not None else named.getparent()
        if scope is None:
            continue
        blip = next(scope.iter(f"{{{A}}}blip"), None)
        embed = blip.get(f"{{{R}}}embed") if blip is not None else None
        if embed:
            return str(embed)
    return None


def custom_properties_except(custom: bytes, prefix: str) -> list[etree._Element]:
    """The custom properties whose names do not start with ``prefix``, in order."""
    return [
        p
        for p in parse(custom).iter(f"{{{CUSTOM_PROPS}}}property")
        if not p.get("name", "").startswith(prefix)
    ]
