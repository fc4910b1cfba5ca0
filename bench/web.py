"""Benchmark: 20 clerks at once against one `baodao serve`, on SQLite and on PostgreSQL, with 100,000 members
in the database (issue 16: p95 ≤ 300 ms for pages, the 统计 page ≤ 1 s, no errors, no lost uploads).

The database is filled directly through the store's and the tally's APIs and tables: a street (街道党工委)
with 20 社区 offices under it, each with 5,000 members on its roster (loaded as `roster load --office`
would leave them) who reported in March and served twelve times in 2025. One clerk works at the street,
the others each at a 社区. For 60 seconds every clerk, on its own connection over loopback, signs in and
then, looking at each page for 1–3 s before the next click, browses the home page, the 统计 page of its
office (the street sees its 20 社区 side by side, over all 100,000 members), a member's drill-down, the
register, the review queue, uploads a returned 报到证 (one file, read by the server's worker) and corrects
the doubtful value it carries. Each request's time is recorded by kind; at the end the uploads are checked
against the database: every file the server accepted must be stored and linked to the clerk's office.

Before that run, the server starts once on the new database and every clerk opens its 统计 page, all at once:
the first tallies it ever makes (reported apart). The server is then restarted, as it would be overnight;
it makes those views again as it starts, and the timed run begins once its log says it has. “tally 1st”
in the timed run is then each clerk's first view after that restart.

Run: `make bench-web` (python -m bench.web); `--db sqlite` or `--db postgresql` for one of them;
`--db postgresql://…` for a server of your own (an empty database).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import hashlib
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlalchemy import Engine, func, insert, select, text

from baodao.docgen.render import render_docx
from baodao.form_templates.catalog import get_form
from baodao.form_templates.samples import sample_record
from baodao.store.accounts import add_user
from baodao.store.db import connect
from baodao.store.offices import DEFAULT_OFFICE, add_office
from baodao.store.schema import files, jobs, office_files
from baodao.tally.compute import tally
from baodao.tally.period import Period
from baodao.tally.policy import load_policy
from baodao.tally.schema import (
    ensure_tables,
    tally_activities,
    tally_people,
    tally_registrations,
    tally_roster_rows,
)

ROOT = Path(__file__).resolve().parents[1]
COMMUNITIES = 20
UNITS_PER_COMMUNITY = 20
PASSWORD = "bench-clerk-pass-1"
TALLY = "/tally?policy=zhengzhou-2019&year=2025&half=1&as_of=2025-06-30"
PAGE_GOAL, TALLY_GOAL = 0.300, 1.0
WARMED = "预先统计完成"  # the server's log line once it has made the views asked for before it started
KINDS = (
    "login",
    "home",
    "tally 1st",
    "tally",
    "tally-all 1st",
    "tally-all",
    "member",
    "register",
    "review",
    "job",
    "upload",
)
THINK = (1.0, 3.0)  # seconds a clerk looks at a page before the next click
CHUNK = 50_000
# What a clerk does, and how often (a turn of the list per clerk, in a shuffled order).
ACTIONS = ["home", "tally", "member", "register", "review", "upload", "correct", "home", "register", "job"]


@dataclass
class Figures:
    """Every request's time by kind, the failures with what was asked, the uploads the server accepted."""

    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    uploads: list[tuple[int, str]] = field(default_factory=list)  # (office, sha256)
    ages: list[float] = field(default_factory=list)  # seconds the figures a 统计 page showed were old
    stale: int = 0  # 统计 pages shown from a kept tally while a newer one was being made
    jobs: list[int] = field(default_factory=list)


# ---------------------------------------------------------------- the database


def fill(engine: Engine, members: int) -> list[int]:
    """Offices, members (roster rows, registrations, 12 activities each) and accounts; the clerks' offices."""
    ensure_tables(engine)
    street = add_office(engine, "城东街道党工委", "街道党工委", DEFAULT_OFFICE)
    communities = [
        add_office(engine, f"第{n + 1:02d}社区党委", "社区党组织", street) for n in range(COMMUNITIES)
    ]
    with engine.begin() as conn:
        people: list[dict[str, object]] = []
        rows: list[dict[str, object]] = []
        regs: list[dict[str, object]] = []
        acts: list[dict[str, object]] = []
        for i in range(members):
            c = i % COMMUNITIES
            unit = f"单位{c:02d}-{(i // COMMUNITIES) % UNITS_PER_COMMUNITY:02d}"
            name, community = f"党员{i:07d}", f"第{c + 1:02d}社区"
            people.append(
                {
                    "id": i + 1,
                    "kind": "member",
                    "person_key": f"{unit}|{name}",
                    "name": name,
                    "unit": unit,
                    "community": community,
                    "member_no": f"B-{i}",
                    "on_roster": 1,
                }
            )
            path = f"/bench/名册{c + 1:02d}.xlsx"
            rows.append(
                {
                    "person_id": i + 1,
                    "file_name": path[7:],
                    "path": path,
                    "row_no": i,
                    "office_id": communities[c],
                }
            )
            regs.append(
                {
                    "person_id": i + 1,
                    "community": community,
                    "on_date": dt.date(2025, 3, 1),
                    "form_key": "zz-b1",
                    "record_id": 0,
                }
            )
            for k in range(12):
                on = dt.date(2025, 1 + k % 6 + (6 if k >= 6 else 0), 1 + k)
                acts.append(
                    {
                        "person_id": i + 1,
                        "on_date": on,
                        "category": "service",
                        "points": 4 + (i + k) % 4,
                        "content": "志愿服务",
                        "record_id": 0,
                        "row_no": k,
                    }
                )
            if len(acts) >= CHUNK:
                _flush(conn, people, rows, regs, acts)
                people, rows, regs, acts = [], [], [], []
        _flush(conn, people, rows, regs, acts)
        if engine.dialect.name == "postgresql":
            conn.execute(text("SELECT setval('tally_people_id_seq', (SELECT max(id) FROM tally_people))"))
            conn.execute(text("ANALYZE"))
    offices = [street, *communities[: COMMUNITIES - 1]]
    for n, office in enumerate(offices):
        add_user(engine, f"clerk{n:02d}", PASSWORD, "clerk", office)
    return offices


def _flush(conn: object, *batches: list[dict[str, object]]) -> None:
    tables = (tally_people, tally_roster_rows, tally_registrations, tally_activities)
    for table, batch in zip(tables, batches, strict=True):
        if batch:
            conn.execute(insert(table), batch)  # type: ignore[attr-defined]


def returned_forms(folder: Path, clerks: int, per_clerk: int, members: int) -> list[list[Path]]:
    """Per clerk, 报到证 of its own members as they come back, each with an 年龄 the reader doubts."""
    form = get_form("zz-b1")
    made: list[list[Path]] = []
    for n in range(clerks):
        mine = []
        for k in range(per_clerk):
            c = (n - 1) % COMMUNITIES if n else k % COMMUNITIES  # the street's clerk: any 社区's
            i = c + COMMUNITIES * (n * per_clerk + k) % members
            record = sample_record(form.spec)
            unit = f"单位{c:02d}-{(i // COMMUNITIES) % UNITS_PER_COMMUNITY:02d}"
            record |= {
                "name": f"党员{i:07d}",
                "employer_and_post": f"{unit} 科员",
                "community": f"第{c + 1:02d}社区",
            }
            record["age"] = "三十八岁左右"
            out = folder / f"c{n:02d}-{k:03d}.docx"
            mine.append(render_docx(form.docx, form.spec, record, out, form_id=f"BENCH-{n:02d}-{k:03d}"))
        made.append(mine)
    return made


# ---------------------------------------------------------------- the server


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def server(db: str, data: Path, warmed: bool = False) -> Iterator[str]:
    """One `baodao serve` process (with its one job worker) on loopback; its URL. ``warmed``: once it has
    made again the 统计 views asked for before it started (it says so in its log), as a server restarted
    overnight has by the time the clerks come in."""
    port = _free_port()
    command = [
        sys.executable,
        "-m",
        "baodao.cli",
        "serve",
        "--db",
        db,
        "--data",
        str(data),
        "--port",
        str(port),
    ]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    log = open(data.parent / "server.log", "w")  # noqa: SIM115 — closed below, after the process
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{url}/login", timeout=5) as answer:
                    if answer.status == 200:
                        break
            except OSError as exc:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"baodao serve did not start: {(data.parent / 'server.log').read_text()}"
                    ) from exc
                time.sleep(0.3)
        while warmed and WARMED not in (said := (data.parent / "server.log").read_text()):
            if process.poll() is not None or time.monotonic() > deadline + 600:
                raise RuntimeError(f"baodao serve did not make the 统计 views again: {said}")
            time.sleep(0.3)
        if warmed:
            print("  " + next(line for line in said.splitlines() if WARMED in line))
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, 9)
            process.wait(timeout=30)
        log.close()


# ---------------------------------------------------------------- the clerks

_CSRF = re.compile(r'name="csrf" value="([^"]+)"')
_HEADER = re.compile(r'"X-CSRF-Token": "([^"]+)"')
_MEMBER = re.compile(r'href="(/tally/members/\d+\?[^"]*)"')
_MADE = re.compile(r"数据截至 (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)")
_DOUBT = re.compile(r'action="/review/(\d+)".*?name="field" value="([^"]+)"', re.S)


class Clerk:
    def __init__(self, n: int, url: str, office: int, uploads: list[Path], figures: Figures) -> None:
        self.n, self.office, self.uploads, self.figures = n, office, list(uploads), figures
        self.client = httpx.AsyncClient(base_url=url, timeout=60, follow_redirects=False)
        self.csrf = ""
        self.members: list[str] = []
        self.job: int | None = None

    async def timed(
        self, kind: str, method: str, url: str, ok: tuple[int, ...] = (200,), **kw: object
    ) -> httpx.Response | None:
        start = time.perf_counter()
        try:
            answer = await self.client.request(method, url, **kw)  # type: ignore[arg-type]
        except httpx.HTTPError as exc:
            self.figures.errors.append(f"{kind} {url}: {type(exc).__name__}")
            return None
        self.figures.times[kind].append(time.perf_counter() - start)
        if answer.status_code not in ok:
            said = re.search(r"<main>(.*?)</main>", answer.text, re.S)
            words = re.sub(r"<[^>]+>|\s+", " ", said.group(1) if said else answer.text).strip()[:160]
            self.figures.errors.append(f"{kind} {url}: HTTP {answer.status_code} {words}")
            return None
        return answer

    async def sign_in(self) -> bool:
        page = await self.timed("login", "GET", "/login")
        token = _CSRF.search(page.text) if page is not None else None
        if token is None:
            return False
        data = {"username": f"clerk{self.n:02d}", "password": PASSWORD, "csrf": token.group(1)}
        if await self.timed("login", "POST", "/login", (303,), data=data) is None:
            return False
        home = await self.timed("home", "GET", "/")
        found = _HEADER.search(home.text) if home is not None else None
        self.csrf = found.group(1) if found else ""
        return bool(self.csrf)

    async def act(self, action: str) -> None:
        if action == "home":
            await self.timed("home", "GET", "/")
        elif action == "tally":  # the street's is over all members, a 社区's over its own
            kind = ("tally" if self.n else "tally-all") + ("" if self.members else " 1st")
            page = await self.timed(kind, "GET", TALLY)
            if page is not None:
                self.members = _MEMBER.findall(page.text)[:20] or ["/"]
                made = _MADE.search(page.text)
                if made is not None:
                    age = dt.datetime.now() - dt.datetime.fromisoformat(made.group(1))
                    self.figures.ages.append(age.total_seconds())
                self.figures.stale += 'id="tally-stale"' in page.text
        elif action == "member" and self.members and self.members[0] != "/":
            await self.timed("member", "GET", random.choice(self.members).replace("&amp;", "&"))
        elif action == "register":
            await self.timed("register", "GET", "/register")
        elif action == "review":
            await self.timed("review", "GET", "/review")
        elif action == "upload" and self.uploads:
            path = self.uploads.pop(0)
            body = path.read_bytes()
            handle = {"files": (path.name, body, "application/octet-stream")}
            answer = await self.timed(
                "upload", "POST", "/returns", (303,), files=handle, data={"csrf": self.csrf}
            )
            if answer is not None:
                self.figures.uploads.append((self.office, hashlib.sha256(body).hexdigest()))
                self.job = int(answer.headers["location"].rsplit("/", 1)[1])
                self.figures.jobs.append(self.job)
        elif action == "job" and self.job is not None:
            await self.timed("job", "GET", f"/jobs/{self.job}")
        elif action == "correct":
            page = await self.timed("review", "GET", "/review")
            doubt = _DOUBT.search(page.text) if page is not None else None
            if doubt is not None:
                data = {"field": doubt.group(2), "value": "38", "csrf": self.csrf}
                await self.timed("correct", "POST", f"/review/{doubt.group(1)}", (303,), data=data)

    async def work(self, until: float, arrive: float) -> None:
        try:
            await asyncio.sleep(arrive)  # clerks come in over the first seconds, not all in one instant
            if not await self.sign_in():
                self.figures.errors.append(f"clerk{self.n:02d}: could not sign in")
                return
            while time.monotonic() < until:
                for action in random.sample(ACTIONS, len(ACTIONS)):
                    if time.monotonic() >= until:
                        break
                    await self.act(action)
                    await asyncio.sleep(random.uniform(*THINK))  # a clerk reads before the next click
        finally:
            await self.client.aclose()


async def first_views(url: str, offices: list[int]) -> Figures:
    """Every clerk signs in and opens its 统计 page, all at once: the first tallies the workbench makes."""
    figures = Figures()
    clerks = [Clerk(n, url, office, [], figures) for n, office in enumerate(offices)]

    async def first(clerk: Clerk) -> None:
        try:
            if await clerk.sign_in():
                await clerk.act("tally")
        finally:
            await clerk.client.aclose()

    await asyncio.wait_for(asyncio.gather(*(first(c) for c in clerks)), timeout=600)
    return figures


async def run_clerks(url: str, offices: list[int], forms: list[list[Path]], seconds: float) -> Figures:
    figures = Figures()
    until = time.monotonic() + seconds
    clerks = [Clerk(n, url, office, forms[n], figures) for n, office in enumerate(offices)]
    # Bounded in time as in count: a clerk still waiting long after the end is cut off.
    arrivals = [n * min(10.0, seconds / 6) / len(clerks) for n in range(len(clerks))]
    work = (c.work(until, arrive) for c, arrive in zip(clerks, arrivals, strict=True))
    await asyncio.wait_for(asyncio.gather(*work), timeout=seconds + 180)
    return figures


# ---------------------------------------------------------------- checking and printing


def lost_uploads(engine: Engine, figures: Figures, wait: float = 300) -> tuple[int, int]:
    """(jobs not done, uploads not stored for their office) once the worker has had time to finish."""
    deadline = time.monotonic() + wait
    while True:
        with engine.connect() as conn:
            states: dict[str, int] = dict(
                conn.execute(
                    select(jobs.c.state, func.count())
                    .where(jobs.c.id.in_(figures.jobs))
                    .group_by(jobs.c.state)
                ).all()
            )
        pending = states.get("queued", 0) + states.get("running", 0)
        if not pending or time.monotonic() > deadline:
            break
        time.sleep(1)
    not_done = len(figures.jobs) - states.get("done", 0)
    lost = 0
    with engine.connect() as conn:
        for office, sha in figures.uploads:
            query = (
                select(files.c.id)
                .join(office_files, office_files.c.file_id == files.c.id)
                .where(files.c.sha256 == sha, office_files.c.office_id == office)
            )
            lost += conn.execute(query).first() is None
    return not_done, lost


def report_tallies(figures: Figures) -> None:
    for kind in ("tally 1st", "tally-all 1st"):
        times = sorted(figures.times.get(kind, []))
        if times:
            said = f"  {kind:<14}{len(times):>4} views, p50 {statistics.median(times) * 1000:.0f} ms,"
            print(f"{said} max {times[-1] * 1000:.0f} ms")
    if figures.errors:
        print("  errors: " + "; ".join(figures.errors[:5]))


def report(name: str, figures: Figures, not_done: int, lost: int, seconds: float) -> None:
    total = sum(len(t) for t in figures.times.values())
    print(f"\n{name}: {total:,} requests in {seconds:.0f} s by {COMMUNITIES} clerks")
    print(f"{'page':<10}{'n':>6}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}  goal")
    for kind in [*KINDS, "correct"]:
        times = sorted(figures.times.get(kind, []))
        if not times:
            continue
        p50 = statistics.median(times) * 1000
        p95 = times[min(len(times) - 1, int(len(times) * 0.95))] * 1000
        goal = TALLY_GOAL if kind.startswith("tally") else PAGE_GOAL
        met = "met" if p95 <= goal * 1000 else "NOT met"
        most = times[-1] * 1000
        line = f"{kind:<10}{len(times):>6}{p50:>9.0f}{p95:>9.0f}{most:>9.0f}"
        print(f"{line}  p95 ≤ {goal * 1000:.0f} ms: {met}")
    if figures.ages:
        ages = sorted(figures.ages)
        tallies = len(ages)
        p95 = ages[min(tallies - 1, int(tallies * 0.95))]
        print(
            f"统计 pages: {figures.stale} of {tallies} shown from a kept tally while a newer one was made;"
            f" the figures shown were {statistics.median(ages):.0f} s old (p50), {p95:.0f} s (p95)"
        )
    print(f"errors {len(figures.errors)}" + (": " + "; ".join(figures.errors[:5]) if figures.errors else ""))
    print(f"uploads {len(figures.uploads)} accepted, {not_done} jobs not done, {lost} lost")


def bench(name: str, db: str, members: int, seconds: float, work: Path) -> None:
    engine = connect(db)
    start = time.perf_counter()
    offices = fill(engine, members)
    print(f"{name}: filled {members:,} members × 12 activities in {time.perf_counter() - start:.1f} s")
    forms = returned_forms(work / f"forms-{name}", len(offices), 40, members)
    # The first tally after the facts are filled sums every member's activities once (bench/tally.py's
    # “cold” figure); intake's later returns only make their own members' sums again.
    start = time.perf_counter()
    tally(engine, load_policy("zhengzhou-2019"), Period(2025, 1), dt.date(2025, 6, 30))
    print(f"{name}: first tally (sums kept) {time.perf_counter() - start:.1f} s")
    data = work / f"data-{name}"
    with server(db, data) as url:
        first = asyncio.run(first_views(url, offices))
    print(f"{name}: the first 统计 views ever, all {len(offices)} offices at once:")
    report_tallies(first)
    # The next day: the server restarts, makes those views again, and the clerks come in.
    with server(db, data, warmed=True) as url:
        figures = asyncio.run(run_clerks(url, offices, forms, seconds))
        not_done, lost = lost_uploads(engine, figures)
    report(name, figures, not_done, lost, seconds)
    engine.dispose()


@contextmanager
def postgres(work: Path) -> Iterator[str]:
    """A throwaway PostgreSQL cluster on loopback, started as the tests start theirs (tests/postgres.py)."""
    from tests.postgres import postgres_url

    maker = getattr(postgres_url, "__wrapped__", postgres_url)
    made = maker()
    url = next(made)
    try:
        yield url
    finally:
        with suppress(StopIteration):
            next(made)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--db", default="both", help="sqlite, postgresql, both, or a postgresql:// URL")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="baodao-bench-web-") as folder:
        work = Path(folder)
        if args.db in ("sqlite", "both"):
            bench("SQLite", str(work / "bench.sqlite3"), args.members, args.seconds, work)
        if args.db.startswith("postgresql://"):
            bench("PostgreSQL", args.db, args.members, args.seconds, work)
        elif args.db in ("postgresql", "both"):
            with postgres(work) as url:
                bench("PostgreSQL", url, args.members, args.seconds, work)


if __name__ == "__main__":
    main()
