"""Rosters as clerks paste them: control characters, very long 编号, invisible marks, a full disk.
Each is answered (a form, a problem row, or `Error:`), never a traceback, and nothing is half-written."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from baodao.docgen.batch import GenerateOptions, generate
from baodao.errors import WriteError
from baodao.form_templates.catalog import get_form
from baodao.form_templates.samples import sample_record
from baodao.form_templates.spec import FormSpec
from baodao.store.db import connect
from baodao.store.register import list_issued, record_issued
from baodao.text import is_control


def row(spec: FormSpec, **values: object) -> dict[str, object]:
    """A roster row of ``spec``'s sample, keyed by label, with ``values`` (by field name) put in."""
    record = {**sample_record(spec), **values}
    out: dict[str, object] = {}
    for f in spec.fields:
        value = record.get(f.name)
        if isinstance(value, dt.date):
            value = value.isoformat()
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            value = [{k: v.isoformat() if isinstance(v, dt.date) else v for k, v in r.items()} for r in value]
        out[f.label if f.type != "table" else f.name] = value
    return out


def roster(path: Path, rows: list[dict[str, object]]) -> Path:
    """A JSON roster: it can hold any character a cell pasted from Word can."""
    path.write_text(json.dumps(rows, ensure_ascii=True), encoding="utf-8")
    return path


def run(key: str, data: Path, out: Path) -> tuple[int, str, str]:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "baodao.cli",
            "generate",
            key,
            "--data",
            str(data),
            "--out",
            str(out),
            "--db",
            str(out.parent / "db.sqlite3"),
            "--issue-date",
            "2025-03-01",
        ],
        capture_output=True,
        text=True,
    )
    return done.returncode, done.stdout, done.stderr


def cell_texts(path: Path) -> list[str]:
    sheet = load_workbook(path).active
    return [str(c.value) for r in sheet.iter_rows() for c in r if c.value is not None]


def test_a_vertical_tab_in_a_table_forms_cells_becomes_a_line_break(tmp_path: Path) -> None:
    spec = get_form("zz-f1").spec
    sample = sample_record(spec)["members"]
    assert isinstance(sample, list)
    members = [{**m, "comment": "积极参加\x0b政策宣讲\x07"} for m in sample if isinstance(m, dict)]
    data = roster(tmp_path / "汇总.json", [row(spec, members=members)])
    code, _out, err = run("zz-f1", data, tmp_path / "out")
    assert code == 0, err
    [twin] = (tmp_path / "out").glob("zz-f1-*.xlsx")
    texts = cell_texts(twin)
    assert "积极参加\n政策宣讲" in texts
    assert not any(is_control(c) for t in texts for c in t)
    assert len(list_issued(connect(str(tmp_path / "db.sqlite3")))) == 1


def test_control_characters_in_a_bad_row_reach_the_problem_report_cleaned(tmp_path: Path) -> None:
    spec = get_form("zz-b1").spec
    good = row(spec, number="SJ-1")
    bad = row(spec, number="SJ-2", age="三十\x0b六\x1b")
    data = roster(tmp_path / "名\x1b册.json", [good, bad])
    code, _, err = run("zz-b1", data, tmp_path / "out")
    assert code == 0, err
    texts = cell_texts(tmp_path / "out" / "zz-b1-问题行.xlsx")
    assert any("三十\n六" in t for t in texts) and not any(is_control(c) for t in texts for c in t)
    assert any("名\\x1b册.json" in t for t in texts)
    document = Document(str(next((tmp_path / "out").glob("zz-b1-SJ-1-*.docx"))))
    assert document.tables  # the good row's form opens


def test_a_long_number_is_a_problem_row_and_long_names_fit_the_file_system(tmp_path: Path) -> None:
    spec = get_form("zz-b1").spec
    rows = [
        row(spec, number="编" * 121),  # over the register's 120 characters
        row(spec, number="号" * 120, name="李" * 20),  # 120 characters, 360 bytes: the name is cut
        row(spec, number="号" * 119 + "甲", name="李" * 20),  # cut to the same name as the one above
    ]
    code, _out, err = run("zz-b1", roster(tmp_path / "名册.json", rows), tmp_path / "out")
    assert code == 0, err
    assert "编号长 121 个字符，超过上限 120" in err
    made = sorted(p.name for p in (tmp_path / "out").glob("zz-b1-号*.docx"))
    assert len(made) == 2 and len(set(made)) == 2
    assert all(len(name.encode()) <= 255 - len(".xxxxxxxx.part") - 1 for name in made)
    ids = {e.form_id for e in list_issued(connect(str(tmp_path / "db.sqlite3")))}
    assert ids == {"号" * 120, "号" * 119 + "甲"}


def test_invisible_marks_stay_out_of_file_names_and_files_follow_the_umask(tmp_path: Path) -> None:
    spec = get_form("zz-b1").spec
    data = roster(tmp_path / "名册.json", [row(spec, number="INJ-0011", name="李\u202e晓\u200b燕")])
    old = os.umask(0o022)
    try:
        code, _, err = run("zz-b1", data, tmp_path / "out")
    finally:
        os.umask(old)
    assert code == 0, err
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert "zz-b1-INJ-0011-李晓燕.docx" in names
    for path in (tmp_path / "out").iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o644, path.name


@pytest.mark.skipif(shutil.which("unshare") is None, reason="needs unshare to mount a small file system")
def test_a_full_disk_is_an_error_message_and_a_rerun_recovers(tmp_path: Path) -> None:
    spec = get_form("zz-b1").spec
    data = roster(tmp_path / "名册.json", [row(spec, number=f"SJ-{n}") for n in range(20)])
    out, db = tmp_path / "small", tmp_path / "db.sqlite3"
    out.mkdir()
    baodao = [sys.executable, "-m", "baodao.cli", "generate", "zz-b1", "--data", str(data), "--out", str(out)]
    script = f'mount -t tmpfs -o size=200k tmpfs {out} && exec "$@"'
    done = subprocess.run(
        ["unshare", "--map-root-user", "--mount", "sh", "-c", script, "sh", *baodao, "--db", str(db)],
        capture_output=True,
        text=True,
    )
    if "mount" in done.stderr and "Error:" not in done.stderr:
        pytest.skip(f"cannot mount a small file system here: {done.stderr.strip()}")
    assert done.returncode == 1
    assert done.stderr.startswith("Error: 无法写入") and "磁盘已满" in done.stderr
    assert "Traceback" not in done.stderr
    assert list_issued(connect(str(db))) == []  # nothing registered for forms that were not written
    code, _, err = run("zz-b1", data, out)  # the same data, with room: a clean run
    assert code == 0, err
    assert len(list(out.glob("zz-b1-SJ-*.docx"))) == 20


def test_generate_registers_nothing_when_a_write_fails(tmp_path: Path) -> None:
    spec = get_form("zz-b1").spec
    data = roster(tmp_path / "名册.json", [row(spec, number="SJ-1")])
    out = tmp_path / "out"
    out.mkdir()
    out.chmod(0o500)
    engine = connect(str(tmp_path / "db.sqlite3"))
    try:
        if os.access(out, os.W_OK):
            pytest.skip("running as root: a read-only folder is still writable")
        with pytest.raises(WriteError, match="无法写入"):
            generate(get_form("zz-b1"), data, GenerateOptions(outdir=out), lambda e: record_issued(engine, e))
    finally:
        out.chmod(0o700)
    assert list_issued(engine) == []
