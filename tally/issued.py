"""People followed by id: each issued form's roster row (kept by the register) joined to the member read
from that row (kept by the tally when the roster is loaded)."""

from __future__ import annotations

from collections import defaultdict
from pathlib import PurePath

from sqlalchemy import Connection, select

from baodao.store.schema import issued_forms
from baodao.tally.schema import tally_roster_rows


def issued_people(conn: Connection) -> dict[tuple[str, str], int]:
    """(form key, form id) → the member the form was issued to, for forms made from a loaded roster.

    The register keeps the data file as it was named on the command line: a full path matches that
    roster exactly; otherwise its file name does, when only one loaded roster of that name has the row."""
    r = tally_roster_rows.c
    by_path: dict[tuple[str, int], int] = {}
    by_name: dict[tuple[str, int], set[int]] = defaultdict(set)
    for pid, name, path, row in conn.execute(select(r.person_id, r.file_name, r.path, r.row_no)):
        by_path[(path, row)] = pid
        by_name[(name, row)].add(pid)
    if not by_path:
        return {}
    i = issued_forms.c
    found: dict[tuple[str, str], int] = {}
    query = select(i.form_key, i.form_id, i.source, i.source_row).where(i.source_row.is_not(None))
    for key, form_id, source, row in conn.execute(query):
        pid = by_path.get((source, row))
        if pid is None:
            named = by_name.get((PurePath(source).name, row), set())
            pid = next(iter(named)) if len(named) == 1 else None
        if pid is not None:
            found[(key, form_id)] = pid
    return found
