"""The id printed under the QR code: read by OCR when the code cannot be read, and taken only when it has
an id's shape and the register issued it as that form; anything else is flagged, never accepted."""

from __future__ import annotations

import json
from pathlib import Path

import pdfplumber
import pytest
import zxingcpp
from PIL import Image, ImageDraw

from baodao.docgen.batch import GenerateOptions, generate
from baodao.form_templates.catalog import get_form
from baodao.intake.model import ReadRecord
from baodao.intake.printed_id import id_area, settle_id
from baodao.store.db import connect
from baodao.store.register import list_issued, record_issued
from baodao.store.returns import intake
from tests.intake.scans import degrade, render_pages

CARDS = [
    {"驻地单位党组织名称": "上海钢月浦资产经营有限责任公司本部支部", "单位地址": "友谊路100号"},
    {"驻地单位党组织名称": "宝山区市场监督管理局机关党支部", "单位地址": "友谊路200号"},
]


def _scan(printed_id: str | None, form: str = "yp-a3", form_id: str | None = None) -> ReadRecord:
    return ReadRecord(Path("scan.jpg"), form, form_id, {}, printed_id=printed_id)


def test_a_printed_id_is_taken_only_when_the_register_issued_it_as_that_form() -> None:
    issued = {("yp-a3", "ABCDE23456"), ("zz-b1", "SJ-2025-0101")}

    def check(key: str, ident: str) -> bool:
        return (key, ident) in issued

    assert settle_id(_scan("ABCDE23456"), check).form_id == "ABCDE23456"
    # OCR's look-alikes of a digest id's letters (base32 has no 0, 1 or 8) and lower case are undone.
    assert settle_id(_scan("abcde23456"), check).form_id == "ABCDE23456"
    assert settle_id(_scan("ABCDE2345G"), lambda k, i: i == "ABCDE2345G").form_id == "ABCDE2345G"
    assert settle_id(_scan("ABCDE2345G"), lambda k, i: False).form_id is None
    # Issued, but as another form: not this one's id.
    other = settle_id(_scan("ABCDE23456", form="yp-a5"), check)
    assert other.form_id is None
    [doubt] = other.issues
    title = get_form("yp-a5").spec.title
    assert (doubt.field, doubt.message) == (
        "编号",
        f"编号：二维码读不出，其下印的编号识别为“ABCDE23456”，发放登记中没有这份{title}。"
        "未与发放登记关联，请对照原件核对",
    )
    shape = settle_id(_scan("SJ 2025"), check)
    assert shape.form_id is None and "不像 baodao 印的编号" in shape.issues[0].message
    nothing = settle_id(_scan(""), check)
    assert nothing.form_id is None and "二维码和其下印的编号都没有读出" in nothing.issues[0].message
    # A form with its own 编号: the printed id first, else the 编号 written in its cell, if issued.
    assert settle_id(_scan("SJ—2025—0101", "zz-b1"), check).form_id == "SJ-2025-0101"
    assert settle_id(_scan("", "zz-b1", "SJ-2025-0101"), check).form_id == "SJ-2025-0101"
    unknown = settle_id(_scan("SJ-2025-0199", "zz-b1", "SJ-2025-0198"), check)
    assert unknown.form_id is None and [i.field for i in unknown.issues] == ["number"]
    assert "表上填的编号“SJ-2025-0198”也不在发放登记中" in unknown.issues[0].message
    # An id from the code (or from the file itself) is not looked at again.
    coded = _scan(None, form_id="ZZZZZZZZZZ")
    assert settle_id(coded, lambda k, i: False) is coded


@pytest.mark.scan
def test_a_blotted_code_gives_the_printed_id_when_issued_and_a_flag_when_not(tmp_path: Path) -> None:
    data = tmp_path / "cards.json"
    data.write_text(json.dumps(CARDS, ensure_ascii=False), encoding="utf-8")
    engine = connect(str(tmp_path / "db.sqlite3"))
    form = get_form("yp-a3")
    # Both cards are printed; the register knows only the first (the second came from somewhere else).
    blank = frozenset(f.label for f in form.spec.fields if f.required and f.label not in CARDS[0])
    made = generate(
        form,
        data,
        GenerateOptions(tmp_path / "out", pdf=True, blank=blank),
        lambda e: record_issued(engine, e[:1]),
    )
    assert made.combined_pdf is not None
    [known] = [e.form_id for e in list_issued(engine, "yp-a3")]
    with pdfplumber.open(made.combined_pdf) as pdf:
        printed = [
            next(ln["text"] for ln in p.extract_text_lines() if ln["top"] < 90 and ln["x0"] > 380)
            for p in pdf.pages
        ]
        code = pdf.pages[0].images[0]
        box = (code["x0"], code["top"], code["x1"], code["bottom"])
    stranger = printed[1]
    assert printed[0] == known and stranger != known
    area = id_area("yp-a3")
    assert area is not None and area[1] < 75 < area[3]  # the id's line (top 71.5 pt) is in the area
    folder = tmp_path / "交回"
    folder.mkdir()
    for n, page in enumerate(render_pages(made.combined_pdf, tmp_path / "pages")):
        image = Image.open(page).convert("RGB")
        # The code scribbled over with a pen, as a member who thought it was for them might.
        x0, top, x1, bottom = (v * 300 / 72 for v in box)
        draw = ImageDraw.Draw(image)
        draw.rectangle((x0 + 20, top + 20, x1 - 20, bottom - 20), fill=(20, 30, 90))
        for k in range(0, int(x1 - x0), 14):
            draw.line((x0 + k, top, x1 - k, bottom), fill=(20, 30, 90), width=6)
        scan = degrade(image, 1.0 if n == 0 else -1.0, seed=n)
        assert not zxingcpp.read_barcodes(scan), "the code must not be readable"
        scan.save(folder / f"card-{n}.jpg", quality=85)
    report = intake([folder], engine)
    got = {r.record.source.name: r.record for r in report.returned}
    assert got["card-0.jpg"].form_id == known
    assert {e.form_id: e.status for e in list_issued(engine, "yp-a3")} == {known: "returned"}
    flagged = got["card-1.jpg"]
    assert flagged.form == "yp-a3" and flagged.form_id is None
    [doubt] = [i for i in flagged.issues if i.field == "编号"]
    assert f"其下印的编号识别为“{stranger}”，发放登记中没有这份" in doubt.message
    engine.dispose()
