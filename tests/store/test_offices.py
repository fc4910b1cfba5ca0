"""Migration 0004w gives data from before offices to the top office; offices form a tree a user sees down."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, select

from baodao.docgen.render import render_docx
from baodao.errors import StorageError
from baodao.form_templates.catalog import get_form
from baodao.form_templates.samples import sample_record
from baodao.store.db import MIGRATIONS
from baodao.store.offices import DEFAULT_OFFICE, add_office, file_offices, office_ids_under, subtree
from baodao.store.records import doubtful
from baodao.store.returns import intake
from baodao.store.schema import files, issued_forms, office_files, records


def test_existing_register_entries_and_files_go_to_the_default_office(engine: Engine) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0003")
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO issued_forms (form_key, form_id, recipient, issuing_org, issue_date, source,"
            " status, created_at) VALUES"
            " ('zz-b1', 'SJ-1', '张三', '', '2025-03-01', '', 'issued', '2025-03-01 09:00:00')"
        )
        conn.exec_driver_sql(
            "INSERT INTO files (sha256, size, first_path, first_seen_at, status) VALUES"
            f" ('{'a' * 64}', 10, '/回执/张三.docx', '2025-03-02 10:00:00', 'read')"
        )
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
    with engine.connect() as conn:
        assert conn.execute(select(issued_forms.c.office_id)).scalar_one() == DEFAULT_OFFICE
        file_id = conn.execute(select(files.c.id)).scalar_one()
        link = conn.execute(select(office_files.c.office_id, office_files.c.name)).one()
    assert (link.office_id, link.name) == (DEFAULT_OFFICE, "张三.docx")
    assert file_id is not None
    # A new office gets an id of its own after the default one (PostgreSQL's sequence was moved past 1).
    assert add_office(engine, "城东街道党工委", "街道党工委", DEFAULT_OFFICE) > DEFAULT_OFFICE


def test_a_user_sees_their_office_and_everything_under_it(engine: Engine) -> None:
    street = add_office(engine, "城东街道党工委", "街道党工委", DEFAULT_OFFICE)
    a = add_office(engine, "新安社区党委", "社区党组织", street)
    b = add_office(engine, "金华社区党委", "社区党组织", street)
    unit = add_office(engine, "区卫健委党委", "单位党组织", a)
    assert office_ids_under(engine, street) == {street, a, b, unit}
    assert office_ids_under(engine, a) == {a, unit}
    assert [(o.name, o.depth) for o in subtree(engine, a)] == [("新安社区党委", 0), ("区卫健委党委", 1)]
    try:
        add_office(engine, "新安社区党委", "社区党组织", street)
    except StorageError as exc:
        assert "已有名为“新安社区党委”的组织" in str(exc)
    else:
        raise AssertionError("a second office of the same name under one parent was accepted")


def test_a_batch_read_for_an_office_is_that_office_unless_another_had_it_first(
    engine: Engine, tmp_path: Path
) -> None:
    form = get_form("zz-b1")
    first = render_docx(form.docx, form.spec, sample_record(form.spec), tmp_path / "a.docx", form_id="O-1")
    second = render_docx(form.docx, form.spec, sample_record(form.spec), tmp_path / "b.docx", form_id="O-2")
    street = add_office(engine, "新安街道党工委", "街道党工委", DEFAULT_OFFICE)
    intake([first], engine, office_id=street)
    report = intake([first, second], engine, office_id=DEFAULT_OFFICE)
    owners = {r.record.form_id: file_offices(engine, _file_of(engine, r.record_id)) for r in report.returned}
    assert owners == {"O-1": {street}, "O-2": {DEFAULT_OFFICE}}


def _file_of(engine: Engine, record_id: int) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(records.c.file_id).where(records.c.id == record_id)).scalar_one())


def test_the_review_queue_of_an_office_is_chosen_by_the_query(engine: Engine, tmp_path: Path) -> None:
    form = get_form("zz-b1")
    values = {**sample_record(form.spec), "age": None}  # 年龄 left blank: one doubt per return
    a = add_office(engine, "新安社区党委", "社区党组织", DEFAULT_OFFICE)
    b = add_office(engine, "金华社区党委", "社区党组织", DEFAULT_OFFICE)
    paths = {
        n: render_docx(form.docx, form.spec, values, tmp_path / f"{n}.docx", form_id=n)
        for n in ("A-1", "A-2", "B-1", "AB-1")
    }
    intake([paths["A-1"], paths["A-2"], paths["AB-1"]], engine, office_id=a)
    intake([paths["B-1"], paths["AB-1"]], engine, office_id=b)

    def queue(offices: set[int] | None) -> list[str | None]:
        return [d.form_id for d in doubtful(engine, offices=offices) if d.field == "age"]

    assert queue({a}) == ["A-1", "A-2", "AB-1"]
    assert queue({b}) == ["B-1"]  # the file A handed in first stays A's
    assert queue({a, b}) == ["A-1", "A-2", "AB-1", "B-1"] == queue(None)
    assert queue({DEFAULT_OFFICE}) == [] and queue(set()) == []
