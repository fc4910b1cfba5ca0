"""The span a tally covers: a year or one of its halves, and the day it is counted on."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from baodao.errors import PolicyError


@dataclass(frozen=True)
class Period:
    """A calendar year, or its first (1 Jan–30 Jun) or second (1 Jul–31 Dec) half."""

    year: int
    half: int | None = None

    def __post_init__(self) -> None:
        if self.half not in (None, 1, 2):
            raise PolicyError(f"半年只能是 1（上半年）或 2（下半年），不是 {self.half}")
        if not 1949 < self.year < 2200:
            raise PolicyError(f"年份 {self.year} 不对")

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 7 if self.half == 2 else 1, 1)

    @property
    def end(self) -> dt.date:
        return dt.date(self.year, 6, 30) if self.half == 1 else dt.date(self.year, 12, 31)

    @property
    def label(self) -> str:
        return {None: f"{self.year}年度", 1: f"{self.year}年上半年", 2: f"{self.year}年下半年"}[self.half]

    @property
    def halves(self) -> tuple[int, ...]:
        return (self.half,) if self.half else (1, 2)

    def months(self, first: dt.date | None, as_of: dt.date) -> list[int]:
        """The months of the period from ``first`` (a rule's start) that are over by ``as_of``."""
        start = max(self.start, first) if first else self.start
        months = []
        for month in range(start.month if start.year == self.year else 1, self.end.month + 1):
            if dt.date(self.year, month, 1) < self.start:
                continue
            if _month_end(self.year, month) <= as_of:
                months.append(month)
        return months


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)


def quarter_of(month: int) -> int:
    return (month - 1) // 3 + 1
