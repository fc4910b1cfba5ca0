"""The print check over every form's specimen and both bundled notices: what a 组织部 would send back.

Forms: no glyph within 1 pt of a cell's rule, no underline through the glyphs above it, no wrapped cell
line holding one character, no short name broken between lines. Notices: the GB/T 9704-2012 figures on
every page (tests/print_layout.py says which).
"""

from __future__ import annotations

import datetime as dt
from importlib import resources
from pathlib import Path

import pytest

from baodao.docgen.notice_model import read_notice
from baodao.docgen.notice_pdf import render_notices
from baodao.docgen.official import build_notice
from baodao.form_templates.catalog import forms
from baodao.form_templates.samples import sample_record
from baodao.form_templates.spec import Record
from baodao.office.pdf import convert_to_pdf
from tests import print_layout as layout
from tests.conftest import Specimen

KEYS = [f.key for f in forms()]
NOTICES = sorted(Path(str(resources.files("baodao.data"))).joinpath("notices").glob("*.yaml"))


def printed_values(record: Record) -> list[str]:
    """Every value of ``record`` as the form prints it (dates as 2025年3月12日), table cells included."""
    out: list[str] = []

    def add(value: object) -> None:
        if isinstance(value, dt.date):
            out.append(f"{value.year}年{value.month}月{value.day}日")
        elif isinstance(value, dict):
            for v in value.values():
                add(v)
        elif isinstance(value, list):
            for v in value:
                add(v)
        elif isinstance(value, (str, int)):
            out.append(str(value).replace(" ", ""))

    for value in record.values():
        add(value)
    return out


@pytest.fixture(scope="module")
def form_pages(specimens: dict[str, Specimen]) -> dict[str, list[layout.Page]]:
    return {key: layout.read_pages(s.pdf) for key, s in specimens.items()}


@pytest.mark.parametrize("key", KEYS)
def test_no_text_touches_a_cell_rule(form_pages: dict[str, list[layout.Page]], key: str) -> None:
    found = [p for page in form_pages[key] for p in layout.text_on_rules(page)]
    assert not found, f"{key}: {found[:5]}"


@pytest.mark.parametrize("key", KEYS)
def test_underlines_pass_below_the_glyphs(form_pages: dict[str, list[layout.Page]], key: str) -> None:
    found = [p for page in form_pages[key] for p in layout.underlines_through_text(page)]
    assert not found, f"{key}: {found[:5]}"


@pytest.mark.parametrize("key", KEYS)
def test_no_wrapped_cell_line_holds_one_character(form_pages: dict[str, list[layout.Page]], key: str) -> None:
    found = [p for page in form_pages[key] for p in layout.lone_characters(page)]
    assert not found, f"{key}: {found[:5]}"


@pytest.mark.parametrize("key", KEYS)
def test_no_name_is_broken_between_lines(
    form_pages: dict[str, list[layout.Page]], specimens: dict[str, Specimen], key: str
) -> None:
    values = printed_values(sample_record(specimens[key].form.spec))
    found = [p for page in form_pages[key] for p in layout.split_values(page, values)]
    assert not found, f"{key}: {found[:5]}"


@pytest.fixture(scope="module")
def notice_pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, bool]]:
    """Both bundled notices through one LibreOffice run, with the blank pages a 公文 needs."""
    out = tmp_path_factory.mktemp("notices")
    notices = {p.stem: read_notice(p) for p in NOTICES}
    made = render_notices([(n, out / f"{stem}.docx") for stem, n in notices.items()], out)
    return {
        stem: (pdf, n.printer is not None) for (stem, n), (_, pdf) in zip(notices.items(), made, strict=True)
    }


@pytest.mark.parametrize("stem", [p.stem for p in NOTICES])
def test_notice_meets_gb_t_9704_on_every_page(notice_pdfs: dict[str, tuple[Path, bool]], stem: str) -> None:
    pdf, has_imprint = notice_pdfs[stem]
    problems = layout.check_notice(layout.read_pages(pdf), imprint_expected=has_imprint)
    assert not problems, f"{stem}: {problems}"


def test_the_imprint_closes_an_even_page_at_the_body_foot_numbered_after_text(
    notice_pdfs: dict[str, tuple[Path, bool]],
) -> None:
    """荣社发's text ends on an odd page: the 版记's page follows it, with no blank page between, so it
    keeps its number (§7.5 leaves unnumbered only a blank page and the 版记's after it)."""
    pdf, _ = notice_pdfs["rongcheng-2019-3"]
    pages = layout.read_pages(pdf)
    assert len(pages) % 2 == 0
    rules = [s for s in pages[-1].free_lines() if s.end - s.start > 150 * layout.MM]
    assert abs(max(s.at for s in rules) / layout.MM - 262) <= 1
    assert layout.body_glyphs(pages[-2]) and not layout._imprint_page_has_body(pages[-1])
    number, glyphs = layout.page_number(pages[-1])
    assert number == len(pages) and not layout._number_place(pages[-1], glyphs)


def test_landscape_pages_are_numbered_where_the_portrait_pages_are_once_turned(
    notice_pdfs: dict[str, tuple[Path, bool]],
) -> None:
    """荣社发〔2019〕3号's 附件1 and 2 are landscape, on pages 6 and 7: each number runs down the page's left
    edge (the sheet's foot, turned with its top to the left), the even one near the top, the odd one near
    the foot, and counts the sheet; the check finds it there and measures it as on a portrait page."""
    pdf, _ = notice_pdfs["rongcheng-2019-3"]
    pages = layout.read_pages(pdf)
    turned = [p for p in pages if p.landscape]
    assert [p.index for p in turned] == [6, 7]
    for page in turned:
        number, glyphs = layout.page_number(page)
        assert number == page.index
        assert glyphs and not any(g.upright for g in glyphs)
        assert all(g.x1 < 32 * layout.MM for g in glyphs)  # on the left edge, clear of the 版心 (37 mm)
    even, odd = (layout.page_number(p)[1] for p in turned)
    assert max(g.bottom for g in even) < 60 * layout.MM < 150 * layout.MM < min(g.top for g in odd)
    assert not [p for page in turned for p in layout._number_place(page, layout.page_number(page)[1])]


JOINT_NOTICE = {
    "issuers": ["中共某某区委组织部", "某某区社区服务中心"],
    "number": "某组发〔2025〕7号",
    "title": "关于做好在职党员到社区报到工作的通知",
    "addressees": "各街道党工委，区直各单位党组织：",
    "signatures": ["中共某某区委组织部", "某某区社区服务中心"],
    "date": dt.date(2025, 3, 1),
    "cc": "区委办公室",
    "printer": "某某区社区服务中心",
    "print_date": dt.date(2025, 3, 1),
}
PARAGRAPH = (
    "各社区党组织要把在职党员到社区报到工作作为加强城市基层党建的重要抓手，主动对接驻区单位和在职党员，"
    "摸清需求清单、资源清单和项目清单，做到报到有登记、服务有记录、考核有依据，确保工作落到实处、取得实效。"
)


def test_the_imprint_shares_an_even_last_page_with_room_under_the_text(tmp_path: Path) -> None:
    """Text ending on page 2 with room under it: laid out blind, the 版记 goes alone on page 4 after a
    blank page 3, which the check reports; printed by ``render_notices``, it closes page 2, on the 版心's
    foot, and page 2 keeps its number."""
    import yaml

    data = tmp_path / "通知.yaml"
    data.write_text(yaml.safe_dump({**JOINT_NOTICE, "body": [PARAGRAPH] * 6}, allow_unicode=True), "utf-8")
    notice = read_notice(data)
    blind = convert_to_pdf([build_notice(notice, tmp_path / "blind" / "通知.docx")], tmp_path / "blind", True)
    first = layout.read_pages(blind[0])
    assert len(first) == 4 and not layout.body_glyphs(first[2])
    assert layout.check_notice(first) == [
        "版记 alone on page 4 after a blank page, though it fits under the text of page 2, an even page"
    ]
    [(docx, pdf)] = render_notices([(notice, tmp_path / "通知.docx")], tmp_path)
    pages = layout.read_pages(pdf)
    assert len(pages) == 2 and docx.exists()
    assert layout.check_notice(pages) == []
    assert layout.page_number(pages[1])[0] == 2
    rules = [s for s in pages[1].free_lines() if s.end - s.start > 150 * layout.MM]
    assert len(rules) == 3 and abs(max(s.at for s in rules) / layout.MM - 262) <= 1
    body = [g for g in layout.body_glyphs(pages[1]) if g.bottom < min(s.at for s in rules)]
    assert "".join(g.text for g in body).endswith("2025年3月1日")


def test_a_forwarded_document_starts_on_a_front_page(notice_pdfs: dict[str, tuple[Path, bool]]) -> None:
    """郑直〔2019〕47号 starts on an odd page: the blank page before it is kept, unnumbered, and counted."""
    pdf, _ = notice_pdfs["zhengzhou-weijian-2019-31"]
    pages = layout.read_pages(pdf)
    starts = [p.index for p in pages if any(g.red for g in p.glyphs) and p.index > 1]
    assert starts and all(i % 2 == 1 for i in starts)
    blank = pages[starts[0] - 2]
    assert not layout.body_glyphs(blank) and layout.page_number(blank)[0] is None
    assert layout.page_number(pages[starts[0] - 1])[0] == starts[0]


def test_the_check_finds_text_on_a_rule_and_a_lone_character(tmp_path: Path) -> None:
    """The check is not blind: text in a row lower than itself, and a cell whose last line holds one
    character, are both reported."""
    from docx import Document
    from docx.shared import Mm

    from baodao.form_templates.builder import docx_kit as kit

    doc = Document()
    for text, exact in (("党建", True), ("党建工作指导岗", False)):
        table = doc.add_table(rows=1, cols=2)
        kit.set_table_borders(table, "single")
        kit.set_table_layout_fixed(table, [40, 40])
        if exact:
            kit.set_row_height(table.rows[0], 5, exact=True)  # lower than its 16 pt text
        kit.set_run_font(table.cell(0, 0).paragraphs[0].add_run(text), kit.FANGSONG, 16)
        doc.add_paragraph().paragraph_format.space_after = Mm(5)
    doc.save(str(tmp_path / "tight.docx"))
    pages = layout.read_pages(convert_to_pdf([tmp_path / "tight.docx"], tmp_path)[0])
    assert any("党" in problem for p in pages for problem in layout.text_on_rules(p))
    assert [problem for p in pages for problem in layout.lone_characters(p)] == ["p1 党建工作指导/岗"]
