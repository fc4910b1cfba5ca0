"""Registrations made after their deadline: a form's (yuepu: 报到单 by 30 June), or for a registration
kept in a ledger, the policy's day for members or units to report (zhengzhou: members by 25 October)."""

from __future__ import annotations

from collections.abc import Sequence

from baodao.tally.facts import LEDGER_FORM
from baodao.tally.model import Shortfall
from baodao.tally.policy import Policy
from baodao.tally.queries import Reg


def late(regs: Sequence[Reg], policy: Policy, kind: str) -> Shortfall | None:
    """How the first dated registration missed its deadline in its own year (a reminder), or None."""
    first = next((r for r in regs if r.on is not None), None)
    if first is None or first.on is None:
        return None
    if first.form == LEDGER_FORM:
        day = policy.days.get("members_report_by" if kind == "member" else "units_report_by")
        due = (day.month, day.day, day.rule) if day else None
    else:
        deadline = policy.deadline_of.get(first.form)
        due = (deadline.month, deadline.day, deadline.rule) if deadline else None
    if due is None or (first.on.month, first.on.day) <= due[:2]:
        return None
    month, day_of, clause = due
    return Shortfall(
        "late_registration",
        str(first.on.year),
        first.on.isoformat(),
        f"{month:02d}-{day_of:02d}",
        "deadlines",
        clause,
        warn_only=True,
    )
