"""Lays out a Notice as a GB/T 9704-2012 official document, with its forms attached as sections."""

from __future__ import annotations

import re
import tempfile
import unicodedata
from copy import deepcopy
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_SECTION_START
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsmap, qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph
from docxcompose.composer import Composer

from baodao.docgen.compose import append_document
from baodao.docgen.notice_model import Attachment, Enclosure, Notice
from baodao.docgen.render import render_docx
from baodao.files import atomic_path
from baodao.form_templates import docx_compat  # noqa: F401  (before any python-docx document)
from baodao.form_templates.builder import docx_kit as kit
from baodao.form_templates.builder.dsl import APPENDIX_LABEL
from baodao.form_templates.catalog import get_form
from baodao.form_templates.samples import sample_record
from baodao.form_templates.spec import Record

RED = "FF0000"
LINE_PT = 28.95  # 225 mm 版心 / 22 lines
# LibreOffice sets a 3号 line's ink about 3.2 mm below the top of its 28.95 pt line: the 公文's pages start
# that much higher, so the first line's ink stands on the 版心's top, 37 mm down (GB/T 9704 §5.2.1).
INK_DROP_MM = 3.2
NOTICE_TOP_MM = kit.TOP_MM - INK_DROP_MM
# The 版心's foot stays at 262 mm: 22 lines fit between, a 23rd does not.
NOTICE_BOTTOM_MM = kit.PAGE_H_MM - kit.TOP_MM - kit.BODY_H_MM
# 发文机关标志's top 35 mm under the 版心's top (§7.2.4): the blank above the mark, measured.
MARK_SPACER_MM = 35.0 + INK_DROP_MM - 1.3
# The page number's 一字线 7 mm under the 版心 (§7.5): the footer's distance from the page's foot, measured.
FOOTER_MM = 25.1
# The 版记's rows; its last rule lies on the 版心's foot (§7.4.1).
IMPRINT_ROW_MM = 8.0
# The red rule's paragraph: with the 发文字号's line, the rule stands 4 mm under its characters (§7.2.6).
RULE_MM = 2.0
# Taken off an attached form's row heights (no row below MIN_ROW_SHARE of its own) for its 附件 head.
HEAD_ROOM_MM = 30.0
MIN_ROW_SHARE = 0.7
# Joint issuers' names stand this many sizes apart: close enough that a one-page notice keeps its
# 署名 and 成文日期 on its first page.
JOINT_LINE = 1.1
JOINT_MARK_DROP_MM = 1.0
BODY_PT = kit.SIZE_3HAO
# 28 characters of 16 pt are 448 pt, wider than the 442 pt 版心: tighten each by a quarter point.
CHAR_SPACING_TWIPS = -5
_LEVEL1 = re.compile(r"^[一二三四五六七八九十]+、")
_LEVEL2 = re.compile(r"^（[一二三四五六七八九十]+）")
_LEVEL3 = re.compile(r"^\d+[.、．]")


def build_notice(
    notice: Notice, out: Path, imprint_after: float | None = None, imprint_numbered: bool = False
) -> Path:
    """Write ``out``: the notice, its enclosures, attachments, any forwarded document, and the 版记.

    ``imprint_after``: the 版记 follows the text on its page, this many millimetres under it, for a text
    known to end on an even page with room at its foot; ``imprint_numbered``: the 版记's own page carries
    its number, for a text known to end on an odd page, so that no blank page comes between
    (``docgen.notice_pdf`` finds out both by printing)."""
    doc = _new_document()
    _write_document(doc, notice)
    composer = Composer(doc)
    with tempfile.TemporaryDirectory(prefix="baodao-notice-") as work:
        _append_attachments(composer, notice, Path(work))
        if notice.forwarded is not None:
            forwarded = _new_document()
            _write_document(forwarded, notice.forwarded)
            append_document(composer, forwarded, start="oddPage")
            _append_attachments(composer, notice.forwarded, Path(work))
        _number_sections(composer.doc)
        _imprint(composer.doc, notice, imprint_after, imprint_numbered)
        with atomic_path(out) as tmp:
            composer.save(str(tmp))
    return out


def _new_document() -> DocxDocument:
    """A document whose Normal style is the forms' own, so attached forms keep their spacing; the 公文's
    exact line pitch and tightened characters are set on its own paragraphs and runs instead."""
    doc = Document()
    kit.setup_section(doc.sections[0], landscape=False)
    _notice_margins(doc.sections[0])
    normal = doc.styles["Normal"]
    kit.set_style_font(normal, kit.FANGSONG, kit.SIZE_4HAO)
    fmt = normal.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing = 1.0
    _page_numbers(doc)
    return doc


def _notice_margins(section) -> None:  # type: ignore[no-untyped-def]
    """The 公文's 版心 on a portrait page (see INK_DROP_MM), and its page numbers' place."""
    if section.page_width < section.page_height:
        section.top_margin, section.bottom_margin = Mm(NOTICE_TOP_MM), Mm(NOTICE_BOTTOM_MM)
    section.footer_distance = Mm(FOOTER_MM)


def _page_numbers(doc: DocxDocument) -> None:
    """“— N —” in 4号宋体, odd pages at the right and even pages at the left, one character in."""
    doc.settings.odd_and_even_pages_header_footer = True
    section = doc.sections[0]
    for footer, align in ((section.footer, "right"), (section.even_page_footer, "left")):
        _number_paragraph(footer.paragraphs[0], align)


def _number_paragraph(p: Paragraph, align: str) -> None:
    """“— N —” in 4号宋体, one character in from the 版心's right (odd pages) or left (even pages)."""
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT if align == "right" else WD_ALIGN_PARAGRAPH.LEFT
    fmt = p.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    fmt.space_before = fmt.space_after = Pt(0)
    if align == "right":
        fmt.right_indent = Pt(kit.SIZE_4HAO)
    else:
        fmt.left_indent = Pt(kit.SIZE_4HAO)
    _run(p, "— ", kit.SONGTI, kit.SIZE_4HAO)
    _page_field(p)
    _run(p, " —", kit.SONGTI, kit.SIZE_4HAO)


def _number_sections(doc: DocxDocument) -> None:
    """Every section's footers, named outright (a section that names none takes the one's before it):
    portrait pages share the first section's; landscape pages share a pair of their own, whose numbers
    stand where the portrait pages have theirs once the sheet is turned for binding (§7.5, §10.1)."""
    sections = list(doc.sections)
    portrait = _footer_references(sections[0])
    landscape: list[object] | None = None
    for section in sections[1:]:
        if (section.page_width or 0) > (section.page_height or 0):
            if landscape is None:
                _side_numbers(section)
                landscape = _footer_references(section)
                continue
            _use_footers(section, landscape)
        else:
            _use_footers(section, portrait)


def _footer_references(section) -> list[object]:  # type: ignore[no-untyped-def]
    return [deepcopy(r) for r in section._sectPr.findall(qn("w:footerReference"))]


def _use_footers(section, references: list[object]) -> None:  # type: ignore[no-untyped-def]
    sect = section._sectPr
    for old in sect.findall(qn("w:footerReference")):
        sect.remove(old)
    for ref in reversed(references):
        sect.insert(0, deepcopy(ref))  # schema order: header and footer references come first


# A landscape page is turned so that its top (the table's head) lies on the sheet's left edge, odd and
# even pages alike (GB/T 9704 §10.1: 单页码表头在订口一边，双页码表头在切口一边). The portrait page's foot is
# then the landscape page's left edge: the number runs down it, turned a quarter clockwise, in a floating
# one-cell table as long as the 版心 is wide, starting as far down as the portrait 版心 starts from the
# left (LibreOffice puts a text box of a footer in the page's corner, whatever position it is given).
SIDE_NUMBER_BOX_MM = 8.0  # the cell's breadth, across the page
SIDE_NUMBER_EDGE_MM = 32.2  # the cell's inner side from the page's left edge: the 一字线 7 mm off the 版心


def _side_numbers(section) -> None:  # type: ignore[no-untyped-def]
    for footer, align in ((section.footer, "right"), (section.even_page_footer, "left")):
        footer.is_linked_to_previous = False
        holder = footer.paragraphs[0]
        number = footer.add_paragraph()
        _number_paragraph(number, align)
        number._p.getparent().remove(number._p)
        holder._p.addprevious(_side_table(number._p))


def _side_table(paragraph: object) -> object:
    """A one-cell table floating on the page's left edge, its text turned a quarter clockwise (tbRl)."""
    twips = 1440 / 25.4  # per mm
    width, length = round(SIDE_NUMBER_BOX_MM * twips), round(kit.BODY_W_MM * twips)
    x = round((SIDE_NUMBER_EDGE_MM - SIDE_NUMBER_BOX_MM) * twips)
    y = round(kit.BINDING_MM * twips)
    table = parse_xml(
        f'''<w:tbl xmlns:w="{nsmap["w"]}"><w:tblPr>
<w:tblpPr w:leftFromText="0" w:rightFromText="0" w:topFromText="0" w:bottomFromText="0"
 w:vertAnchor="page" w:horzAnchor="page" w:tblpX="{x}" w:tblpY="{y}"/>
<w:tblW w:w="{width}" w:type="dxa"/><w:tblLayout w:type="fixed"/>
<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="0" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/>
<w:right w:w="0" w:type="dxa"/></w:tblCellMar></w:tblPr>
<w:tblGrid><w:gridCol w:w="{width}"/></w:tblGrid>
<w:tr><w:trPr><w:trHeight w:val="{length}" w:hRule="exact"/></w:trPr>
<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/><w:textDirection w:val="tbRl"/></w:tcPr></w:tc></w:tr>
</w:tbl>'''
    )
    next(table.iter(qn("w:tc"))).append(paragraph)
    return table


def _page_field(p: Paragraph) -> None:
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        run = _run(p, "", kit.SONGTI, kit.SIZE_4HAO)
        if kind is not None:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._element.append(fld)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._element.append(instr)
        else:
            run.text = text


def _run(p: Paragraph, text: str, font: str, size: float, color: str | None = None, bold: bool = False):  # type: ignore[no-untyped-def]
    run = p.add_run(text)
    kit.set_run_font(run, font, size, bold=bold or None, color=color)
    if size == BODY_PT:
        kit.set_char_spacing(run, CHAR_SPACING_TWIPS)
    return run


def _grid_paragraph(
    doc: DocxDocument, align: str = "justify", indent: bool = True, line: float | None = LINE_PT
) -> Paragraph:
    """A paragraph on the 公文's line grid (``line`` pt apart; None: single spacing).

    ``align`` is the paragraph's own alignment: "left" is ragged right, "justify" fills the line.
    """
    p = doc.add_paragraph()
    fmt = p.paragraph_format
    fmt.alignment = {
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
        "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    }[align]
    if indent:
        fmt.first_line_indent = Pt(BODY_PT * 2)
    if line is None:
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    else:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(line)
    fmt.widow_control = False
    return p


def _blank(doc: DocxDocument, lines: int = 1) -> None:
    for _ in range(lines):
        _grid_paragraph(doc, indent=False)


def _write_document(doc: DocxDocument, notice: Notice) -> None:
    _masthead(doc, notice)
    _title(doc, notice.title)
    _blank(doc)
    _run(_grid_paragraph(doc, "left", indent=False), notice.addressees, kit.FANGSONG, BODY_PT)
    for text in notice.body:
        _body_paragraph(doc, text)
    # A notice that issues a 方案 lists the attachments at the end of the 方案, as seed 000 does.
    if notice.attachments and not notice.enclosures:
        _blank(doc)
        _attachment_note(doc, notice.attachments)
    _signature(doc, notice)
    for enclosure in notice.enclosures:
        _enclosure(doc, enclosure)
    if notice.attachments and notice.enclosures:
        _blank(doc)
        _attachment_note(doc, notice.attachments)


def _masthead(doc: DocxDocument, notice: Notice) -> None:
    """版头: red 发文机关标志 35 mm below the 版心 top, 发文字号, and the red rule."""
    spacer = _grid_paragraph(doc, indent=False, line=None)
    spacer.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    # joint issuers' names stand on closer lines than one name does, so their ink starts higher
    spacer.paragraph_format.line_spacing = Mm(
        MARK_SPACER_MM + (JOINT_MARK_DROP_MM if len(notice.issuers) > 1 else 0)
    )
    longest = max(_width(name) for name in notice.issuers)
    if len(notice.issuers) == 1:
        size = min(42.0, 0.95 * 442 / (longest + _width(notice.mark_suffix)))
        p = _grid_paragraph(doc, "center", indent=False, line=None)
        _run(p, notice.issuers[0] + notice.mark_suffix, kit.XIAOBIAOSONG, size, color=RED)
    else:
        size = min(30.0, 0.9 * (442 - 2 * 36 - 17) / longest)
        _joint_masthead(doc, notice, size)
    _blank(doc, 2)
    _run(_grid_paragraph(doc, "center", indent=False), notice.number, kit.FANGSONG, BODY_PT)
    rule = _grid_paragraph(doc, indent=False, line=None)
    rule.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    # The rule is drawn at this paragraph's foot; the 发文字号's line ends about 2 mm under its characters.
    rule.paragraph_format.line_spacing = Mm(RULE_MM)
    kit.set_paragraph_border(rule, "bottom", size=18, color=RED, space=0)


def _joint_masthead(doc: DocxDocument, notice: Notice, size: float) -> None:
    """Joint issuers stacked on the left, “文件” centred on their right (GB/T 9704 §7.2.1)."""
    suffix_mm = size * 2 * 0.3528 + 6  # two characters plus the cell margins
    table = doc.add_table(rows=len(notice.issuers), cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    kit.set_table_borders(table, "nil")
    kit.set_table_layout_fixed(table, [kit.BODY_W_MM - suffix_mm, suffix_mm])
    for i, name in enumerate(notice.issuers):
        p = table.cell(i, 0).paragraphs[0]
        p.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.DISTRIBUTE
        p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        p.paragraph_format.line_spacing = Pt(size * JOINT_LINE)
        _run(p, name, kit.XIAOBIAOSONG, size, color=RED)
    cell = table.cell(0, 1).merge(table.cell(len(notice.issuers) - 1, 1))
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    p = cell.paragraphs[0]
    p.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    _run(p, notice.mark_suffix, kit.XIAOBIAOSONG, size, color=RED)


def _title(doc: DocxDocument, title: str, blank_lines: int = 2) -> None:
    """A title in 2号小标宋, on the grid, after ``blank_lines`` blank lines (§7.3.1, §8)."""
    _blank(doc, blank_lines)
    for line in title.split("\n"):
        _run(_grid_paragraph(doc, "center", indent=False), line, kit.XIAOBIAOSONG, kit.SIZE_2HAO)


def _body_paragraph(doc: DocxDocument, text: str) -> None:
    """A 正文 paragraph; headings 一、 in 黑体, （一） in 楷体, 1. in bold 仿宋, as GB/T 9704 §7.3.3 sets."""
    p = _grid_paragraph(doc)
    for pattern, font, bold in (
        (_LEVEL1, kit.HEITI, False),
        (_LEVEL2, kit.KAITI, False),
        (_LEVEL3, kit.FANGSONG, True),
    ):
        if pattern.match(text):
            head, sep, rest = text.partition("。")
            if not sep or (len(head) > 30 and pattern is not _LEVEL1):
                head, rest = text, ""
            _run(p, head + sep, font, BODY_PT, bold=bold)
            if rest:
                _run(p, rest, kit.FANGSONG, BODY_PT)
            return
    _run(p, text, kit.FANGSONG, BODY_PT)


def _attachment_note(doc: DocxDocument, attachments: tuple[Attachment, ...]) -> None:
    """附件说明: “附件：1.…”, further items aligned under the first."""
    for i, att in enumerate(attachments, start=1):
        p = _grid_paragraph(doc, "left", indent=False)
        fmt = p.paragraph_format
        fmt.left_indent = Pt(BODY_PT * 5)
        fmt.first_line_indent = Pt(-BODY_PT * 3) if i == 1 else Pt(0)
        prefix = "附件：" if i == 1 else ""
        number = f"{i}." if len(attachments) > 1 else ""
        _run(p, f"{prefix}{number}{att.title}", kit.FANGSONG, BODY_PT)


def _signature(doc: DocxDocument, notice: Notice) -> None:
    """署名 centred over the 成文日期, which stands four characters in from the right (§7.3.5.2)."""
    # No “(此页无正文)”: GB/T 9704-2012 §7.3.5.4 keeps the 署名 with the text by adjusting the spacing, and
    # the 署名 here follows the text on its page (Notice.no_body_note is read, not printed).
    _blank(doc)
    when = f"{notice.date.year}年{notice.date.month}月{notice.date.day}日"
    date_w = _width(when)
    for name in notice.signatures:
        for line in name.split("\n"):
            p = _grid_paragraph(doc, "right", indent=False)
            p.paragraph_format.right_indent = Pt(BODY_PT * max(0.0, 4 + (date_w - _width(line)) / 2))
            p.paragraph_format.keep_with_next = True
            _run(p, line, kit.FANGSONG, BODY_PT)
    p = _grid_paragraph(doc, "right", indent=False)
    p.paragraph_format.right_indent = Pt(BODY_PT * 4)
    _run(p, when, kit.FANGSONG, BODY_PT)


def _enclosure(doc: DocxDocument, enclosure: Enclosure) -> None:
    """A 方案 the notice issues, from a new page, its title on the third line."""
    # A section of its own, not a page break: LibreOffice carries the 署名's keep-with-next lines over a
    # page break to the next page, leaving the notice's signature alone on a page.
    doc.add_section(WD_SECTION_START.NEW_PAGE)
    _title(doc, enclosure.title)
    _blank(doc)
    for text in enclosure.body:
        _body_paragraph(doc, text)


def _append_attachments(composer: Composer, notice: Notice, work: Path) -> None:
    """Each attachment from a new page, headed “附件N” in 3号黑体 at the top left."""
    for i, att in enumerate(notice.attachments, start=1):
        label = f"附件{i}" if len(notice.attachments) > 1 else "附件"
        is_form = att.form is not None or att.docx is not None
        if att.docx is not None:
            part = Document(str(att.docx))
        elif att.form is not None:
            form = get_form(att.form)
            record: Record = dict(att.data) if att.data is not None else sample_record(form.spec)
            path = render_docx(form.docx, form.spec, record, work / f"attachment-{i}-{form.key}.docx")
            part = Document(str(path))
        else:
            part = _new_document()
            _title(part, att.title, blank_lines=1)
            _blank(part)
            for text in att.body:
                _body_paragraph(part, text)
        if is_form:
            _make_room(part, HEAD_ROOM_MM)
        _head_attachment(part, label, is_form=is_form)
        for section in part.sections:
            _notice_margins(section)
        append_document(composer, part)


def _head_attachment(part: DocxDocument, label: str, is_form: bool) -> None:
    """“附件N” on the first line in 3号黑体; a form's own title moves to the third line, in 2号小标宋 (§8).

    A form printed as its seed's 附件N brings that label along: the notice's own takes its place.
    """
    for p in part.paragraphs:
        if _is_title(p):
            break
        if APPENDIX_LABEL.fullmatch(p.text.strip()):
            p._p.getparent().remove(p._p)
    first = part.element.body[0]
    head = OxmlElement("w:p")
    first.addprevious(head)
    _run(_on_grid(Paragraph(head, part._body)), label, kit.HEITI, BODY_PT)
    if not is_form:
        return
    title = next((p for p in part.paragraphs if _is_title(p)), None)
    if title is None:
        return
    gap = OxmlElement("w:p")
    title._p.addprevious(gap)
    _on_grid(Paragraph(gap, part._body))
    _on_grid(title).paragraph_format.space_after = Pt(0)
    for run in title.runs:
        run.font.size = Pt(kit.SIZE_2HAO)


def _make_room(part: DocxDocument, mm: float) -> None:
    """Take ``mm`` off the form's row heights, shared in proportion (no row below 80%): the 附件 label and
    the title on the third line take that much more than the form's own title, and a form made to fill
    its page would otherwise spill a line or two onto the next."""
    rows = [tr for tr in part.element.body.iter(qn("w:trHeight")) if tr.get(qn("w:val"))]
    total = sum(int(tr.get(qn("w:val"))) for tr in rows) / 56.6929
    if not total:
        return
    factor = max(MIN_ROW_SHARE, 1 - mm / total)
    for tr in rows:
        tr.set(qn("w:val"), str(round(int(tr.get(qn("w:val"))) * factor)))
    # and the space between its paragraphs: halved, with exact line pitches a tenth closer
    for spacing in part.element.body.iter(qn("w:spacing")):
        if spacing.getparent().tag != qn("w:pPr"):
            continue  # a run's character spacing
        for edge in ("w:before", "w:after"):
            if spacing.get(qn(edge)):
                spacing.set(qn(edge), str(int(spacing.get(qn(edge))) // 2))
        if spacing.get(qn("w:lineRule")) == "exact" and spacing.get(qn("w:line")):
            spacing.set(qn("w:line"), str(round(int(spacing.get(qn("w:line"))) * 0.9)))


def _is_title(p: Paragraph) -> bool:
    return any(run.text.strip() and run.font.name == kit.XIAOBIAOSONG for run in p.runs)


def _on_grid(p: Paragraph) -> Paragraph:
    fmt = p.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(LINE_PT)
    fmt.space_before = fmt.space_after = Pt(0)
    return p


def _imprint(doc: DocxDocument, notice: Notice, after: float | None = None, numbered: bool = False) -> None:
    """版记 on the last page, an even one, its last rule on the 版心's foot (§7.4.1): 抄送 and the 印发
    line between rules, thick first and last, thin between.

    By default it takes a section of its own that starts on an even page, so a text ending on an odd page
    is followed by the 版记's page, and one ending on an even page by a blank page and then the 版记's.
    A blank page and the 版记's after it carry no page number (§7.5); a 版记's page right after the text
    does (``numbered``). With ``after`` (mm), it follows the text on its page, that far under it, which
    keeps the page's number. (LibreOffice keeps a floating table in the flow,
    and a framed paragraph with rules too, so the 版记 cannot simply be placed at the page's foot.)
    """
    if notice.printer is None:
        return
    when = notice.print_date or notice.date
    lines = []
    if notice.cc:
        lines.append(("cc", f"抄送：{notice.cc}"))
    lines.append(("print", f"{notice.printer}\t{when.year}年{when.month}月{when.day}日印发"))
    if after is None:
        section = doc.add_section(WD_SECTION_START.EVEN_PAGE)
        kit.setup_section(section, landscape=False)
        _notice_margins(section)
        for footer in (section.footer, section.even_page_footer):
            footer.is_linked_to_previous = False
        if numbered:  # the 版记's page is even: only its footer is numbered, a blank page's stays empty
            _number_paragraph(section.even_page_footer.paragraphs[0], "left")
    spacer = _grid_paragraph(doc, indent=False)
    spacer.paragraph_format.line_spacing = Mm(
        max(after, 0.5)
        if after is not None
        else kit.TOP_MM + kit.BODY_H_MM - NOTICE_TOP_MM - IMPRINT_ROW_MM * len(lines)
    )
    table = doc.add_table(rows=len(lines), cols=1)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    kit.set_table_borders(table, "nil")
    kit.set_table_layout_fixed(table, [kit.BODY_W_MM])
    for r, (_, text) in enumerate(lines):
        kit.set_row_height(table.rows[r], IMPRINT_ROW_MM, exact=True)
        cell = table.cell(r, 0)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        para = cell.paragraphs[0]
        fmt = para.paragraph_format
        fmt.left_indent = fmt.right_indent = Pt(kit.SIZE_4HAO)
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
        fmt.tab_stops.add_tab_stop(Mm(kit.BODY_W_MM) - Pt(2 * kit.SIZE_4HAO), WD_TAB_ALIGNMENT.RIGHT)
        _run(para, text, kit.FANGSONG, kit.SIZE_4HAO)
        edges = {"bottom": "single"}
        if r == 0:
            edges["top"] = "single"
        kit.set_cell_borders(cell, **edges)
        _rule_weight(cell, "top" if r == 0 else None, "bottom", last=r == len(lines) - 1)


def _rule_weight(cell, top: str | None, bottom: str, last: bool) -> None:  # type: ignore[no-untyped-def]
    """First and last rules 0.35 mm (sz 8), the ones between 0.25 mm (sz 6)."""
    borders = cell._tc.tcPr.find(qn("w:tcBorders"))
    if top is not None:
        borders.find(qn("w:top")).set(qn("w:sz"), "8")
    borders.find(qn("w:bottom")).set(qn("w:sz"), "8" if last else "6")


def _width(text: str) -> float:
    """Width in characters: CJK and full-width count one, Latin letters and digits half."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in ("W", "F") else 0.5 for ch in text)
