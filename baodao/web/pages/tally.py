"""统计: a tally of the visitor's offices under a chosen rule and period — summary, charts, the members and
units with a problem, communities; offices below side by side; drill-down; the tables as XLSX."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from baodao.docgen.sheets import write_sheets
from baodao.form_templates.catalog import get_form
from baodao.store.audit import log
from baodao.store.offices import subtree
from baodao.store.records import corrections_of, record
from baodao.tally import detail, queries
from baodao.tally.facts import LEDGER_FORM
from baodao.tally.offices import belongs
from baodao.tally.policy import bundled, load_policy
from baodao.web import charts, tallies
from baodao.web.auth import NotFound, Visitor
from baodao.web.render import attachment, page
from baodao.web.tally_sheets import export_sheet

router = APIRouter()
TABLES = {"members": "党员", "units": "单位", "communities": "社区"}


def _params(request: Request) -> dict[str, str]:
    return {k: v for k, v in request.query_params.items()}


@router.get("/tally", response_class=HTMLResponse)
def tally_page(request: Request) -> HTMLResponse:
    """Plain ``def``: a large tally runs in the server's thread pool, not on its event loop. Once made, a
    tally is shown at once; when the data has changed since, the page says so and a thread tallies again."""
    visitor: Visitor = request.state.visitor
    engine = request.app.state.engine
    choice = tallies.read_choice(_params(request))
    shown = tallies.view(engine, visitor, choice)
    figures = shown.value
    result = figures.tally
    policy = load_policy(choice.policy)
    members = tallies.chosen_members(result, choice)
    units = tallies.unit_lines(result, choice)
    rates = sorted((u for u in result.units if u.report_rate is not None), key=lambda u: u.report_rate or 0)
    months = range(choice.period.start.month, choice.period.end.month + 1)
    by_month = figures.by_month
    return page(
        request,
        "tally.html",
        title=f"统计：{choice.period.label}",
        choice=choice,
        policies=bundled(),
        policy=policy,
        scope=subtree(engine, visitor.user.office_id),
        as_of=result.as_of,
        made_at=shown.made_at,
        stale=shown.stale,
        summary=figures.summary,
        side=figures.side,
        members=[tallies.member_line(m) for m in members[: tallies.SHOWN]],
        members_total=len(members),
        units=units[: tallies.SHOWN],
        units_total=len(units),
        communities=tallies.community_lines(result, policy),
        member_sorts=tallies.MEMBER_SORTS,
        unit_sorts=tallies.UNIT_SORTS,
        query=_params(request),
        link=tallies.linker(_params(request)),
        rate_chart=charts.hbars(
            f"各单位报到率（最低的 {min(len(rates), 30)} 个）" if len(rates) > 30 else "各单位报到率",
            [charts.Bar(u.name, u.report_rate or 0, f"{(u.report_rate or 0):.0%}") for u in rates[:30]],
            1.0,
        ),
        stars_chart=charts.columns(
            "星数分布（人）",
            [charts.Bar(f"{n}星", count, str(count)) for n, count in figures.stars.items()],
        )
        if figures.stars is not None
        else None,
        month_chart=charts.columns(
            "各月活动（次）",
            [charts.Bar(f"{m}月", by_month.get(m, 0), str(by_month.get(m, 0))) for m in months],
        ),
    )


@router.get("/tally/newer", response_class=HTMLResponse)
def tally_newer(request: Request, shown: str = "") -> Response:
    """Asked every few seconds by a page showing figures older than the data: 204 until a newer tally is
    ready (asking starts one if none is being made), then the line that offers it (which asks no more)."""
    visitor: Visitor = request.state.visitor
    engine = request.app.state.engine
    asked = {k: v for k, v in _params(request).items() if k != "shown"}
    choice = tallies.read_choice(asked)
    try:
        made_at = dt.datetime.fromisoformat(shown)
    except ValueError:
        raise NotFound() from None
    now = tallies.view(engine, visitor, choice, grace=0).made_at
    if now <= made_at:
        return Response(status_code=204)
    return page(request, "tally_newer.html", newer=now, link=tallies.linker(asked))


@router.get("/tally/export")
def tally_export(request: Request, table: str = "members") -> Response:
    """The table as shown (filtered and sorted, every row) as XLSX."""
    visitor: Visitor = request.state.visitor
    engine = request.app.state.engine
    if table not in TABLES:
        raise NotFound()
    choice = tallies.read_choice(_params(request))
    result = tallies.view(engine, visitor, choice, wait=True).value.tally  # the data as it is now
    title = f"{visitor.user.office_name} {choice.period.label} {TABLES[table]}"
    title += f"（{choice.policy}，统计日 {result.as_of}）"
    sheet = export_sheet(result, choice, table, title)
    spool = request.app.state.settings.data_dir / "tmp"
    spool.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=spool) as tmp:
        out = write_sheets([sheet], Path(tmp) / "tally.xlsx")
        data = out.read_bytes()
    name = f"统计-{choice.period.label}-{TABLES[table]}.xlsx"
    log(engine, visitor.user.username, visitor.user.office_id, "导出统计", name, {"query": _params(request)})
    return attachment(data, name)


@router.get("/tally/members/{person_id}", response_class=HTMLResponse)
def tally_member(request: Request, person_id: int) -> HTMLResponse:
    """One member: their figures and shortfalls, the forms they are counted from with the corrections made
    to them, and their activities in the period. Another office's member answers as one that is not there."""
    visitor: Visitor = request.state.visitor
    engine = request.app.state.engine
    choice = tallies.read_choice(_params(request))
    found = detail.person(engine, person_id)
    if found is None or found.kind != "member":
        raise NotFound()
    offices = tallies.offices_of(engine, visitor, choice.office)
    if offices is not None:
        with engine.connect() as conn:
            if not belongs(conn, person_id, offices):
                raise NotFound()
    result = tallies.run(engine, visitor, choice, unit=found.unit)
    member = tallies.find_member(result, person_id)
    policy = load_policy(choice.policy)
    with engine.connect() as conn:
        found_acts = queries.activity_rows(conn, choice.period, policy.member.points, [person_id])
    acts = found_acts.get(person_id, [])
    forms = []
    for record_id, what in detail.sources(engine, person_id).items():
        row = record(engine, record_id)
        title = "活动台账" if row.form_key == LEDGER_FORM else get_form(row.form_key).spec.title
        forms.append((row, title, what, corrections_of(engine, record_id)))
    return page(
        request,
        "tally_member.html",
        title=f"{member.name}（{member.unit}）",
        member=tallies.member_line(member),
        full=member,
        choice=choice,
        link=tallies.linker({k: v for k, v in _params(request).items() if k != "unit"}),
        activities=acts,
        forms=forms,
    )
