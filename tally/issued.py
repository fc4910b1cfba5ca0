"""People followed by id: each issued form's roster row (kept by the register) joined to the member read
from that row (kept by the tally when the roster is loaded)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from pathlib import PurePath
from typing import Any

from sqlalchemy import Connection, select

from baodao.store.schema import issued_forms
from baodao.tally.schema import tally_roster_rows

CHUNK = 500


def issued_people(conn: Connection, form_ids: Collection[str] | None = None) -> dict[tuple[str, str], int]:
    """(form key, form id) → the member the form was issued to, for forms made from a loaded roster (those
    of ``form_ids`` only, when given: then only their rows of rosters are read).

    The register keeps the data file as it was named on the command line: a full path matches that
    roster exactly; otherwise its file name does, when only one loaded roster of that name has the row."""
    i, r = issued_forms.c, tally_roster_rows.c
    query = select(i.form_key, i.form_id, i.source, i.source_row).where(i.source_row.is_not(None))
    rows_query = select(r.person_id, r.file_name, r.path, r.row_no)
    if form_ids is not None:
        listed = sorted(set(form_ids))
        issued: list[Any] = []
        for start in range(0, len(listed), CHUNK):
            issued += conn.execute(query.where(i.form_id.in_(listed[start : start + CHUNK]))).all()
        if not issued:
            return {}
        sources = sorted({source for _, _, source, _ in issued})
        names = sorted({PurePath(source).name for source in sources})
        numbers = sorted({row for _, _, _, row in issued})
        rows_query = rows_query.where((r.path.in_(sources) | r.file_name.in_(names)) & r.row_no.in_(numbers))
    by_path: dict[tuple[str, int], int] = {}
    by_name: dict[tuple[str, int], set[int]] = defaultdict(set)
    for pid, name, path, row in conn.execute(rows_query):
        by_path[(path, row)] = pid
        by_name[(name, row)].add(pid)
    if not by_path:
        return {}
    found: dict[tuple[str, str], int] = {}
    if form_ids is None:
        issued = list(conn.execute(query).all())
    for key, form_id, source, row in issued:
        pid = by_path.get((source, row))
        if pid is None:
            named = by_name.get((PurePath(source).name, row), set())
            pid = next(iter(named)) if len(named) == 1 else None
        if pid is not None:
            found[(key, form_id)] = pid
    return found
