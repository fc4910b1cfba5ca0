"""An issued form as generation describes it to the register: which form, which id, to whom, due when."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class IssuedForm:
    """One issued form as the register keeps it."""

    form_key: str
    form_id: str
    recipient: str
    issuing_org: str
    issue_date: dt.date
    due_date: dt.date | None
    source: str = ""
    source_row: int | None = None
    status: str = "issued"

    def overdue_on(self, today: dt.date) -> bool:
        return self.status == "issued" and self.due_date is not None and self.due_date < today


# Records a batch's forms in the issuance register; returns (added, already there). The register lives in
# the store, a layer above generation, so the caller hands it in.
Register = Callable[[Sequence[IssuedForm]], tuple[int, int]]
