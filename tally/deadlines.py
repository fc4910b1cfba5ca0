"""Registrations made after the deadline for the form they came on (yuepu: 报到单 by 30 June)."""

from __future__ import annotations

from baodao.tally.policy import Policy
from baodao.tally.queries import Reg


def late(regs: list[Reg], policy: Policy) -> str | None:
    """How the first dated registration missed its form's deadline in its own year, or None if it did not."""
    deadlines = policy.deadline_of
    first = next((r for r in regs if r.on is not None), None)
    if first is None or first.on is None or first.form not in deadlines:
        return None
    due = deadlines[first.form]
    if (first.on.month, first.on.day) <= (due.month, due.day):
        return None
    return f"{first.on:%Y-%m-%d}报到，晚于{due.month}月{due.day}日（{due.rule}）"
