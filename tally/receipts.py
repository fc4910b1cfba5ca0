"""回执 handed in late: a form with a tear-off 回执 whose return came back after the policy's day
(yuepu: 002 二、1–2, 回执单于7月8日前交上级（所在单位）党组织存档).

The 回执 comes back with the form it is torn from, so the day it was handed in is the day the returned
file was made (its file time, as intake stores it), else the day intake first saw it. A reminder, as a
late registration is: the member or unit did report.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection, func, select

from baodao.form_templates.catalog import forms
from baodao.store.schema import files, records
from baodao.tally.model import MemberTally, Shortfall, UnitTally
from baodao.tally.period import Period
from baodao.tally.policy import Policy
from baodao.tally.schema import tally_registrations


def receipt_forms(policy: Policy) -> list[str]:
    """The forms of the policy's seeds that carry a tear-off 回执."""
    return sorted(f.key for f in forms() if f.spec.has_receipt and f.spec.seed in policy.seeds)


def late_receipts(conn: Connection, policy: Policy, period: Period, as_of: dt.date) -> dict[int, Shortfall]:
    """Person id → the first 回执 of the period's year handed in after the policy's ``receipts_due`` day
    of that year; empty when the policy sets no such day."""
    due = policy.days.get("receipts_due")
    if due is None:  # before the catalog is read: most policies set no such day
        return {}
    keys = receipt_forms(policy)
    if not keys:
        return {}
    r = tally_registrations.c
    handed = func.coalesce(files.c.file_mtime, files.c.first_seen_at)
    query = (
        select(r.person_id, r.on_date, handed)
        .join(records, records.c.id == r.record_id)
        .join(files, files.c.id == records.c.file_id)
        .where(r.form_key.in_(keys))
        .order_by(r.person_id, handed)
    )
    year = period.year
    deadline = due.in_year(year)
    found: dict[int, Shortfall] = {}
    seen: set[int] = set()
    for person, on, at in conn.execute(query):
        day = _date(at)
        reported = _date(on) if on is not None else None
        if (reported.year if reported else day.year) != year or day > as_of or person in seen:
            continue
        seen.add(person)  # the first 回执 the person handed in that year decides
        if day > deadline:
            found[person] = Shortfall(
                "late_receipt",
                str(year),
                day.isoformat(),
                f"{due.month:02d}-{due.day:02d}",
                "receipts_due",
                due.rule,
                warn_only=True,
            )
    return found


def note_late_receipts(
    members: list[MemberTally], units: list[UnitTally], late: dict[int, Shortfall]
) -> None:
    """Add each late 回执 to its member or unit (a reminder: what they met stays met)."""
    if not late:
        return
    for m in members:
        if m.person_id in late:
            m.shortfalls.append(late[m.person_id])
    for u in units:
        if u.person_id is not None and u.person_id in late:
            u.shortfalls.append(late[u.person_id])


def _date(value: object) -> dt.date:
    """A date or timestamp as the driver gives it (SQLite: ISO text)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])
