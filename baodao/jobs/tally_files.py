"""A roster or an activity ledger checked before it is read into the tally: how its columns map (as titled,
or as the clerk chose), the columns it must have that nothing feeds, and the rows that would be left out —
in the issue page's terms (`jobs.roster.Preview`), so both pages show it alike."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from baodao.jobs.roster import Preview, ProblemRow
from baodao.office.sources import RowProblem
from baodao.tally import ledger, roster
from baodao.tally.columns import Columns


@dataclass(frozen=True)
class Kind:
    what: str  # as a clerk says it
    aliases: dict[str, tuple[str, ...]]
    required: tuple[str, ...]


KINDS = {
    "roster": Kind("党员名册", roster.ALIASES, ("name", "unit")),
    "ledger": Kind("活动台账", ledger.ALIASES, ("date", "unit")),
}


def label_of(kind: Kind, name: str) -> str:
    return kind.aliases[name][0]


def fields_of(kind_key: str, mapping: Mapping[str, str]) -> dict[str, str]:
    """The clerk's mapping, header → label (as the page shows it), as header → column name."""
    kind = KINDS[kind_key]
    by_label = {label_of(kind, n): n for n in kind.aliases}
    return {h: by_label.get(label, "") for h, label in mapping.items()}


def preview(path: Path, kind_key: str, mapping: Mapping[str, str], sheet: str | None = None) -> Preview:
    """How ``path`` would be read as a roster or ledger with the clerk's ``mapping`` (header → label)."""
    kind = KINDS[kind_key]
    chosen = fields_of(kind_key, mapping)
    cols = Columns(path, kind.aliases, kind.required, kind.what, sheet, chosen, strict=False)
    found: list[RowProblem] = []
    if not cols.missing:
        if kind_key == "roster":
            roster.read_roster(path, sheet, chosen, found)
        else:
            ledger.read_ledger(path, sheet, chosen, found)
    headers = [h for h in cols.table.headers if h]
    shown = {cols.table.headers[i]: label_of(kind, n) for n, i in cols.index.items()}
    return Preview(
        headers=headers,
        mapping={h: shown.get(h, "") for h in headers},
        joins={},
        suggested=[],
        labels=[label_of(kind, n) for n in kind.aliases],
        absent_required=list(cols.missing),
        blank=[],
        problems=[ProblemRow(p.row, p.who, p.column, p.value, p.reason) for p in found],
        rows=len(cols.table.rows),
    )
