"""Template versions in the store: numbered per office and form, one in use, named by the forms issued."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine

from baodao.docgen.issued import IssuedForm
from baodao.store.offices import DEFAULT_OFFICE, add_office
from baodao.store.register import record_issued, register_rows
from baodao.store.templates import (
    activate,
    active_version,
    add_version,
    deactivate,
    issued_versions,
    version_by_id,
    version_content,
    version_layout,
    version_of_issued,
    versions_of,
)

LAYOUT = {"form": "zz-c", "template_sha256": "x", "pages": [{"width": 595.0, "height": 842.0}]}


def test_versions_are_numbered_per_office_and_the_same_file_is_kept_once(engine: Engine) -> None:
    a = add_office(engine, "新安社区党委", "社区党组织", DEFAULT_OFFICE)
    b = add_office(engine, "金华社区党委", "社区党组织", DEFAULT_OFFICE)
    first = add_version(engine, a, "zz-c", b"one", "联建协议书.docx", [], "clerk-a")
    again = add_version(engine, a, "zz-c", b"one", "又一次.docx", [], "clerk-a")
    second = add_version(engine, a, "zz-c", b"two", "联建协议书2.docx", [], "clerk-a")
    other = add_version(engine, b, "zz-c", b"one", "联建协议书.docx", [], "clerk-b")
    assert (first.version, second.version, other.version) == (1, 2, 1)
    assert again.id == first.id and again.file_name == "联建协议书.docx"
    assert version_content(engine, second.id) == b"two"
    assert [v.id for v in versions_of(engine, {a})] == [second.id, first.id]
    assert [v.id for v in versions_of(engine, {b}, "zz-c")] == [other.id]
    assert versions_of(engine, {a}, "zz-b1") == []


def test_one_version_is_in_use_per_office_and_form(engine: Engine) -> None:
    a = add_office(engine, "新安社区党委", "社区党组织", DEFAULT_OFFICE)
    first = add_version(engine, a, "zz-c", b"one", "1.docx", [], "clerk-a")
    second = add_version(engine, a, "zz-c", b"two", "2.docx", [], "clerk-a")
    assert active_version(engine, a, "zz-c") is None and version_layout(engine, first.id) is None
    done = activate(engine, first.id, LAYOUT, "clerk-a")
    assert done.active and done.has_layout and done.activated_by == "clerk-a"
    activate(engine, second.id, LAYOUT, "clerk-b")
    found = active_version(engine, a, "zz-c")
    assert found is not None and found.id == second.id
    old = version_by_id(engine, first.id)
    assert old is not None and not old.active and old.activated_at is not None
    assert active_version(engine, DEFAULT_OFFICE, "zz-c") is None
    assert deactivate(engine, a, "zz-c") is True
    assert active_version(engine, a, "zz-c") is None
    assert deactivate(engine, a, "zz-c") is False


def test_issued_forms_name_their_version_and_intake_finds_its_layout(engine: Engine) -> None:
    a = add_office(engine, "新安社区党委", "社区党组织", DEFAULT_OFFICE)
    version = add_version(engine, a, "zz-c", b"one", "1.docx", [], "clerk-a")
    activate(engine, version.id, LAYOUT, "clerk-a")
    day = dt.date(2026, 3, 1)
    made = [IssuedForm("zz-c", f"LJ-{n}", "中共新安社区委员会", "新安社区党委", day, None) for n in (1, 2)]
    bundled = IssuedForm("zz-c", "LJ-3", "中共新安社区委员会", "新安社区党委", day, None)
    record_issued(engine, made, a, version.id)
    record_issued(engine, [bundled], a)
    assert {r.entry.form_id: r.template_version_id for r in register_rows(engine, {a})} == {
        "LJ-1": version.id,
        "LJ-2": version.id,
        "LJ-3": None,
    }
    assert version_of_issued(engine, "zz-c", "LJ-2") == version.id
    assert version_of_issued(engine, "zz-c", "LJ-3") is None
    found = {(key, ident): (vid, layout) for key, ident, vid, layout in issued_versions(engine)}
    assert found == {("zz-c", "LJ-1"): (version.id, LAYOUT), ("zz-c", "LJ-2"): (version.id, LAYOUT)}


def test_a_version_without_a_layout_gives_intake_nothing(engine: Engine) -> None:
    version = add_version(engine, DEFAULT_OFFICE, "zz-c", b"one", "1.docx", [], "命令行")
    entry = IssuedForm("zz-c", "LJ-1", "甲", "本级", dt.date(2026, 3, 1), None)
    record_issued(engine, [entry], DEFAULT_OFFICE, version.id)
    assert list(issued_versions(engine)) == []


@pytest.mark.parametrize("findings", [[{"level": "已修复", "location": "正文第3段", "message": "已合并"}]])
def test_findings_are_kept_with_the_version(engine: Engine, findings: list[dict[str, str]]) -> None:
    version = add_version(engine, DEFAULT_OFFICE, "zz-c", b"one", "1.docx", findings, "clerk")
    assert version.findings == findings
