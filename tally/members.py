"""A member's tally under a policy: reported or not (moves included), activities, points, stars, minimums."""

from __future__ import annotations

import datetime as dt

from baodao.tally.deadlines import late
from baodao.tally.model import MemberTally, Shortfall, ShortfallKind
from baodao.tally.period import Period
from baodao.tally.policy import Policy, Rule
from baodao.tally.queries import MemberCounts, PersonRow, Pledged, Reg

Registrations = list[Reg]


def member_tally(
    person: PersonRow,
    regs: Registrations,
    counted: MemberCounts | None,
    pledged: Pledged | None,
    policy: Policy,
    period: Period,
    as_of: dt.date,
) -> MemberTally:
    community = next((r.community for r in reversed(regs) if r.community), person.community)
    m = MemberTally(
        person.id, person.name, person.unit, community, person.member_no, person.on_roster, bool(regs), None
    )
    _reported(m, person, regs, policy, as_of)
    missed = late(regs, policy, "member")
    if missed:
        m.shortfalls.append(missed)
    if pledged is not None:
        m.posts, m.intentions = pledged.posts, pledged.intentions
    if counted is not None:
        for half in period.halves:
            if counted.count[half]:
                m.activities_by_half[half] = counted.count[half]
                m.points_by_half[half] = counted.points[half]
        m.activities = sum(counted.count)
        m.services = counted.services
        m.points = sum(counted.points)
        m.points_adjusted, m.party_life = counted.adjusted, counted.party_life
    _stars(m, policy, period)
    _minimums(m, policy, period, as_of)
    if m.points_adjusted and policy.member.points:
        band = f"{policy.member.points.base}±{policy.member.points.max_adjust}"
        m.notes.append(f"{m.points_adjusted}次活动所记积分超出{band}分，已按上下限计（一事一记的除外）")
    return m


def _reported(m: MemberTally, person: PersonRow, regs: Registrations, policy: Policy, as_of: dt.date) -> None:
    dated = [r.on for r in regs if r.on is not None]
    m.reported_on = dated[-1] if dated else None
    rule = policy.member.move_within_days
    moved = person.moved_on
    if not regs or moved is None or moved > as_of:
        return
    after = [on for on in dated if on >= moved]
    allowed = int(rule.value) if rule else None
    if after:
        late = (after[0] - moved).days
        if allowed is not None and late > allowed:
            m.notes.append(f"{moved:%Y-%m-%d}迁居，{late}天后才到新社区报到（应在{allowed}天内）")
        return
    waited = (as_of - moved).days
    if allowed is not None and waited <= allowed:
        m.notes.append(f"{moved:%Y-%m-%d}迁居，尚未到新社区报到（还有{allowed - waited}天）")
        return
    # Moved and never reported to the new community: the old registration no longer counts.
    m.reported = False
    m.community = person.community
    m.notes.append(f"{moved:%Y-%m-%d}迁居后未到新居住地社区报到")


def _stars(m: MemberTally, policy: Policy, period: Period) -> None:
    stars = policy.member.stars
    if stars is None:
        return
    if stars.settle == "half_year":
        for half in period.halves:
            points = m.points_by_half.get(half, 0)
            m.stars_by_half[half] = min(stars.max_stars, points // stars.points_per_star)
    else:
        m.stars_by_half[0] = min(stars.max_stars, m.points // stars.points_per_star)


def _minimums(m: MemberTally, policy: Policy, period: Period, as_of: dt.date) -> None:
    """Not reporting is a shortfall at once; the yearly minimums are judged on a whole year, and until the
    year is over a shortfall only reminds (there is still time). Posts and intentions are pledged once, on
    the forms that record them: judged whenever a form recorded them, 未核对 when none did."""
    rules = policy.member
    year = str(period.year)
    if not m.reported:
        cited = rules.deduction_per_unreported or rules.below_minimum
        rule = "deduction_per_unreported" if rules.deduction_per_unreported else "below_minimum"
        m.shortfalls.append(Shortfall("not_reported", year, 0, 1, rule, cited.rule if cited else ""))
        if rules.deduction_per_unreported and m.on_roster:
            m.deduction = rules.deduction_per_unreported.value
    yearly_checks: tuple[tuple[ShortfallKind, str, Rule | None, int], ...] = (
        ("activities", "min_activities_per_year", rules.min_activities_per_year, m.activities),
        ("services", "min_services_per_year", rules.min_services_per_year, m.services),
        ("credit_points", "min_credit_points_per_year", rules.min_credit_points_per_year, m.points),
        ("party_life", "min_party_life_per_year", rules.min_party_life_per_year, m.party_life),
    )
    yearly, early = period.half is None, as_of < period.end
    for kind, key, minimum, found in yearly_checks:
        if yearly and minimum is not None and found < minimum.value:
            m.shortfalls.append(_short(kind, year, found, minimum, key, pending=early))
    pledge_checks: tuple[tuple[ShortfallKind, str, Rule | None, int | None], ...] = (
        ("posts", "min_posts", rules.min_posts, m.posts),
        ("intentions", "min_intentions", rules.min_intentions, m.intentions),
    )
    for kind, key, minimum, pledged in pledge_checks:
        if minimum is None or (pledged is not None and pledged >= minimum.value):
            continue
        m.shortfalls.append(_short(kind, year, pledged, minimum, key, unchecked=pledged is None))
    m.minimum_met = not any(s.counts for s in m.shortfalls)
    if not m.minimum_met and rules.below_minimum:
        m.consequence = rules.below_minimum.consequence


def _short(
    kind: ShortfallKind,
    period: str,
    found: int | None,
    rule: Rule,
    name: str,
    pending: bool = False,
    unchecked: bool = False,
) -> Shortfall:
    required = int(rule.value) if rule.value.is_integer() else rule.value
    return Shortfall(kind, period, found, required, name, rule.rule, rule.warn_only, pending, unchecked)
