"""A member's tally under a policy: reported or not (moves included), activities, points, stars, minimums.

A tally judges 100,000 members on every view of the workbench: what depends only on the policy and the
period is worked out once (`Judge`), and equal shortfalls (immutable) are made once and shared.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from baodao.tally.deadlines import late
from baodao.tally.facts import LEDGER_FORM
from baodao.tally.model import MemberTally, Shortfall, ShortfallKind
from baodao.tally.period import Period
from baodao.tally.policy import Policy, Rule
from baodao.tally.queries import NO_SUMS, MemberRow, Pledged, Reg, Sums, day

Registrations = Sequence[Reg]


@dataclass(frozen=True)
class _Check:
    kind: ShortfallKind
    key: str  # the policy's name for the rule
    rule: Rule

    @property
    def required(self) -> int | float:
        return int(self.rule.value) if self.rule.value.is_integer() else self.rule.value


# Where in a member's figures (activities, services, points, party life, posts, intentions) each is found.
_FOUND_AT = {"activities": 0, "services": 1, "credit_points": 2, "party_life": 3, "posts": 4, "intentions": 5}


def _checked(kind: ShortfallKind, key: str, rule: Rule) -> tuple[_Check, int, float]:
    return _Check(kind, key, rule), _FOUND_AT[kind], rule.value


class Judge:
    """The member rules of one policy, over one period, on one day."""

    def __init__(self, policy: Policy, period: Period, as_of: dt.date) -> None:
        rules = policy.member
        self.policy, self.period, self.as_of = policy, period, as_of
        self.year = str(period.year)
        self.halves = period.halves
        self.early = as_of < period.end
        self.stars = rules.stars
        self.move_within = int(rules.move_within_days.value) if rules.move_within_days else None
        yearly: tuple[tuple[ShortfallKind, str, Rule | None], ...] = (
            ("activities", "min_activities_per_year", rules.min_activities_per_year),
            ("services", "min_services_per_year", rules.min_services_per_year),
            ("credit_points", "min_credit_points_per_year", rules.min_credit_points_per_year),
            ("party_life", "min_party_life_per_year", rules.min_party_life_per_year),
        )
        # The yearly minimums are judged on a whole year only; until it is over a shortfall reminds.
        whole = period.half is None
        self.yearly = [_checked(k, n, r) for k, n, r in yearly if r is not None and whole]
        self.half = period.half
        pledges: tuple[tuple[ShortfallKind, str, Rule | None], ...] = (
            ("posts", "min_posts", rules.min_posts),
            ("intentions", "min_intentions", rules.min_intentions),
        )
        self.pledges = [_checked(k, n, r) for k, n, r in pledges if r is not None]
        cited = rules.deduction_per_unreported or rules.below_minimum
        key = "deduction_per_unreported" if rules.deduction_per_unreported else "below_minimum"
        self.unreported = Shortfall("not_reported", self.year, 0, 1, key, cited.rule if cited else "")
        self.deduction = rules.deduction_per_unreported.value if rules.deduction_per_unreported else 0.0
        self.consequence = rules.below_minimum.consequence if rules.below_minimum else None
        points = rules.points
        self.band = f"{points.base}±{points.max_adjust}" if points else None
        self._made: dict[tuple[int, int | None, bool], Shortfall] = {}
        self._verdicts: dict[tuple[object, ...], tuple[tuple[Shortfall, ...], bool]] = {}
        self._lateness: dict[tuple[str | None, dt.date | None], Shortfall | None] = {}  # by form and day
        self._days: dict[object, dt.date | None] = {}  # a day as read (ISO text on SQLite), as a date
        self._star_sets: dict[tuple[int, int], dict[int, int]] = {}
        # Each form's deadline (month, day): a registration by then is on time, without asking `late`.
        self._due = {form: (d.month, d.day) for form, d in policy.deadline_of.items()}
        reports_by = policy.days.get("members_report_by")
        if reports_by is not None:
            self._due[LEDGER_FORM] = (reports_by.month, reports_by.day)

    def short(self, index: int, check: _Check, found: int | None, pending: bool = False) -> Shortfall:
        """The shortfall of ``check`` with ``found``, made once per value (they are immutable)."""
        key = (index, found, pending)
        made = self._made.get(key)
        if made is None:
            r = check.rule
            unchecked = found is None
            made = Shortfall(
                check.kind,
                self.year,
                found,
                check.required,
                check.key,
                r.rule,
                r.warn_only,
                pending,
                unchecked,
            )
            self._made[key] = made
        return made

    def members(
        self,
        rows: list[MemberRow],
        sums: dict[int, Sums],
        regs: Mapping[int, Registrations],
        pledges: dict[int, Pledged],
    ) -> list[MemberTally]:
        """Every member judged, in the order of ``rows``. The one loop a large tally runs per member: what
        repeats across members (stars for given points, verdicts for given figures, the lateness of a
        registration on a given day) is looked up, not worked out again, and what most members have (one
        registration, no move) is judged right here, without a call."""
        found: list[MemberTally] = []
        add = found.append
        zero, none = NO_SUMS, (None, None)
        half, band, deduction, consequence = self.half, self.band, self.deduction, self.consequence
        star_sets, verdicts, lateness, days = self._star_sets, self._verdicts, self._lateness, self._days
        sums_of, regs_of, pledges_of = sums.get, regs.get, pledges.get
        for row in rows:
            pid, name, unit, home, number, on_roster, moved, n_regs, r_community, r_on, r_form = row
            _, n1, n2, p1, p2, a1, a2, l1, l2, s1, s2 = sums_of(pid, zero)
            if half == 1:
                n2 = p2 = a2 = l2 = s2 = 0
            elif half == 2:
                n1 = p1 = a1 = l1 = s1 = 0
            by_half = {1: n1, 2: n2} if n1 and n2 else {1: n1} if n1 else {2: n2} if n2 else {}
            points = {1: p1, 2: p2} if n1 and n2 else {1: p1} if n1 else {2: p2} if n2 else {}
            pledged = pledges_of(pid)
            posts, intentions = (pledged.posts, pledged.intentions) if pledged is not None else none
            activities, services, party, earned = n1 + n2, s1 + s2, l1 + l2, p1 + p2
            stars = star_sets.get((p1, p2))
            stars = stars.copy() if stars is not None else self._stars(p1, p2)
            single = n_regs == 1 and moved is None  # most members: reported once, never moved
            on = (days[r_on] if r_on in days else self._day(r_on)) if single else None
            m = MemberTally(
                pid,
                name,
                unit,
                (r_community or home) if single else home,
                number,
                on_roster == 1,
                bool(n_regs),
                on,
                activities,
                services,
                party,
                posts,
                intentions,
                by_half,
                earned,
                points,
                stars,
                a1 + a2,
            )
            missed: Shortfall | None = None
            if single:
                key = (r_form, on)
                if key in lateness:
                    missed = lateness[key]
                else:
                    missed = lateness[key] = self._late([Reg(r_community or "", on, r_form or "")])
            elif n_regs:
                mine: Registrations = regs_of(pid) or [Reg(r_community or "", day(r_on), r_form or "")]
                m.community = self._community(home, mine)
                self._reported(m, home, mine, day(moved) if moved is not None else None)
                missed = self._late(mine)
            if missed is not None:
                m.shortfalls.append(missed)
            reported = m.reported
            verdict = verdicts.get((reported, activities, services, earned, party, posts, intentions))
            if verdict is None:
                verdict = self._verdict(reported, (activities, services, earned, party, posts, intentions))
            shortfalls, met = verdict
            if shortfalls:
                m.shortfalls.extend(shortfalls)
            if shortfalls or m.shortfalls:
                m.minimum_met = met and not any(s.counts for s in m.shortfalls)
                if not m.minimum_met and consequence:
                    m.consequence = consequence
            if not reported and m.on_roster:
                m.deduction = deduction
            if m.points_adjusted and band:
                m.notes.append(
                    f"{m.points_adjusted}次活动所记积分超出{band}分，已按上下限计（一事一记的除外）"
                )
            add(m)
        return found

    def _day(self, value: dt.date | str | None) -> dt.date | None:
        """A registration's day as read, as a date; a million members share a few hundred days."""
        made = self._days[value] = day(value)
        return made

    @staticmethod
    def _community(home: str, regs: Registrations) -> str:
        """Where the member reported last (a registration that names it), else where they live."""
        for r in reversed(regs):
            if r.community:
                return r.community
        return home

    def _late(self, regs: Registrations) -> Shortfall | None:
        """The first dated registration's lateness (a reminder), or None; most members have none to date."""
        for r in regs:
            if r.on is not None:
                due = self._due.get(r.form)
                if due is None or (r.on.month, r.on.day) <= due:
                    return None
                return late(regs, self.policy, "member")
        return None

    def _reported(self, m: MemberTally, home: str, regs: Registrations, moved: dt.date | None) -> None:
        """When a member with several registrations, or a move, reported, and whether that still counts."""
        dated = [r.on for r in regs if r.on is not None]
        m.reported_on = dated[-1] if dated else None
        if moved is None or moved > self.as_of:
            return
        after = [on for on in dated if on >= moved]
        allowed = self.move_within
        if after:
            waited = (after[0] - moved).days
            if allowed is not None and waited > allowed:
                m.notes.append(f"{moved:%Y-%m-%d}迁居，{waited}天后才到新社区报到（应在{allowed}天内）")
            return
        waited = (self.as_of - moved).days
        if allowed is not None and waited <= allowed:
            m.notes.append(f"{moved:%Y-%m-%d}迁居，尚未到新社区报到（还有{allowed - waited}天）")
            return
        # Moved and never reported to the new community: the old registration no longer counts.
        m.reported = False
        m.community = home
        m.notes.append(f"{moved:%Y-%m-%d}迁居后未到新居住地社区报到")

    def _stars(self, p1: int, p2: int) -> dict[int, int]:
        """Stars by half year (or 0: the year) for these points; each member gets their own copy."""
        known = self._star_sets.get((p1, p2))
        if known is None:
            stars = self.stars
            if stars is None:
                known = {}
            else:
                per, most = stars.points_per_star, stars.max_stars
                if stars.settle == "half_year":
                    known = {h: min(most, (0, p1, p2)[h] // per) for h in self.halves}
                else:
                    known = {0: min(most, (p1 + p2) // per)}
            self._star_sets[(p1, p2)] = known
        return known.copy()

    def _verdict(
        self, reported: bool, found: tuple[int, int, int, int, int | None, int | None]
    ) -> tuple[tuple[Shortfall, ...], bool]:
        """The shortfalls of a member who reported (or not) with these figures, and whether the minimums
        are met: not reporting at once; the yearly minimums on a whole year; posts and intentions, pledged
        on the forms that record them, whenever a form did, 未核对 when none did. Members with the same
        figures share the answer (shortfalls are immutable), so each is judged once."""
        shortfalls: list[Shortfall] = [] if reported else [self.unreported]
        for i, (check, at, least) in enumerate(self.yearly):
            n = found[at]
            if n is not None and n < least:
                shortfalls.append(self.short(i, check, n, self.early))
        for i, (check, at, least) in enumerate(self.pledges, start=len(self.yearly)):
            pledged = found[at]
            if pledged is None or pledged < least:
                shortfalls.append(self.short(i, check, pledged))
        verdict = tuple(shortfalls), not any(s.counts for s in shortfalls)
        self._verdicts[(reported, *found)] = verdict
        return verdict
