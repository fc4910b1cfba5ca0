"""The issuance register: idempotent by (form, id), overdue by due date, migrations from scratch."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import inspect

from baodao.docgen.issued import IssuedForm
from baodao.errors import StorageError
from baodao.store.db import connect, database_url
from baodao.store.offices import DEFAULT_OFFICE, add_office
from baodao.store.register import list_issued, record_issued


def entry(key: str, ident: str, due: dt.date | None) -> IssuedForm:
    return IssuedForm(key, ident, "李晓燕", "组织部", dt.date(2025, 3, 1), due)


def test_schema_comes_from_migrations(tmp_path: Path) -> None:
    engine = connect(str(tmp_path / "r.sqlite3"))
    tables = set(inspect(engine).get_table_names())
    assert {"alembic_version", "issued_forms"} <= tables


def test_same_id_in_two_forms_is_two_entries(tmp_path: Path) -> None:
    engine = connect(str(tmp_path / "r.sqlite3"))
    assert record_issued(engine, [entry("zz-b1", "SJ-1", None), entry("zz-b2", "SJ-1", None)]) == (2, 0)
    assert record_issued(engine, [entry("zz-b1", "SJ-1", None)]) == (0, 1)
    assert len(list_issued(engine)) == 2


def test_overdue_means_past_due_and_not_returned(tmp_path: Path) -> None:
    engine = connect(str(tmp_path / "r.sqlite3"))
    record_issued(
        engine,
        [
            entry("zz-b1", "A", dt.date(2025, 3, 31)),
            entry("zz-b1", "B", dt.date(2025, 4, 30)),
            entry("zz-b1", "C", None),
        ],
    )
    assert [e.form_id for e in list_issued(engine, overdue_on=dt.date(2025, 4, 1))] == ["A"]
    assert [e.form_id for e in list_issued(engine, overdue_on=dt.date(2025, 3, 31))] == []


def test_overdue_of_some_offices_leaves_the_others_out(tmp_path: Path) -> None:
    engine = connect(str(tmp_path / "r.sqlite3"))
    street = add_office(engine, "城东街道党工委", "街道党工委", DEFAULT_OFFICE)
    record_issued(engine, [entry("zz-b1", "MINE", dt.date(2025, 3, 31))], street)
    record_issued(engine, [entry("zz-b1", "THEIRS", dt.date(2025, 3, 31))])
    day = dt.date(2025, 4, 1)
    assert [e.form_id for e in list_issued(engine, overdue_on=day, office_ids={street})] == ["MINE"]
    assert [e.form_id for e in list_issued(engine, overdue_on=day)] == ["MINE", "THEIRS"]


def test_database_url_takes_paths_and_urls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert database_url(str(tmp_path / "x.db")) == f"sqlite:///{tmp_path / 'x.db'}"
    assert database_url("postgresql://u:p@localhost/db") == "postgresql://u:p@localhost/db"
    monkeypatch.setenv("BAODAO_DB", str(tmp_path / "env.db"))
    assert database_url() == f"sqlite:///{tmp_path / 'env.db'}"


def test_an_unreachable_database_is_a_clear_error() -> None:
    with pytest.raises(
        StorageError, match=r"无法打开数据库 postgresql\+psycopg://\*\*\*@127\.0\.0\.1:1/none"
    ):
        connect("postgresql://user:secret@127.0.0.1:1/none")


def test_an_unreachable_database_says_why_without_driver_text() -> None:
    with pytest.raises(StorageError) as caught:
        connect("postgresql://user:secret@127.0.0.1:1/none")
    assert "连接被拒绝" in str(caught.value)
    reason = str(caught.value).split("：", 1)[1]
    assert "OperationalError" not in reason and "psycopg" not in reason


def test_a_file_that_is_not_a_database_is_named_as_such(tmp_path: Path) -> None:
    bogus = tmp_path / "roster.sqlite3"
    bogus.write_bytes(b"PK\x03\x04 this is a zip, not a database" * 100)
    with pytest.raises(StorageError, match="该文件不是数据库文件") as caught:
        connect(str(bogus))
    assert "DatabaseError" not in str(caught.value)
    assert bogus.read_bytes().startswith(b"PK\x03\x04")  # left as it was


def test_a_database_in_a_folder_that_cannot_be_made_says_so(tmp_path: Path) -> None:
    (tmp_path / "taken").write_text("a file where the folder should be", encoding="utf-8")
    with pytest.raises(StorageError, match="文件夹"):
        connect(f"sqlite:///{tmp_path / 'taken' / 'x.sqlite3'}")
