"""What a tally is computed from, as one string that changes whenever any of it changes: a tally kept under
it (the workbench keeps a few) is the tally the stored data gives now."""

from __future__ import annotations

from sqlalchemy import Engine, func, select
from sqlalchemy.exc import SQLAlchemyError

from baodao.errors import StorageError
from baodao.store.schema import corrections, issued_forms, office_files, offices, records
from baodao.tally.schema import ensure_tables, tally_people, tally_roster_rows, tally_undone


def data_version(engine: Engine) -> str:
    """Records stored or superseded, corrections, ledger imports undone or redone, roster rows loaded or
    taken out, people added, files handed in by an office, forms issued, offices made: each read from a key
    or a count on an index, so asking costs milliseconds."""
    asked = [
        select(func.max(records.c.id)),
        select(func.max(corrections.c.id)),
        select(func.count(), func.max(tally_undone.c.undone_at)),
        select(func.count(), func.max(tally_roster_rows.c.id)),
        select(func.max(tally_people.c.id)),
        select(func.count()).select_from(office_files),
        select(func.count(), func.max(issued_forms.c.id)),
        select(func.count(), func.max(offices.c.id)),
    ]
    try:
        with ensure_tables(engine).connect() as conn:
            return "|".join(str(tuple(conn.execute(q).one())) for q in asked)
    except SQLAlchemyError as exc:
        raise StorageError(f"无法读取统计数据：{exc}") from exc
