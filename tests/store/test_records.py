"""Returned forms in the database, on SQLite and on a real PostgreSQL server (the `engine` fixture)."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect, select, text

from baodao.docgen.issued import IssuedForm
from baodao.errors import StorageError
from baodao.form_templates.spec import FieldIssue
from baodao.store.db import MIGRATIONS, connect
from baodao.store.records import (
    Correction,
    DoubtfulValue,
    IngestedRecord,
    StoredRecord,
    correct,
    corrections_of,
    current_records,
    doubtful,
    ingest,
    record,
    records_of_file,
)
from baodao.store.register import list_issued, record_issued
from baodao.store.schema import corrections, files, issued_forms, metadata, records

MARCH_20 = dt.datetime(2025, 3, 20, 9, 30, 15)
MARCH_25 = dt.datetime(2025, 3, 25, 16, 5, 0)


def digest(name: str) -> str:
    return hashlib.sha256(name.encode()).hexdigest()


def slip(form_id: str | None, phone: str, *issues: FieldIssue, key: str = "zz-b1") -> StoredRecord:
    return StoredRecord(key, form_id, {"name": "李晓燕", "phone": phone, "skills": ["写作", "外语"]}, issues)


def snapshot(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    with engine.connect() as conn:
        return {
            t.name: [tuple(r) for r in conn.execute(select(t).order_by(t.c.id))]
            for t in (files, records, corrections, issued_forms)
        }


def test_backend_is_real_and_migrated(engine: Engine, request: pytest.FixtureRequest) -> None:
    with engine.connect() as conn:
        assert conn.scalar(text("SELECT version_num FROM alembic_version")) == "0003"
        if request.node.callspec.params["engine"] == "postgresql":
            assert engine.dialect.name == "postgresql"
            assert str(conn.scalar(text("SELECT version()"))).startswith("PostgreSQL ")
        else:
            assert engine.dialect.name == "sqlite"
    assert {"files", "records", "corrections", "issued_forms"} <= set(inspect(engine).get_table_names())


def test_schema_module_matches_the_migrations(engine: Engine) -> None:
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []


def test_intake_migration_goes_down_and_up(engine: Engine) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0001")
    assert "records" not in inspect(engine).get_table_names()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
    assert {"files", "records", "corrections"} <= set(inspect(engine).get_table_names())


def test_reingesting_the_same_content_changes_nothing(engine: Engine) -> None:
    first = ingest(engine, Path("回执/张三.docx"), digest("a"), 2048, MARCH_20, [slip("SJ-1", "13800000001")])
    assert not first.already
    before = snapshot(engine)
    assert len(before["files"]) == 1 and len(before["records"]) == 1

    # Same bytes under another name, even read differently this time: still the stored file.
    again = ingest(engine, Path("复印/张三 (1).docx"), digest("a"), 2048, MARCH_25, "无法识别")
    assert again.already
    assert again.file_id == first.file_id
    assert again.status == "read"
    assert again.first_path == Path("回执/张三.docx")
    assert again.records == ()
    assert snapshot(engine) == before


@pytest.mark.parametrize("newer_first", [False, True], ids=["older-then-newer", "newer-then-older"])
def test_the_newer_return_of_a_form_stays_current(engine: Engine, newer_first: bool) -> None:
    older = (Path("older.docx"), digest("older"), MARCH_20, slip("SJ-7", "13800000001"))
    newer = (Path("newer.docx"), digest("newer"), MARCH_25, slip("SJ-7", "13900000002"))
    first, second = (newer, older) if newer_first else (older, newer)
    r1 = ingest(engine, first[0], first[1], 100, first[2], [first[3]])
    r2 = ingest(engine, second[0], second[1], 100, second[2], [second[3]])
    id1, id2 = r1.records[0].record_id, r2.records[0].record_id
    newer_id, older_id = (id1, id2) if newer_first else (id2, id1)

    if newer_first:
        assert r2.records == (
            IngestedRecord(older_id, "zz-b1", "SJ-7", "superseded", superseded_by=newer_id),
        )
    else:
        assert r2.records == (
            IngestedRecord(newer_id, "zz-b1", "SJ-7", "current", superseded=older_id, register="not issued"),
        )

    [current] = current_records(engine, "zz-b1")
    assert current.record_id == newer_id
    assert current.source == Path("newer.docx")
    assert current.fields["phone"] == "13900000002"

    kept = record(engine, older_id)
    assert kept.status == "superseded"
    assert kept.source == Path("older.docx")
    assert kept.fields["phone"] == "13800000001"
    with engine.connect() as conn:
        rows = dict(conn.execute(select(records.c.id, records.c.superseded_by)).all())
    assert rows == {older_id: newer_id, newer_id: None}


def test_equal_or_unknown_times_keep_the_one_ingested_later(engine: Engine) -> None:
    a = ingest(engine, Path("a.docx"), digest("a"), 1, MARCH_20, [slip("SJ-1", "1")]).records[0]
    b = ingest(engine, Path("b.docx"), digest("b"), 1, MARCH_20, [slip("SJ-1", "2")]).records[0]
    c = ingest(engine, Path("c.docx"), digest("c"), 1, None, [slip("SJ-1", "3")]).records[0]
    assert (b.status, b.superseded) == ("current", a.record_id)
    assert (c.status, c.superseded) == ("current", b.record_id)
    assert [r.fields["phone"] for r in current_records(engine, "zz-b1")] == ["3"]
    assert [record(engine, r.record_id).status for r in (a, b, c)] == ["superseded", "superseded", "current"]


def test_forms_without_an_id_and_other_forms_never_supersede(engine: Engine) -> None:
    ingest(engine, Path("a.docx"), digest("a"), 1, MARCH_20, [slip(None, "1"), slip(None, "2")])
    ingest(engine, Path("b.docx"), digest("b"), 1, MARCH_25, [slip("SJ-1", "3", key="zz-b2")])
    ingest(engine, Path("c.docx"), digest("c"), 1, MARCH_25, [slip("SJ-1", "4")])
    assert [(r.form_id, r.fields["phone"]) for r in current_records(engine, "zz-b1")] == [
        (None, "1"),
        (None, "2"),
        ("SJ-1", "4"),
    ]
    assert [r.fields["phone"] for r in current_records(engine, "zz-b2")] == ["3"]


def test_a_rejected_file_is_stored_with_its_reason(engine: Engine) -> None:
    reason = "不是 baodao 发出的表单：找不到二维码，标题也不认识"
    result = ingest(engine, Path("扫描/IMG_0042.jpg"), digest("img"), 734_003, MARCH_20, reason)
    assert (result.already, result.status, result.reason, result.records) == (False, "rejected", reason, ())
    with engine.connect() as conn:
        row = conn.execute(select(files)).one()
        assert conn.scalar(select(records.c.id)) is None
    assert (row.sha256, row.size, row.first_path, row.status, row.reason, row.file_mtime) == (
        digest("img"),
        734_003,
        "扫描/IMG_0042.jpg",
        "rejected",
        reason,
        MARCH_20,
    )
    again = ingest(engine, Path("扫描/IMG_0042.jpg"), digest("img"), 734_003, MARCH_20, reason)
    assert (again.already, again.status, again.reason) == (True, "rejected", reason)


def test_a_current_return_marks_its_register_entry_returned(engine: Engine) -> None:
    due = dt.date(2025, 3, 31)
    record_issued(
        engine,
        [
            IssuedForm("zz-b1", "SJ-1", "李晓燕", "组织部", dt.date(2025, 3, 1), due),
            IssuedForm("zz-b1", "SJ-2", "王建国", "组织部", dt.date(2025, 3, 1), due),
        ],
    )
    first = ingest(engine, Path("SJ-1.docx"), digest("1"), 1, MARCH_20, [slip("SJ-1", "1")])
    assert first.records[0].register == "marked returned"
    later = ingest(engine, Path("SJ-1 改.docx"), digest("1b"), 1, MARCH_25, [slip("SJ-1", "2")])
    assert later.records[0].register == "already returned"
    stray = ingest(engine, Path("SJ-9.docx"), digest("9"), 1, None, [slip("SJ-9", "9")])
    assert stray.records[0].register == "not issued"

    with engine.connect() as conn:
        rows = conn.execute(
            select(issued_forms.c.form_id, issued_forms.c.status, issued_forms.c.returned_at).order_by(
                issued_forms.c.form_id
            )
        ).all()
    # Returned when it first came back; the corrected copy does not move the date.
    assert [tuple(r) for r in rows] == [("SJ-1", "returned", MARCH_20), ("SJ-2", "issued", None)]
    assert [e.form_id for e in list_issued(engine, overdue_on=dt.date(2025, 4, 1))] == ["SJ-2"]


def test_without_a_file_time_the_return_is_dated_now(engine: Engine) -> None:
    record_issued(engine, [IssuedForm("zz-b1", "SJ-1", "李晓燕", "组织部", dt.date(2025, 3, 1), None)])
    before = dt.datetime.now()
    ingest(engine, Path("SJ-1.docx"), digest("1"), 1, None, [slip("SJ-1", "1")])
    with engine.connect() as conn:
        returned_at = conn.scalar(select(issued_forms.c.returned_at))
    assert returned_at is not None and before <= returned_at <= dt.datetime.now()


def test_doubtful_lists_every_issue_of_current_records(engine: Engine) -> None:
    phone = FieldIssue("phone", "手机号码应为 11 位数字，读到 10 位")
    skills = FieldIssue("skills", "“写作”的勾选不清楚")
    old = ingest(engine, Path("old.docx"), digest("old"), 1, MARCH_20, [slip("SJ-1", "1", phone)]).records[0]
    new = ingest(
        engine, Path("new.docx"), digest("new"), 1, MARCH_25, [slip("SJ-1", "138000000", phone, skills)]
    )
    gone = FieldIssue("missing", "必填字段没有读到")
    other = ingest(engine, Path("b2.docx"), digest("b2"), 1, None, [slip("SJ-3", "2", gone, key="zz-b2")])
    new_id, other_id = new.records[0].record_id, other.records[0].record_id
    assert record(engine, old.record_id).status == "superseded"

    expected = [
        DoubtfulValue(new_id, "zz-b1", "SJ-1", Path("new.docx"), "phone", "138000000", phone.message),
        DoubtfulValue(new_id, "zz-b1", "SJ-1", Path("new.docx"), "skills", ["写作", "外语"], skills.message),
        DoubtfulValue(other_id, "zz-b2", "SJ-3", Path("b2.docx"), "missing", None, gone.message),
    ]
    assert doubtful(engine) == expected
    assert doubtful(engine, "zz-b1") == expected[:2]
    assert doubtful(engine, "zz-f1") == []


def test_correct_sets_the_value_clears_its_issues_and_logs_who_and_when(engine: Engine) -> None:
    phone = FieldIssue("phone", "手机号码应为 11 位数字，读到 10 位")
    skills = FieldIssue("skills", "“写作”的勾选不清楚")
    made = ingest(
        engine, Path("a.docx"), digest("a"), 1, MARCH_20, [slip("SJ-1", "1380000000", phone, skills)]
    )
    record_id = made.records[0].record_id

    before = dt.datetime.now()
    fix: Correction = correct(engine, record_id, "phone", "13800000000", "周敏")
    assert (fix.record_id, fix.field, fix.old_value, fix.new_value, fix.who) == (
        record_id,
        "phone",
        "1380000000",
        "13800000000",
        "周敏",
    )
    assert before <= fix.at <= dt.datetime.now()
    assert corrections_of(engine, record_id) == [fix]

    row = record(engine, record_id)
    assert row.fields == {"name": "李晓燕", "phone": "13800000000", "skills": ["写作", "外语"]}
    assert row.issues == (skills,)
    assert [d.field for d in doubtful(engine)] == ["skills"]

    # A list value, and a field the reader left out, are corrected the same way.
    second = correct(engine, record_id, "skills", ["写作"], "周敏")
    third = correct(engine, record_id, "remark", "补填", "李主任")
    assert (second.old_value, third.old_value) == (["写作", "外语"], None)
    assert doubtful(engine) == []
    assert record(engine, record_id).fields == {
        "name": "李晓燕",
        "phone": "13800000000",
        "skills": ["写作"],
        "remark": "补填",
    }
    assert [(c.field, c.who) for c in corrections_of(engine, record_id)] == [
        ("phone", "周敏"),
        ("skills", "周敏"),
        ("remark", "李主任"),
    ]
    # JSON is stored as written, so the database stays readable with psql or sqlite3.
    with engine.connect() as conn:
        raw = conn.scalar(text("SELECT CAST(fields AS TEXT) FROM records"))
    assert "李晓燕" in str(raw)


def test_an_unknown_record_is_a_storage_error(engine: Engine) -> None:
    ingest(engine, Path("a.docx"), digest("a"), 1, MARCH_20, [slip("SJ-1", "1")])
    before = snapshot(engine)
    with pytest.raises(StorageError, match="找不到记录 999：数据库中没有这个记录号"):
        correct(engine, 999, "phone", "13800000000", "周敏")
    with pytest.raises(StorageError, match="找不到记录 999"):
        record(engine, 999)
    with pytest.raises(StorageError, match="必须写明更正人"):
        correct(engine, 1, "phone", "13800000000", "  ")
    assert snapshot(engine) == before


def test_one_file_may_hold_several_records(engine: Engine) -> None:
    rows = [StoredRecord("zz-f1", None, {"unit": f"单位{n}", "count": n}) for n in (1, 2)]
    result = ingest(engine, Path("汇总.xlsx"), digest("f1"), 1, MARCH_20, rows)
    assert [r.status for r in result.records] == ["current", "current"]
    assert [(r.source, r.fields) for r in current_records(engine, "zz-f1")] == [
        (Path("汇总.xlsx"), {"unit": "单位1", "count": 1}),
        (Path("汇总.xlsx"), {"unit": "单位2", "count": 2}),
    ]


def test_a_failing_database_is_a_storage_error(tmp_path: Path) -> None:
    engine = connect(str(tmp_path / "x.sqlite3"))
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE corrections"))
    ingest(engine, Path("a.docx"), digest("a"), 1, None, [slip("SJ-1", "1")])
    with pytest.raises(StorageError, match="无法保存记录 1 字段 phone 的更正"):
        correct(engine, 1, "phone", "2", "周敏")


def test_bad_arguments_are_caught_before_the_database() -> None:
    engine: Any = None  # never reached
    with pytest.raises(ValueError, match="SHA-256"):
        ingest(engine, Path("a"), "abc", 1, None, "x")
    with pytest.raises(ValueError, match="reason"):
        ingest(engine, Path("a"), digest("a"), 1, None, " ")
    with pytest.raises(ValueError, match="at least one record"):
        ingest(engine, Path("a"), digest("a"), 1, None, [])


def test_concurrent_intakes_agree(engine: Engine) -> None:
    """Intakes running at once: one stores a file, the rest find it; the newest return ends up current."""
    barrier = threading.Barrier(4)

    def same_file(n: int) -> bool:
        barrier.wait()
        return ingest(engine, Path(f"copy{n}.docx"), digest("same"), 1, None, [slip(None, str(n))]).already

    with ThreadPoolExecutor(4) as pool:
        assert sorted(pool.map(same_file, range(4))) == [False, True, True, True]

    def same_form(day: int) -> int:
        barrier.wait()
        when = dt.datetime(2025, 3, day)
        return ingest(
            engine, Path(f"{day}.docx"), digest(f"d{day}"), 1, when, [slip("SJ-1", str(day))]
        ).file_id

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(same_form, [21, 24, 22, 23]))
    [current] = [r for r in current_records(engine, "zz-b1") if r.form_id == "SJ-1"]
    assert current.fields["phone"] == "24"
    with engine.connect() as conn:
        rows = conn.execute(
            select(records.c.id, records.c.status, records.c.superseded_by).where(records.c.form_id == "SJ-1")
        ).all()
    assert sorted(status for _, status, _ in rows) == ["current", "superseded", "superseded", "superseded"]
    successor = {ident: by for ident, _, by in rows}
    for start in successor:  # every older return leads, one supersession after another, to the current one
        seen, at = {start}, start
        while successor[at] is not None:
            at = successor[at]
            assert at not in seen
            seen.add(at)
        assert at == current.record_id


def test_concurrent_corrections_of_one_record_all_stay(engine: Engine) -> None:
    issues = [FieldIssue(f"f{n}", "看不清") for n in range(4)]
    made = ingest(engine, Path("a.docx"), digest("a"), 1, None, [StoredRecord("zz-b1", "SJ-1", {}, issues)])
    record_id = made.records[0].record_id
    barrier = threading.Barrier(4)

    def fix(n: int) -> Correction:
        barrier.wait()
        return correct(engine, record_id, f"f{n}", str(n), f"clerk{n}")

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(fix, range(4)))
    row = record(engine, record_id)
    assert sorted(row.fields.items()) == [(f"f{n}", str(n)) for n in range(4)]
    assert row.issues == ()
    assert sorted(c.who for c in corrections_of(engine, record_id)) == [f"clerk{n}" for n in range(4)]


def test_a_file_refused_before_is_stored_when_it_reads_later(engine: Engine) -> None:
    """A refusal for time or memory depends on the machine's load: it is never final."""
    timeout = "读取超时（超过 10 秒），已停止读取此文件；下次读入时会再试"
    first = ingest(engine, Path("回执/李晓燕.docx"), digest("slow"), 100, MARCH_20, timeout)
    assert (first.already, first.status) == (False, "rejected")
    later = ingest(engine, Path("回执/李晓燕.docx"), digest("slow"), 100, MARCH_20, [slip("SJ-1", "1")])
    assert (later.already, later.status, later.reason, len(later.records)) == (False, "read", None, 1)
    assert [r.fields["phone"] for r in current_records(engine, "zz-b1")] == ["1"]
    with engine.connect() as conn:
        assert conn.execute(select(files.c.status, files.c.reason)).all() == [("read", None)]
    again = ingest(engine, Path("回执/李晓燕.docx"), digest("slow"), 100, MARCH_20, timeout)
    assert (again.already, again.status) == (True, "read")  # once read, a later refusal changes nothing


def test_a_refusal_for_another_reason_replaces_the_stored_one(engine: Engine) -> None:
    ingest(engine, Path("a.pdf"), digest("a"), 1, None, "读取超时")
    again = ingest(engine, Path("a.pdf"), digest("a"), 1, None, "PDF 有密码保护")
    assert (again.already, again.status, again.reason) == (False, "rejected", "PDF 有密码保护")
    with engine.connect() as conn:
        assert conn.scalar(select(files.c.reason)) == "PDF 有密码保护"


def test_a_form_id_longer_than_the_column_is_refused_in_chinese(engine: Engine) -> None:
    with pytest.raises(StorageError, match="编号长 121 个字符，超过上限 120"):
        ingest(engine, Path("a.docx"), digest("long"), 1, None, [slip("L" * 121, "1")])
    ingest(engine, Path("b.docx"), digest("ok"), 1, None, [slip("L" * 120, "1")])
    assert [r.form_id for r in current_records(engine, "zz-b1")] == ["L" * 120]


def test_records_of_a_file_carry_their_corrections(engine: Engine) -> None:
    stored = ingest(
        engine, Path("a.docx"), digest("a"), 1, None, [slip("SJ-1", "1", FieldIssue("phone", "位数不对"))]
    )
    correct(engine, stored.records[0].record_id, "phone", "13800000001", "王干事")
    [row] = records_of_file(engine, stored.file_id)
    assert (row.fields["phone"], row.issues, row.corrected) == ("13800000001", (), ("phone",))


def test_a_non_utf8_file_name_is_stored_escaped(engine: Engine) -> None:
    name = Path(os.fsdecode(b"\xc0\xee\xcf\xfe\xd1\xe0.docx"))  # GBK bytes, as unzip leaves them
    ingest(engine, name, digest("gbk"), 1, None, [slip("SJ-1", "1")])
    assert [str(r.source) for r in current_records(engine, "zz-b1")] == [
        "\\xc0\\xee\\xcf\\xfe\\xd1\\xe0.docx"
    ]


def test_three_processes_opening_a_new_database_at_once_all_succeed(tmp_path: Path) -> None:
    """Migrations run under a lock: none fails on “table alembic_version already exists”."""
    import subprocess
    import sys

    for n in range(4):
        db = str(tmp_path / f"new{n}.sqlite3")
        code = f"from baodao.store.db import connect; connect({db!r})"
        runs = [subprocess.Popen([sys.executable, "-c", code], stderr=subprocess.PIPE) for _ in range(3)]
        errors = [run.communicate()[1].decode() for run in runs]
        assert [run.returncode for run in runs] == [0, 0, 0], errors
