"""What each returned form says for the tally: who registered where and when, who did what on which day.

One function per source form turns a record's fields (as intake stored them) into facts. Forms not named
here feed no tally. A value that is missing or unreadable gives no fact; `baodao review` shows it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Literal

from baodao.form_templates.coerce import CoerceError, read_integer
from baodao.form_templates.text import squash
from baodao.tally.categories import PARTY_LIFE, Category, categorize
from baodao.tally.names import community_key, member_key, unit_key, unit_of

PersonKind = Literal["member", "unit"]
Fields = Mapping[str, object]
LEDGER_FORM = "activity-ledger"  # rows of an activity ledger (XLSX/CSV), stored like returned forms


@dataclass(frozen=True)
class Person:
    """A member (unit and name) or a unit, as a form names it."""

    kind: PersonKind
    name: str
    unit: str
    community: str = ""
    member_no: str | None = None

    @cached_property
    def key(self) -> str:
        return member_key(self.name, self.unit) if self.kind == "member" else unit_key(self.unit)


@dataclass(frozen=True)
class Registration:
    person: Person
    community: str
    on: dt.date | None


@dataclass(frozen=True)
class Activity:
    person: Person
    on: dt.date
    category: Category
    points: int | None
    content: str
    row: int


@dataclass(frozen=True)
class Rating:
    person: Person
    grade: str
    on: dt.date | None


@dataclass(frozen=True)
class Pledge:
    """What a member pledged on a form: posts claimed or projects chosen, service intentions (None: the
    form does not ask, or the value could not be read)."""

    person: Person
    posts: int | None = None
    intentions: int | None = None


@dataclass
class Facts:
    """Everything one record says for the tally."""

    registrations: list[Registration] = field(default_factory=list)
    activities: list[Activity] = field(default_factory=list)
    ratings: list[Rating] = field(default_factory=list)
    pledges: list[Pledge] = field(default_factory=list)

    def people(self) -> list[Person]:
        found = [r.person for r in self.registrations] + [a.person for a in self.activities]
        return found + [r.person for r in self.ratings] + [p.person for p in self.pledges]


def _text(fields: Fields, name: str) -> str:
    value = fields.get(name)
    return squash(value) if isinstance(value, str) else ""


def _day(value: object) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def _points(value: object) -> int | None:
    """Points as written (5, “8分”, “+3”, 6.0); blank or unreadable (“五分”) earns the base instead."""
    if value is None or value == "":
        return None
    try:
        return read_integer(value)
    except CoerceError:
        return None


def _rows(fields: Fields, name: str) -> list[Mapping[str, object]]:
    value = fields.get(name)
    return [r for r in value if isinstance(r, Mapping)] if isinstance(value, list) else []


def _member(fields: Fields, name: str, employer: str, community: str = "", number: str = "") -> Person:
    raw = fields.get(employer)
    unit = unit_of(raw) if isinstance(raw, str) else ""
    return Person(
        "member",
        _text(fields, name),
        unit_key(unit),
        community_key(_text(fields, community)) if community else "",
        _text(fields, number) or None if number else None,
    )


def _unit(fields: Fields, name: str, community: str = "") -> Person:
    unit = unit_key(_text(fields, name))
    return Person("unit", unit, unit, community_key(_text(fields, community)) if community else "")


def _registered(person: Person, on: object) -> Facts:
    # A returned slip is a registration even with its community left blank: the roster's stands in.
    if not person.name:
        return Facts()
    return Facts(registrations=[Registration(person, person.community, _day(on))])


def _chosen(value: object, other: object = None) -> int | None:
    """How many were ticked or written (a list of choices, and an 其他 written beside them); None when the
    form's value is missing (not read)."""
    if not isinstance(value, list):
        return None
    count = sum(1 for v in value if isinstance(v, str) and squash(v))
    return count + (1 if isinstance(other, str) and squash(other) else 0)


def _pledged(facts: Facts, person: Person, posts: int | None = None, intentions: int | None = None) -> Facts:
    if person.name and (posts is not None or intentions is not None):
        facts.pledges.append(Pledge(person, posts, intentions))
    return facts


def _zz_b1(f: Fields) -> Facts:
    person = _member(f, "name", "employer_and_post", "community", "number")
    if not person.community:  # 所属社区 blank: the 报到地党组织 names it too
        person = replace(person, community=community_key(_text(f, "organization")))
    # 服务意向（至少填报2个）: 003 表B.1
    return _pledged(
        _registered(person, f.get("unit_sealed_on")), person, intentions=_chosen(f.get("intentions"))
    )


def _zz_b2(f: Fields) -> Facts:
    # The receipt names the member and the slip's 编号; its unit is the addressee 党支部.
    person = Person(
        "member",
        _text(f, "member_name"),
        unit_key(_text(f, "addressee_unit")),
        community_key(_text(f, "organization")),
        _text(f, "number") or None,
    )
    return _registered(person, f.get("reported_on"))


def _zs_member_slip(f: Fields) -> Facts:
    person = _member(f, "name", "employer_and_post", "community", "number")
    if not person.community:
        person = replace(person, community=community_key(_text(f, "receipt_community_organization")))
    facts = _registered(person, f.get("receipt_reported_on") or f.get("reported_on"))
    return _pledged(facts, person, posts=_chosen(f.get("claimed_posts")))  # 至少认领1个: 004 二（二）


def _yp_a5(f: Fields) -> Facts:
    """党员参与村居服务项目表: the projects a member chose (002 附件5 注2: at least one). It names no
    unit: the member is found by the form's id, else by a name only one member has."""
    person = Person("member", _text(f, "name"), "")
    return _pledged(Facts(), person, posts=_chosen(f.get("project_categories"), f.get("other_projects")))


def _yp_a4(f: Fields) -> Facts:
    person = Person(
        "member",
        _text(f, "member_name"),
        unit_key(_text(f, "member_organization")),
        community_key(_text(f, "addressee_organization")),
    )
    return _registered(person, f.get("receipt_received_on") or f.get("reported_on"))


def _yp_a1(f: Fields) -> Facts:
    return _registered(
        _unit(f, "unit_organization_name", "addressee_organization"),
        f.get("receipt_received_on") or f.get("sealed_on"),
    )


def _zs_unit_slip(f: Fields) -> Facts:
    return _registered(
        _unit(f, "party_org_name", "community"), f.get("receipt_received_on") or f.get("reported_on")
    )


def _zs_unit_receipt(f: Fields) -> Facts:
    return _registered(_unit(f, "unit_name", "organization"), f.get("reported_on"))


def _rc_a1(f: Fields) -> Facts:
    # 三张清单 are how a Rongcheng unit reports to its community; they carry no date.
    return _registered(_unit(f, "unit_name", "community"), None)


def _activities(
    person: Person, rows: list[Mapping[str, object]], when: str, what: str, kind: str = ""
) -> Facts:
    facts = Facts()
    if not person.name:
        return facts
    for i, row in enumerate(rows, start=1):
        on = _day(row.get(when))
        if on is None:
            continue
        content = squash(str(row.get(what) or ""))
        category = categorize(str(row.get(kind) or "") if kind else "", content)
        facts.activities.append(Activity(person, on, category, _points(row.get("points")), content, i))
    return facts


def _zz_d1(f: Fields) -> Facts:
    return _activities(_member(f, "name", "employer_and_post"), _rows(f, "services"), "served_on", "content")


def _yp_a6(f: Fields) -> Facts:
    return _activities(
        _member(f, "name", "employer"), _rows(f, "service_records"), "date", "content", "category"
    )


def _yp_a2(f: Fields) -> Facts:
    return _activities(_unit(f, "unit_organization_name"), _rows(f, "service_records"), "date", "content")


_ZS_CATEGORY: dict[str, Category] = {
    "街道党建联席会或社区联合党委会": "joint_meeting",
    "联合主题党日活动": "theme_day",
    "社区志愿服务活动": "service",
}


def _zs_activity(f: Fields) -> Facts:
    unit = _unit(f, "organizer", "community_organization")
    on = _day(f.get("held_on"))
    if not unit.name or on is None:
        return Facts()
    raw = f.get("category")
    chosen = raw if isinstance(raw, str) else ""
    category = _ZS_CATEGORY.get(chosen) or categorize(chosen, _text(f, "content"))
    content = _text(f, "content")
    facts = Facts(activities=[Activity(unit, on, category, None, content, 1)])
    # Each member on the list took part: in a 主题党日 as party life, otherwise as service.
    member_category: Category = "party_life" if category in PARTY_LIFE else "service"
    names = f.get("participants")
    for i, name in enumerate(names if isinstance(names, list) else [], start=2):
        if isinstance(name, str) and squash(name):
            member = Person("member", squash(name), unit.unit)
            facts.activities.append(Activity(member, on, member_category, None, content, i))
    return facts


def _yp_a3(f: Fields) -> Facts:
    unit = _unit(f, "unit_organization_name")
    grade = f.get("performance")
    if not unit.name or not isinstance(grade, str) or not grade:
        return Facts()
    return Facts(ratings=[Rating(unit, grade, _day(f.get("sealed_on")))])


def _ledger(f: Fields) -> Facts:
    """One ledger row: a member's activity when it names a member, else the unit's; 报到 rows register,
    综合评价 rows rate."""
    name, unit = _text(f, "name"), unit_key(_text(f, "unit"))
    community = community_key(_text(f, "community"))
    on = _day(f.get("date"))
    kind, content = _text(f, "category"), _text(f, "content")
    person = Person("member", name, unit, community) if name else Person("unit", unit, unit, community)
    if not unit and not name:
        return Facts()
    if "综合评价" in kind or "等次" in kind:
        return Facts(ratings=[Rating(person, content, on)])
    if "报到" in kind and community:
        # Where a county keeps registrations in its ledger (Rongcheng's 灯塔 system has no paper slip).
        return Facts(registrations=[Registration(person, community, on)])
    if on is None:
        return Facts()
    return Facts(
        activities=[Activity(person, on, categorize(kind, content), _points(f.get("points")), content, 1)]
    )


DERIVERS: dict[str, Callable[[Fields], Facts]] = {
    "zz-b1": _zz_b1,
    "zz-b2": _zz_b2,
    "zs-member-slip": _zs_member_slip,
    "yp-a4": _yp_a4,
    "yp-a5": _yp_a5,
    "yp-a1": _yp_a1,
    "zs-unit-slip": _zs_unit_slip,
    "zs-unit-receipt": _zs_unit_receipt,
    "rc-a1": _rc_a1,
    "zz-d1": _zz_d1,
    "yp-a6": _yp_a6,
    "yp-a2": _yp_a2,
    "zs-activity": _zs_activity,
    "yp-a3": _yp_a3,
    LEDGER_FORM: _ledger,
}


def derive(form_key: str, fields: Fields) -> Facts:
    """The facts one record of ``form_key`` gives (none for forms the tally does not read)."""
    deriver = DERIVERS.get(form_key)
    return deriver(fields) if deriver else Facts()
