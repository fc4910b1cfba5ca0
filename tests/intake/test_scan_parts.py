"""The parts scans are read with: committed layouts in step with templates, models inside the wheel,
image limits, and the tick reader on boxes drawn by hand."""

from __future__ import annotations

import json
import socket
import sys
from dataclasses import asdict
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from baodao.errors import DataError
from baodao.form_templates.catalog import forms
from baodao.intake.align import Placement
from baodao.intake.layout import LAYOUT_FILE, layout_of, template_hash
from baodao.intake.limits import Limits
from baodao.intake.ocr import RapidEngine, TesseractEngine, engine, model_files
from baodao.intake.scan_reader import page_images
from baodao.intake.ticks import EMPTY_MAX, TICKED_MIN, Tick, read_tick
from baodao.jobs.layouts import write_layouts
from baodao.office.programs import face_file


def test_every_form_has_a_layout_made_from_its_current_template() -> None:
    for form in forms():
        data = json.loads((form.folder / LAYOUT_FILE).read_text(encoding="utf-8"))
        assert data["template_sha256"] == template_hash(form), f"{form.key}: run make templates"
        assert layout_of(form.key).pages, form.key


@pytest.mark.slow
def test_layouts_rebuild_identically(tmp_path: Path) -> None:
    """`make templates` would write exactly what is committed (one LibreOffice run, a few seconds)."""
    committed = {f.key: json.loads((f.folder / LAYOUT_FILE).read_text(encoding="utf-8")) for f in forms()}
    write_layouts(["zz-b1", "yp-a3", "yp-a5"], into=tmp_path)
    written = {
        p.parent.name: json.loads(p.read_text(encoding="utf-8")) for p in tmp_path.glob("*/layout.json")
    }
    for key in ("zz-b1", "yp-a3", "yp-a5"):
        assert written[key] == committed[key], key
        assert json.loads(json.dumps(asdict(layout_of(key)))) == committed[key], key  # loads back whole


def test_ocr_models_ship_inside_the_package_and_load_without_network(monkeypatch: pytest.MonkeyPatch) -> None:
    models = model_files()
    assert {m.name for m in models} >= {"ch_PP-OCRv4_det_infer.onnx", "ch_PP-OCRv4_rec_infer.onnx"}
    assert all("site-packages" in str(m) and m.stat().st_size > 500_000 for m in models)

    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("OCR tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    line = Image.new("L", (260, 60), 255)
    engine = RapidEngine()
    assert engine.line(line).text == ""


def test_a_decompression_bomb_is_refused_before_decoding(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.png"
    Image.new("1", (20_000, 20_000)).save(bomb)  # a few KB on disk, 400 megapixels decoded
    with pytest.raises(DataError, match="像素过多"):
        page_images(bomb, Limits(max_image_megapixels=100))


def test_a_tiff_with_too_many_pages_is_refused(tmp_path: Path) -> None:
    pages = [Image.new("L", (250, 350), 255) for _ in range(4)]
    path = tmp_path / "many.tiff"
    pages[0].save(path, save_all=True, append_images=pages[1:])
    with pytest.raises(DataError, match="超过上限 3 页"):
        page_images(path, Limits(max_scan_pages=3))
    assert len(page_images(path, Limits())) == 4


def _box_page(mark: str) -> Placement:
    """A 200×200 page at 1 px a point with one printed box at (80, 80)–(110, 110), marked ``mark``."""
    image = Image.new("L", (200, 200), 255)
    draw = ImageDraw.Draw(image)
    draw.rectangle((82, 82, 108, 108), outline=0, width=2)
    if mark == "tick":
        draw.line([(86, 95), (93, 105), (112, 76)], fill=0, width=3)
    elif mark == "cross":
        draw.line([(86, 86), (104, 104)], fill=0, width=3)
        draw.line([(104, 86), (86, 104)], fill=0, width=3)
    elif mark == "speck":
        draw.point([(95, 95), (96, 96)], fill=0)
    pixels = np.asarray(image)
    return Placement(pixels, 0.0, 1.0, 3.0, (0.0, 200.0), (3.0, 203.0), True)  # 3 px off, found anyway


@pytest.mark.parametrize(
    ("mark", "state"),
    [("tick", Tick.TICKED), ("cross", Tick.TICKED), ("none", Tick.EMPTY), ("speck", Tick.EMPTY)],
)
def test_a_box_reads_by_its_ink(mark: str, state: Tick) -> None:
    reading = read_tick(_box_page(mark), (80.0, 80.0, 110.0, 110.0))
    assert reading.state is state
    assert (reading.ink >= TICKED_MIN) if state is Tick.TICKED else (reading.ink <= EMPTY_MAX)


def test_without_rapidocr_tesseract_reads_instead(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "rapidocr_onnxruntime", None)  # as if it could not be imported
    fallback = engine.__wrapped__()
    assert isinstance(fallback, TesseractEngine)
    line = Image.new("L", (520, 90), 255)
    font = ImageFont.truetype(str(face_file("FandolFang")), 56)
    ImageDraw.Draw(line).text((12, 12), "新安社区", font=font, fill=0)
    read = fallback.line(line)
    assert read.text == "新安社区" and 0 < read.confidence <= 1


def test_a_name_read_from_a_scan_that_no_person_has_goes_to_review() -> None:
    from baodao.form_templates.catalog import get_form
    from baodao.intake.plausible import implausible

    spec = get_form("zz-b1").spec
    [issue] = implausible(spec, {"name": "报到地党组织：新安社区党委"}, set())
    assert issue.field == "name" and "不像人名" in issue.message
    assert implausible(spec, {"name": "李晓燕"}, set()) == []
    assert implausible(spec, {"name": "阿依古丽·买买提"}, set()) == []
    assert implausible(spec, {"name": "S1"}, {"name"}) == []  # already in review for another reason
