"""Reads a DOCX into a Grid by walking its XML: paragraphs, tables with spans, ticks, properties, QR codes."""

from __future__ import annotations

import io
import posixpath
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from baodao.errors import DataError
from baodao.intake.grid import TICKED, UNTICKED, Block, Cell, Grid, Paragraph, Table, normalize_ticks
from baodao.text import is_control

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
DC = "http://purl.org/dc/elements/1.1/"
REL_TYPES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


P, TBL, TR, TC, SDT, SDT_CONTENT, SDT_PR = (
    _w(n) for n in ("p", "tbl", "tr", "tc", "sdt", "sdtContent", "sdtPr")
)
R, T, TAB, PTAB, BR, CR, SYM = (_w(n) for n in ("r", "t", "tab", "ptab", "br", "cr", "sym"))
FLD_CHAR, CUSTOM_XML, TXBX_CONTENT = _w("fldChar"), _w("customXml"), _w("txbxContent")
VAL = _w("val")
FALLBACK = f"{{{MC}}}Fallback"
# Inside a paragraph these hold no text a reader sees: properties, tracked deletions and moved-away text,
# and the duplicate (VML) copy of a drawing that mc:Choice already holds.
_SKIP_INLINE = frozenset({_w("pPr"), _w("rPr"), _w("del"), _w("moveFrom"), FALLBACK})

# Symbol fonts print ticks and boxes from plain byte codes; Word stores them as w:sym (char "F0xx") or as
# ordinary letters in a run set in the font (“R” in Wingdings 2 is ☑). Codes checked against two
# independent Wingdings→Unicode tables; the glyph each code prints is given beside it. Every check, cross
# or box holding a mark counts as ticked, as grid.TICKED_CHARS does for ☑ ☒ ⊠ ⊗; codes not listed are
# other pictures and read as nothing.
SYMBOL_TICKS: dict[str, dict[int, str]] = {
    "wingdings": {
        0x6E: TICKED,  # ■ black square
        0x6F: UNTICKED,  # □ white square
        0x70: UNTICKED,  # 🞐 bold white square
        0x71: UNTICKED,  # ❑ shadowed white square
        0x72: UNTICKED,  # ❒ shadowed white square
        0x78: TICKED,  # ⌧ X in a rectangle box
        0xA8: UNTICKED,  # ◻ white medium square (Word's usual “empty box” symbol)
        0xFB: TICKED,  # ✗ ballot x
        0xFC: TICKED,  # ✓ check mark
        0xFD: TICKED,  # ☒ ballot box with x
        0xFE: TICKED,  # ☑ ballot box with check
    },
    "wingdings 2": {
        0x2A: UNTICKED,  # 🗆 “empty note page”: prints as a plain square, used as an empty box
        0x4F: TICKED,  # 🗴 ballot script x
        0x50: TICKED,  # 🗸 light check mark
        0x51: TICKED,  # 🗵 ballot box with script x
        0x52: TICKED,  # ☑ ballot box with check
        0x53: TICKED,  # ⮽ ballot box with light x
        0x54: TICKED,  # ☒ ballot box with x
        0x55: TICKED,  # ⮾ circled x
        0x56: TICKED,  # ⮿ circled bold x
        0xA2: TICKED,  # ■ black square
        0xA3: UNTICKED,  # □ white square (the “£” trick for an empty box)
    },
    "symbol": {0xD6: TICKED},  # √ radical sign, how Word's Insert Symbol dialog most often gives “√”
}
QR_MAX_BYTES = 200_000  # larger pictures are photos or scans, slow to search and never baodao's code
QR_MAX_PIXELS = 4_000_000
MAX_PART_BYTES = 200_000_000  # far beyond any form's XML
QR_IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True, remove_pis=True)


def read_docx(path: Path) -> Grid:
    """The paragraphs and tables of ``path`` in document order, with its custom properties and QR codes."""
    try:
        with zipfile.ZipFile(path) as zf:
            parts = _package_parts(zf)
            document = _xml(zf, parts.get("officeDocument", "word/document.xml"))
            if document is None:
                raise DataError(f"无法读取 {path.name}：文件中没有 Word 正文（word/document.xml）")
            grid = Grid(kind="docx")
            body = document.find(_w("body"))
            if body is not None:
                grid.blocks = _blocks_of(body)
            grid.properties = _custom_properties(
                _xml(zf, parts.get("custom-properties", "docProps/custom.xml"))
            )
            core = _xml(zf, parts.get("core-properties", "docProps/core.xml"))
            title = core.find(f"{{{DC}}}title") if core is not None else None
            grid.title = (title.text or "").strip() if title is not None else ""
            grid.qr_payloads = _qr_payloads(zf)
            return grid
    except (zipfile.BadZipFile, etree.XMLSyntaxError, OSError, EOFError) as exc:
        raise DataError(f"无法读取 {path.name}：不是完整的 DOCX 文件（{exc}）") from exc


# -- package --------------------------------------------------------------------------------------------
def _package_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """The package's own relationships by short type (officeDocument, core-properties, …) → part name.

    Word always uses word/document.xml, but other writers may not; the relationships are the real index.
    """
    rels = _xml(zf, "_rels/.rels")
    found: dict[str, str] = {}
    if rels is None:
        return found
    for rel in rels.iter(f"{{{REL}}}Relationship"):
        kind, target = rel.get("Type", ""), rel.get("Target", "")
        if target and rel.get("TargetMode") != "External":
            found.setdefault(kind.rsplit("/", 1)[-1], posixpath.normpath(target.lstrip("/")))
    return found


def _xml(zf: zipfile.ZipFile, name: str) -> etree._Element | None:
    try:
        info = zf.getinfo(name)
    except KeyError:
        return None
    if info.file_size > MAX_PART_BYTES:  # a zip bomb, not a form: refuse before inflating it
        raise zipfile.BadZipFile(f"{name} 解压后超过 {MAX_PART_BYTES // 1_000_000} MB")
    return etree.fromstring(zf.read(info), _PARSER)


def _custom_properties(root: etree._Element | None) -> dict[str, str]:
    if root is None:
        return {}
    props: dict[str, str] = {}
    for prop in root.iter(f"{{{CUSTOM}}}property"):
        name = prop.get("name")
        if name:
            # The value is the one typed child (vt:lpwstr, vt:i4, vt:bool …); its text is what was stored.
            props[name] = "".join(prop.itertext()).strip()
    return props


def _qr_payloads(zf: zipfile.ZipFile) -> list[str]:
    """Texts of QR codes in the package's small pictures; none when zxing-cpp or Pillow is not installed."""
    try:
        import zxingcpp
        from PIL import Image
    except ImportError:
        return []
    found: list[str] = []
    qr_only = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)  # five times faster than every format
    for info in zf.infolist():
        name = info.filename.lower()
        if "media/" not in name or not name.endswith(QR_IMAGE_SUFFIXES) or info.file_size >= QR_MAX_BYTES:
            continue
        try:
            with warnings.catch_warnings():
                # A tiny file can still claim a huge picture; the size check below refuses it instead.
                warnings.simplefilter("ignore", Image.DecompressionBombWarning)
                with Image.open(io.BytesIO(zf.read(info))) as image:
                    if image.width * image.height > QR_MAX_PIXELS:
                        continue
                    codes = zxingcpp.read_barcodes(image.convert("L"), formats=qr_only)
        except (OSError, ValueError, Image.DecompressionBombError):
            continue
        for code in codes:
            if code.text and code.text not in found:
                found.append(code.text)
    return found


# -- blocks ---------------------------------------------------------------------------------------------
def _block_children(container: etree._Element) -> Iterator[etree._Element]:
    """Paragraphs and tables of a container, looking through content controls and custom XML."""
    for child in container:
        if child.tag in (SDT, CUSTOM_XML):
            content = child.find(SDT_CONTENT) if child.tag == SDT else child
            if content is not None and not _showing_placeholder(child):
                yield from _block_children(content)
        elif child.tag in (P, TBL):
            yield child


def _showing_placeholder(sdt: etree._Element) -> bool:
    """An unfilled content control shows its prompt (“单击或点击此处输入文字。”), which is no value."""
    return sdt.find(f"{SDT_PR}/{_w('showingPlcHdr')}") is not None


def _blocks_of(container: etree._Element) -> list[Block]:
    blocks: list[Block] = []
    for child in _block_children(container):
        if child.tag == P:
            text, boxes = _paragraph(child)
            # Empty paragraphs and outer white space are layout (a break after the QR picture, say);
            # Word and LibreOffice add and drop them freely.
            blocks += [Paragraph(t.strip()) for t in (text, *boxes) if t.strip()]
        else:
            table, nested = _table(child)
            blocks += [table, *nested]
    return blocks


# -- tables ---------------------------------------------------------------------------------------------
@dataclass
class _Building:
    """A cell while its table is read: a vMerge continuation below it adds to its rowspan."""

    text: str
    row: int
    col: int
    colspan: int
    rowspan: int = 1


def _table(tbl: etree._Element) -> tuple[Table, list[Table]]:
    """The table with each real w:tc once, at its grid position, and the tables nested in its cells."""
    nested: list[Table] = []
    cells: list[_Building] = []
    above: dict[int, _Building] = {}  # the previous row's cells by their first column
    rows = [tr for tr in _rows(tbl) if tr.find(f"{_w('trPr')}/{_w('del')}") is None]
    for r, tr in enumerate(rows):
        col = _int_val(tr.find(f"{_w('trPr')}/{_w('gridBefore')}"), 0)
        here: dict[int, _Building] = {}
        last: _Building | None = None
        for tc in _row_cells(tr):
            pr = tc.find(_w("tcPr"))
            span = max(1, _int_val(pr.find(_w("gridSpan")) if pr is not None else None, 1))
            vmerge = pr.find(_w("vMerge")) if pr is not None else None
            hmerge = pr.find(_w("hMerge")) if pr is not None else None
            start = above.get(col)
            continues = vmerge is not None and vmerge.get(VAL) != "restart"
            if continues and start is not None and start.row + start.rowspan == r:
                # A continuation shows nothing of its own: Word moves merged content into the first cell.
                start.rowspan += 1
                cell = start
            elif hmerge is not None and hmerge.get(VAL) != "restart" and last is not None:
                last.colspan += span  # the pre-2007 way of merging across, still written by some tools
                cell = last
            else:
                cell = _Building(_cell_text(tc, nested), r, col, span)
                cells.append(cell)
            here.setdefault(cell.col, cell)
            last = cell
            col += span
        above = here
    return _compact(cells), nested


def _compact(cells: list[_Building]) -> Table:
    """The table on the grid its cells' edges make: a grid column (or row) no cell starts or ends at is
    dropped. Writers draw the same table on different grids — LibreOffice drops the columns Word keeps
    for an old layout — and this is the grid a printout shows, as the PDF reader finds it too."""
    cols = sorted({c.col for c in cells} | {c.col + c.colspan for c in cells})
    rows = sorted({c.row for c in cells} | {c.row + c.rowspan for c in cells})
    col_at, row_at = {x: i for i, x in enumerate(cols)}, {y: i for i, y in enumerate(rows)}
    return Table(
        [
            Cell(
                c.text,
                row_at[c.row],
                col_at[c.col],
                rowspan=row_at[c.row + c.rowspan] - row_at[c.row],
                colspan=col_at[c.col + c.colspan] - col_at[c.col],
            )
            for c in cells
        ],
        n_rows=max(len(rows) - 1, 0),
        n_cols=max(len(cols) - 1, 0),
    )


def _rows(tbl: etree._Element) -> Iterator[etree._Element]:
    yield from _children_through_controls(tbl, TR)


def _row_cells(tr: etree._Element) -> Iterator[etree._Element]:
    yield from _children_through_controls(tr, TC)


def _children_through_controls(parent: etree._Element, tag: str) -> Iterator[etree._Element]:
    """Children named ``tag``, also those wrapped in row- or cell-level content controls or custom XML."""
    for child in parent:
        if child.tag == tag:
            yield child
        elif child.tag in (SDT, CUSTOM_XML):
            content = child.find(SDT_CONTENT) if child.tag == SDT else child
            if content is not None:
                yield from _children_through_controls(content, tag)


def _cell_text(tc: etree._Element, nested: list[Table]) -> str:
    """The cell's paragraphs joined by newlines; a nested table adds its cells' text and is kept whole.

    Spaces ending a line are invisible, and LibreOffice drops what Word keeps, so they are dropped too.
    """
    return "\n".join(line.rstrip() for line in _container_lines(tc, nested))


def _container_lines(container: etree._Element, nested: list[Table]) -> list[str]:
    lines: list[str] = []
    for child in _block_children(container):
        if child.tag == P:
            text, boxes = _paragraph(child)
            lines += [text, *boxes]
        else:
            table, inner = _table(child)
            lines += [cell.text for cell in table.cells if cell.text.strip()]
            nested += [table, *inner]
    return lines


def _int_val(el: etree._Element | None, default: int) -> int:
    if el is None:
        return default
    try:
        return int(el.get(VAL, default))
    except ValueError:
        return default


# -- paragraphs -----------------------------------------------------------------------------------------
def _paragraph(p: etree._Element) -> tuple[str, list[str]]:
    """The paragraph's text as shown, ticks normalized, and the lines of text boxes anchored in it."""
    out: list[str] = []
    boxes: list[str] = []
    _inline(p, out, boxes, [])
    return normalize_ticks("".join(out)), [normalize_ticks(b) for b in boxes]


def _inline(el: etree._Element, out: list[str], boxes: list[str], fields: list[bool]) -> None:
    """Text of the runs under ``el``; ``fields`` holds, per open complex field, whether its code is
    still being read (field codes are instructions, not text; only the result after “separate” shows)."""
    for child in el:
        tag = child.tag
        if tag == R:
            _run(child, out, boxes, fields)
        elif tag == SDT:
            checked = _checkbox_control(child)
            if checked is not None:
                # The control's state, not its glyph: the glyph is whatever font and symbol it was set to.
                out.append(TICKED if checked else UNTICKED)
            elif not _showing_placeholder(child):
                content = child.find(SDT_CONTENT)
                if content is not None:
                    _inline(content, out, boxes, fields)
        elif tag not in _SKIP_INLINE and isinstance(tag, str):
            # Hyperlinks, insertions (w:ins), moved-here text, smart tags, simple fields, custom XML,
            # bidi containers and the like: their runs are shown text.
            _inline(child, out, boxes, fields)


def _run(r: etree._Element, out: list[str], boxes: list[str], fields: list[bool]) -> None:
    symbols = _run_symbol_font(r)
    for child in r:
        tag = child.tag
        if tag == T:
            if not any(fields):
                out.append(_symbol_text(child.text or "", symbols))
        elif tag in (TAB, PTAB):
            out.append("\t")
        elif tag in (BR, CR):
            out.append("\n")
        elif tag == _w("noBreakHyphen"):
            out.append("-")
        elif tag == SYM:
            out.append(_sym(child))
        elif tag == FLD_CHAR:
            _field_char(child, out, fields)
        elif tag in (_w("drawing"), _w("pict"), f"{{{MC}}}AlternateContent"):
            for box in _text_boxes(child):
                boxes += _container_lines(box, [])


def _field_char(el: etree._Element, out: list[str], fields: list[bool]) -> None:
    kind = el.get(_w("fldCharType"))
    if kind == "begin":
        data = el.find(_w("ffData"))
        if data is not None and not any(fields):
            out.append(_legacy_form_field(data))
        fields.append(True)
    elif kind == "separate" and fields:
        fields[-1] = False
    elif kind == "end" and fields:
        fields.pop()


def _legacy_form_field(data: etree._Element) -> str:
    """What a legacy form field shows that is not in its runs: a checkbox's state, a drop-down's choice.

    A checkbox's w:checked (true when it has no w:val) overrides its w:default. A drop-down shows the
    entry its w:result (else w:default) points at. A text field's value is ordinary result text.
    """
    box = data.find(_w("checkBox"))
    if box is not None:
        checked = box.find(_w("checked"))
        if checked is None:
            checked = box.find(_w("default"))
        return TICKED if checked is not None and _on(checked.get(VAL, "true")) else UNTICKED
    choices = data.find(_w("ddList"))
    if choices is not None:
        entries = [e.get(VAL, "") for e in choices.findall(_w("listEntry"))]
        index = _int_val(choices.find(_w("result")), _int_val(choices.find(_w("default")), 0))
        return entries[index] if 0 <= index < len(entries) else ""
    return ""


def _checkbox_control(sdt: etree._Element) -> bool | None:
    """Checked state of a Word 2010+ checkbox content control, or None when ``sdt`` is another control."""
    box = sdt.find(f"{SDT_PR}/{{{W14}}}checkbox")
    if box is None:
        return None
    checked = box.find(f"{{{W14}}}checked")
    return checked is not None and _on(checked.get(f"{{{W14}}}val", "true"))


def _on(value: str) -> bool:
    return value.strip().lower() in ("1", "true", "on")


def _sym(el: etree._Element) -> str:
    """A w:sym: a tick or box from a symbol font, else the character it names when it is a real one."""
    try:
        code = int(el.get(_w("char"), ""), 16)
    except ValueError:
        return ""
    table = SYMBOL_TICKS.get((el.get(_w("font")) or "").strip().lower())
    if table is not None:
        return table.get(code - 0xF000 if code >= 0xF000 else code, "")
    # Another font: a real Unicode character prints as itself; private-use codes are unknown pictures.
    # Codes that are no character at all (a lone surrogate, a control code, past U+10FFFF) read as nothing.
    if 0xE000 <= code <= 0xF8FF or not 0x20 <= code <= 0x10FFFF or is_control(chr(code)):
        return ""
    return chr(code)


def _run_symbol_font(r: etree._Element) -> dict[int, str] | None:
    """The tick table of the symbol font a run's letters are set in, if they are."""
    fonts = r.find(f"{_w('rPr')}/{_w('rFonts')}")
    if fonts is None:
        return None
    for attr in ("ascii", "hAnsi"):
        table = SYMBOL_TICKS.get((fonts.get(_w(attr)) or "").strip().lower())
        if table is not None:
            return table
    return None


def _symbol_text(text: str, table: dict[int, str] | None) -> str:
    """Letters set in a symbol font print as its pictures: ticks and boxes are kept, other pictures dropped;
    characters beyond one byte fall back to an ordinary font in Word and print as themselves."""
    if table is None:
        return text
    out = []
    for ch in text:
        code = ord(ch) - 0xF000 if 0xF000 <= ord(ch) <= 0xF0FF else ord(ch)
        out.append(ch if code >= 0x100 or ch.isspace() else table.get(code, ""))
    return "".join(out)


def _text_boxes(el: etree._Element) -> Iterator[etree._Element]:
    """Text boxes in a drawing, skipping mc:Fallback (the same box again, in VML) and boxes within boxes."""
    for child in el:
        if child.tag == FALLBACK:
            continue
        if child.tag == TXBX_CONTENT:
            yield child
        elif isinstance(child.tag, str):
            yield from _text_boxes(child)
