"""Benchmark: a full-year tally of 100,000 members × 12 activities (issue 14: ≤ 1.5 s, peak ≤ 400 MB), and of
1,000,000 members on PostgreSQL (≤ 15 s), against a Python loop over every activity row in the same run.

The database is filled as intake would leave it: one returned 报到证 (zz-b1) and two half-year 积分评星
登记表 (zz-d1, six rows each) per member, written in bulk; or, with --facts (for a million members, whose
records would take an hour to derive), with the tally's facts directly. Then, each timed on its own:
  derive    tally.sync: facts from every record, once (intake's later returns derive only themselves);
  cold      the first tally after that: sums each member's activities once (tally.sums) and judges them;
  tally     a tally as the workbench runs it on every view, in a fresh process, with its own peak memory —
            the figure the issue sets;
  baseline  the same per-member figures from a Python loop over every activity row (what SQL and the kept
            sums replace), checked equal to the tally's.
Run: `make bench-tally` (python -m bench.tally); `--members 1000000 --facts --db postgresql://…` for the
PostgreSQL figure.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import Connection, Engine, insert, select, text

from baodao.store.db import connect
from baodao.store.schema import files, records
from baodao.tally.categories import NOT_SERVICE, PARTY_LIFE
from baodao.tally.compute import tally
from baodao.tally.period import Period
from baodao.tally.policy import load_policy
from baodao.tally.schema import (
    ensure_tables,
    tally_activities,
    tally_member_sums,
    tally_people,
    tally_registrations,
)
from baodao.tally.sums import band_of
from baodao.tally.sync import sync

UNITS = 400
COMMUNITIES = 120
CHUNK = 20_000
START, END = dt.date(2025, 1, 1), dt.date(2025, 12, 31)
POLICY = "zhengzhou-2019"
FRESH_TALLY = """
import json, resource, time, datetime as dt
from baodao.store.db import connect
from baodao.tally.compute import tally
from baodao.tally.period import Period
from baodao.tally.policy import load_policy
engine, policy = connect(DATABASE), load_policy(POLICY)
start, cpu = time.perf_counter(), time.process_time()
result = tally(engine, policy, Period(2025), dt.date(2025, 12, 31))
seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "cpu": cpu, "members": len(result.members), "peak_mb": peak}))
"""
Figures = tuple[int, ...]  # per member: count, points, adjusted, party life, services (first, second half)


def _rows(i: int, per_member: int) -> Iterator[tuple[int, dt.date, int]]:
    """Member i's activities: (half, day, points as written)."""
    half = per_member // 2
    for h, month in ((1, 1), (2, 7)):
        for k in range(half):
            yield h, dt.date(2025, month + k % 6, 1 + k), 4 + (i + k) % 4


def fill_records(engine: Engine, members: int, per_member: int) -> None:
    """Bulk-write the records intake would have stored for ``members`` members."""
    now = dt.datetime(2025, 12, 31)
    with engine.begin() as conn:
        conn.execute(
            insert(files),
            [{"sha256": "0" * 64, "size": 1, "first_path": "bench", "first_seen_at": now, "status": "read"}],
        )
        batch: list[dict[str, object]] = []
        for i in range(members):
            unit, name = f"单位{i % UNITS:03d}", f"党员{i:06d}"
            base = {"file_id": 1, "issues": [], "status": "current", "created_at": now}
            card = {
                "name": name,
                "employer_and_post": f"{unit} 科员",
                "community": f"社区{i % COMMUNITIES:03d}",
                "number": f"B-{i}",
                "unit_sealed_on": "2025-03-01",
            }
            batch.append({**base, "form_key": "zz-b1", "form_id": f"B-{i}", "fields": card})
            by_half: dict[int, list[dict[str, object]]] = defaultdict(list)
            for h, on, points in _rows(i, per_member):
                by_half[h].append({"served_on": on.isoformat(), "content": "志愿服务", "points": points})
            for h, services in by_half.items():
                sheet = {"name": name, "employer_and_post": unit, "services": services}
                batch.append({**base, "form_key": "zz-d1", "form_id": f"D{h}-{i}", "fields": sheet})
            if len(batch) >= CHUNK:
                conn.execute(insert(records), batch)
                batch = []
        if batch:
            conn.execute(insert(records), batch)


def fill_facts(engine: Engine, members: int, per_member: int) -> None:
    """Bulk-write the tally's facts for ``members`` members, as deriving their records would."""
    ensure_tables(engine)
    with engine.begin() as conn:
        people: list[dict[str, object]] = []
        regs: list[dict[str, object]] = []
        acts: list[dict[str, object]] = []
        for i in range(members):
            unit = f"单位{i % UNITS:03d}"
            people.append(
                {
                    "id": i + 1,
                    "kind": "member",
                    "person_key": f"{unit}|党员{i:07d}",
                    "name": f"党员{i:07d}",
                    "unit": unit,
                    "community": f"社区{i % COMMUNITIES:03d}",
                    "member_no": f"B-{i}",
                    "on_roster": 0,
                }
            )
            community = f"社区{i % COMMUNITIES:03d}"
            regs.append(
                {
                    "person_id": i + 1,
                    "community": community,
                    "on_date": dt.date(2025, 3, 1),
                    "form_key": "zz-b1",
                    "record_id": 1,
                }
            )
            for n, (_, on, points) in enumerate(_rows(i, per_member)):
                acts.append(
                    {
                        "person_id": i + 1,
                        "on_date": on,
                        "category": "service",
                        "points": points,
                        "content": "志愿服务",
                        "record_id": 1,
                        "row_no": n,
                    }
                )
            if len(acts) >= CHUNK * 10:
                _flush(conn, people, regs, acts)
                people, regs, acts = [], [], []
        _flush(conn, people, regs, acts)
        if engine.dialect.name == "postgresql":
            conn.execute(text("SELECT setval('tally_people_id_seq', (SELECT max(id) FROM tally_people))"))
            conn.execute(text("ANALYZE"))


def _flush(conn: Connection, *rows_of: list[dict[str, object]]) -> None:
    for table, rows in zip((tally_people, tally_registrations, tally_activities), rows_of, strict=True):
        if rows:
            conn.execute(insert(table), rows)


def python_loop(engine: Engine) -> dict[int, Figures]:
    """The baseline: every activity row into Python, then counted and summed per member and half year —
    the figures the tally reads from its kept sums."""
    a = tally_activities.c
    found: dict[int, list[int]] = defaultdict(lambda: [0] * 10)
    with engine.connect() as conn:
        rows = conn.execute(
            select(a.person_id, a.on_date, a.category, a.points).where(a.on_date.between(START, END))
        )
        for pid, on, category, pts in rows:
            h = 0 if on.month <= 6 else 1
            earned = 5 if pts is None else pts if category == "extra" else min(8, max(2, pts))
            f = found[pid]
            f[h] += 1
            f[2 + h] += earned
            f[4 + h] += pts is not None and earned != pts and category != "extra"
            f[6 + h] += category in PARTY_LIFE
            f[8 + h] += category not in NOT_SERVICE
    return {pid: tuple(f) for pid, f in found.items()}


def kept_sums(engine: Engine) -> dict[int, Figures]:
    """The per-member figures the tally keeps (tally.sums), for members with activities."""
    s = tally_member_sums.c
    band = band_of(load_policy(POLICY).member.points)
    columns = [s[f"{n}{h}"] for n in "npals" for h in (1, 2)]
    with engine.connect() as conn:
        rows = conn.execute(select(s.person_id, *columns).where(s.year == 2025, s.band == band))
        return {pid: tuple(figures) for pid, *figures in rows if figures[0] + figures[1]}


def tally_in_fresh_process(db: str) -> dict[str, float]:
    """Run one tally in a new interpreter and report its time and its own peak memory."""
    code = FRESH_TALLY.replace("DATABASE", repr(db)).replace("POLICY", repr(POLICY))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return json.loads(out)  # type: ignore[no-any-return]


def _times(wall: float, cpu: float) -> str:
    return f"{wall:6.2f} s ({cpu:.2f} s CPU)"


def _since(start: float) -> float:
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--activities", type=int, default=12, help="per member per year (even)")
    parser.add_argument("--db", help="a PostgreSQL URL (an empty database); default: a temporary SQLite file")
    parser.add_argument("--facts", action="store_true", help="fill the tally's facts, not records to derive")
    args = parser.parse_args()
    target = (15.0, None) if args.members > 100_000 else (1.5, 400.0)
    with tempfile.TemporaryDirectory(prefix="baodao-bench-tally-") as work:
        db = args.db or str(Path(work) / "bench.sqlite3")
        engine = connect(db)
        print(f"database  {engine.dialect.name}")
        start = time.perf_counter()
        if args.facts:
            fill_facts(engine, args.members, args.activities)
            print(f"fill      {args.members:,} members' facts directly:  {_since(start):6.1f} s")
        else:
            fill_records(engine, args.members, args.activities)
            print(f"fill      {args.members:,} members, {args.members * 3:,} records: {_since(start):6.1f} s")
            start = time.perf_counter()
            derived = sync(engine)
            print(f"derive    {derived.derived:,} records → facts (once per record):  {_since(start):6.1f} s")
        policy = load_policy(POLICY)
        start, cpu = time.perf_counter(), time.process_time()
        tally(engine, policy, Period(2025), dt.date(2025, 12, 31))
        cold, cold_cpu = _since(start), time.process_time() - cpu
        fresh = tally_in_fresh_process(db)
        start, cpu = time.perf_counter(), time.process_time()
        in_python = python_loop(engine)
        loop, loop_cpu = _since(start), time.process_time() - cpu
        assert in_python == kept_sums(engine), "the baseline must compute the same figures"
        activities = args.members * args.activities
        limit = f"target ≤ {target[0]:g} s" + (f", ≤ {target[1]:g} MB" if target[1] else "")
        # Wall time and this process's CPU time: on a shared machine the first grows with the others' load.
        print(
            f"cold      first tally after the facts change (sums every member once): {_times(cold, cold_cpu)}"
        )
        print(
            f"tally     {fresh['members']:,.0f} members × {args.activities} activities ({activities:,}): "
            f"{_times(fresh['seconds'], fresh['cpu'])}   peak memory {fresh['peak_mb']:.0f} MB   ({limit})"
        )
        print(
            f"baseline  Python loop over {activities:,} rows (member figures only): {_times(loop, loop_cpu)}"
        )
        print(
            f"ratio     baseline / tally = {loop / fresh['seconds']:.1f}× wall,"
            f" {loop_cpu / fresh['cpu']:.1f}× CPU;"
            f"   baseline / cold = {loop_cpu / cold_cpu:.1f}× CPU   (same figures)"
        )
        whole = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"this process peak {whole:.0f} MB (fill, derive, baseline)")


if __name__ == "__main__":
    main()
