"""An office's edited zz-c: checked and repaired, measured by LibreOffice when put in use, issued from, and a
scan of what was issued read back over the version's layout (the bundled layout cannot read it)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import Engine

from baodao.errors import DataError
from baodao.form_templates.catalog import get_form
from baodao.intake.limits import Limits
from baodao.intake.model import ReadRecord, Rejected
from baodao.intake.scan import read_scan
from baodao.jobs import issue, templates
from baodao.jobs.context import JobContext
from baodao.jobs.templates import check_edited, keep_version, template_for
from baodao.store.jobs import enqueue
from baodao.store.offices import DEFAULT_OFFICE, add_office
from baodao.store.register import register_rows
from baodao.store.returns import intake, version_layouts
from baodao.store.templates import active_version
from tests.intake.scans import render_pages
from tests.word_edits import edited_zzc

ROSTER = "甲方,乙方,签订日期\n中共新安社区委员会,中共上街区人民医院委员会,2026-03-20\n"


def test_a_tag_split_by_word_is_found_at_its_place_and_repaired(tmp_path: Path) -> None:
    edited = edited_zzc(get_form("zz-c").docx, tmp_path / "联建协议书.docx")
    checked = check_edited(edited, None, tmp_path)  # the form found from the file itself
    assert checked.form.key == "zz-c" and checked.ok and checked.repaired
    [finding] = checked.findings()
    assert finding["level"] == "已修复"
    assert finding["location"] == "正文第3段"
    assert "{{ party_a" in finding["message"] and "拆成了几段" in finding["message"]
    body = zipfile.ZipFile(checked.usable).read("word/document.xml").decode()
    assert "{{ party_a or" in body and "报街道党工委备案壹份" in body
    again = check_edited(checked.usable, "zz-c", tmp_path / "again")
    assert again.findings() == [] and not again.repaired


def test_a_template_naming_no_field_is_refused_with_its_place(tmp_path: Path, engine: Engine) -> None:
    source = get_form("zz-c").docx
    with zipfile.ZipFile(source) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    members["word/document.xml"] = members["word/document.xml"].replace(b"{{ party_b", b"{{ partner")
    broken = tmp_path / "改坏了.docx"
    with zipfile.ZipFile(broken, "w") as out:
        for name, data in members.items():
            out.writestr(name, data)
    checked = check_edited(broken, "zz-c", tmp_path)
    assert not checked.ok
    errors = [f for f in checked.findings() if f["level"] == "错误"]
    assert any("“partner”不是表单 zz-c 的字段" in f["message"] for f in errors)
    assert any(f["location"].startswith("正文第") for f in errors)
    with pytest.raises(DataError, match="模板不能使用") as refused:
        keep_version(engine, DEFAULT_OFFICE, checked, broken.name, "clerk")
    assert "partner" in str(refused.value)


def _context(engine: Engine, office: int, kind: str, params: dict[str, object], data: Path) -> JobContext:
    job = enqueue(engine, office, "clerk-a", kind, kind, params)
    work = data / "jobs" / str(job)
    work.mkdir(parents=True)
    return JobContext(engine, job, office, "clerk-a", dict(params), data, work)


def test_a_version_in_use_is_issued_from_and_its_scans_read_over_its_layout(
    tmp_path: Path, engine: Engine
) -> None:
    office = add_office(engine, "新安社区党委", "社区党组织", DEFAULT_OFFICE)
    data = tmp_path / "data"
    edited = edited_zzc(get_form("zz-c").docx, tmp_path / "联建协议书-新安社区.docx")
    version = keep_version(engine, office, check_edited(edited, "zz-c", tmp_path), edited.name, "clerk-a")
    assert not version.active and not version.has_layout

    # Activation measures the layout with LibreOffice: four pages now, the bundled form has three.
    done = templates.run(_context(engine, office, "template", {"version": version.id}, data))
    assert done["pages"] == 4 and get_form("zz-c").spec.pages == 3
    now = active_version(engine, office, "zz-c")
    assert now is not None and now.id == version.id and now.has_layout
    form, used = template_for(engine, office, "zz-c", tmp_path / "work")
    assert (
        used == version.id
        and "报街道党工委备案壹份" in zipfile.ZipFile(form.docx).read("word/document.xml").decode()
    )
    # Another office still makes zz-c from the bundled template.
    assert template_for(engine, DEFAULT_OFFICE, "zz-c", tmp_path / "work")[1] is None

    (data / "rosters").mkdir(parents=True)
    (data / "rosters" / "联建单位.csv").write_text(ROSTER, encoding="utf-8")
    params: dict[str, object] = {
        "form": "zz-c",
        "roster": "rosters/联建单位.csv",
        "roster_name": "联建单位.csv",
        "column_map": {},
        "blank": ["负责人"],
        "issue_date": "2026-03-20",
        "due_date": None,
        "issuer": "新安社区党委",
        "pdf": True,
    }
    made = issue.run(_context(engine, office, "issue", params, data))
    assert made["made"] == 1 and made["template_version"] == version.id
    [row] = register_rows(engine, {office})
    assert row.template_version_id == version.id

    # The printed agreement, scanned: four pages of pictures in one PDF.
    pdf = data / next(d["path"] for d in made["downloads"] if d["path"].endswith(".pdf"))
    pages = [Image.open(p).convert("L") for p in render_pages(pdf, tmp_path / "pages", 200)]
    assert len(pages) == 4
    scan = tmp_path / "联建协议书-扫描.pdf"
    pages[0].save(scan, save_all=True, append_images=pages[1:], resolution=200)

    bundled = read_scan(scan, Limits())
    assert isinstance(bundled, Rejected) and "只有 3 页" in bundled.reason
    layouts = version_layouts(engine)
    assert set(layouts.by_form) == {("zz-c", row.entry.form_id)}
    report = intake([scan], engine, office_id=office)
    [record] = report.records
    assert isinstance(record, ReadRecord)
    assert record.form_id == row.entry.form_id
    assert record.fields["party_a"] == "中共新安社区委员会"
    assert record.fields["party_b"] == "中共上街区人民医院委员会"
    [back] = register_rows(engine, {office})
    assert back.entry.status == "returned"
