"""Benchmark: a tally of 100,000 members × 12 activities (issue 5: within 5 s, memory ≤ 500 MB).

The database is filled as intake would leave it: one returned 报到证 (zz-b1) and two half-year 积分评星
登记表 (zz-d1, six rows each) per member, written in bulk. Then, each timed on its own:
  derive   tally.sync: facts from every record, once (intake's later returns derive only themselves);
  tally    tally.compute.tally: SQL aggregates plus one Python object per member — the figure the issue sets;
  baseline the same member figures from a Python loop over every activity row (what SQL replaces).
Peak memory is the tally's own, measured in a fresh process. Run: `make bench-tally` (python -m bench.tally).
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
from pathlib import Path

from sqlalchemy import Engine, insert, select

from baodao.store.db import connect
from baodao.store.schema import files, records
from baodao.tally.categories import NOT_SERVICE, PARTY_LIFE
from baodao.tally.compute import tally
from baodao.tally.period import Period
from baodao.tally.policy import load_policy
from baodao.tally.queries import MemberCounts, member_activities
from baodao.tally.schema import tally_activities
from baodao.tally.sync import sync

UNITS = 400
COMMUNITIES = 120
CHUNK = 5000
START, END = dt.date(2025, 1, 1), dt.date(2025, 12, 31)
FRESH_TALLY = """
import json, resource, time, datetime as dt
from baodao.store.db import connect
from baodao.tally.compute import tally
from baodao.tally.period import Period
from baodao.tally.policy import load_policy
engine, policy = connect(DATABASE), load_policy("zhengzhou-2019")
start = time.perf_counter()
result = tally(engine, policy, Period(2025), dt.date(2025, 12, 31))
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "members": len(result.members), "peak_mb": peak}))
"""


def fill(engine: Engine, members: int, per_member: int) -> None:
    """Bulk-write the records intake would have stored for ``members`` members."""
    now = dt.datetime(2025, 12, 31)
    half = per_member // 2
    with engine.begin() as conn:
        conn.execute(
            insert(files),
            [{"sha256": "0" * 64, "size": 1, "first_path": "bench", "first_seen_at": now, "status": "read"}],
        )
        batch: list[dict[str, object]] = []
        for i in range(members):
            unit = f"单位{i % UNITS:03d}"
            name = f"党员{i:06d}"
            base = {"file_id": 1, "issues": [], "status": "current", "created_at": now}
            batch.append(
                {
                    **base,
                    "form_key": "zz-b1",
                    "form_id": f"B-{i}",
                    "fields": {
                        "name": name,
                        "employer_and_post": f"{unit} 科员",
                        "community": f"社区{i % COMMUNITIES:03d}",
                        "number": f"B-{i}",
                        "unit_sealed_on": "2025-03-01",
                    },
                }
            )
            for h, month in ((1, 1), (2, 7)):
                rows = [
                    {
                        "served_on": f"2025-{month + k % 6:02d}-{1 + k:02d}",
                        "content": "志愿服务",
                        "points": 4 + (i + k) % 4,
                    }
                    for k in range(half)
                ]
                batch.append(
                    {
                        **base,
                        "form_key": "zz-d1",
                        "form_id": f"D{h}-{i}",
                        "fields": {"name": name, "employer_and_post": unit, "services": rows},
                    }
                )
            if len(batch) >= CHUNK:
                conn.execute(insert(records), batch)
                batch = []
        if batch:
            conn.execute(insert(records), batch)


def python_loop(engine: Engine) -> dict[int, MemberCounts]:
    """The baseline: every activity row into Python, then counted and summed per member and half year —
    the same figures `queries.member_activities` has the database compute."""
    a = tally_activities.c
    count: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    points: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    adjusted: dict[int, int] = defaultdict(int)
    party: dict[int, int] = defaultdict(int)
    served: dict[int, int] = defaultdict(int)
    with engine.connect() as conn:
        rows = conn.execute(
            select(a.person_id, a.on_date, a.category, a.points).where(a.on_date.between(START, END))
        )
        for pid, on, category, pts in rows:
            half = 1 if on.month <= 6 else 2
            earned = 5 if pts is None else pts if category == "extra" else min(8, max(2, pts))
            count[pid][half] += 1
            points[pid][half] += earned
            adjusted[pid] += pts is not None and earned != pts
            party[pid] += category in PARTY_LIFE
            served[pid] += category not in NOT_SERVICE
    return {
        pid: MemberCounts(tuple(count[pid]), tuple(points[pid]), adjusted[pid], party[pid], served[pid])  # type: ignore[arg-type]
        for pid in count
    }


def sql_aggregate(engine: Engine) -> dict[int, MemberCounts]:
    with engine.connect() as conn:
        return member_activities(conn, Period(2025), load_policy("zhengzhou-2019").member.points)


def tally_in_fresh_process(db: str) -> dict[str, float]:
    """Run one tally in a new interpreter and report its time and its own peak memory."""
    code = FRESH_TALLY.replace("DATABASE", repr(db))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return json.loads(out)  # type: ignore[no-any-return]


def _since(start: float) -> float:
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--activities", type=int, default=12, help="per member per year (even)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="baodao-bench-tally-") as work:
        db = str(Path(work) / "bench.sqlite3")
        engine = connect(db)
        start = time.perf_counter()
        fill(engine, args.members, args.activities)
        print(f"fill      {args.members:,} members, {args.members * 3:,} records: {_since(start):6.1f} s")
        start = time.perf_counter()
        derived = sync(engine)
        print(f"derive    {derived.derived:,} records → facts (once per record):  {_since(start):6.1f} s")
        policy = load_policy("zhengzhou-2019")
        tally(
            engine, policy, Period(2025), dt.date(2025, 12, 31)
        )  # warm the file cache as a second run would
        fresh = tally_in_fresh_process(db)
        start = time.perf_counter()
        in_sql = sql_aggregate(engine)
        sql = time.perf_counter() - start
        start = time.perf_counter()
        in_python = python_loop(engine)
        loop = time.perf_counter() - start
        assert in_python == in_sql, "the baseline must compute the same figures"
        activities = args.members * args.activities
        print(
            f"tally     {fresh['members']:,.0f} members × {args.activities} activities ({activities:,}): "
            f"{fresh['seconds']:6.2f} s   peak memory {fresh['peak_mb']:.0f} MB   (target ≤ 5 s, ≤ 500 MB)"
        )
        print(f"aggregate in SQL (the tally's step):         {sql:6.2f} s")
        print(f"baseline: Python loop over {activities:,} rows: {loop:6.2f} s   same figures")
        print(f"ratio     baseline / SQL = {loop / sql:.1f}×")
        whole = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"this process peak {whole:.0f} MB (fill, derive)")


if __name__ == "__main__":
    main()
