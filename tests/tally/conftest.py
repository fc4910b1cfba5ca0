"""Returned forms stored as intake stores them, built in a line each, for hand-computed tallies."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import pytest
from sqlalchemy import Engine

from baodao.form_templates.spec import JsonValue
from baodao.store.records import IngestResult, StoredRecord, ingest
from baodao.tally.facts import LEDGER_FORM


def json_fields(fields: Mapping[str, object]) -> dict[str, JsonValue]:
    """Fields as a test writes them (dict literals of JSON values), typed as the store takes them."""
    return cast(dict[str, JsonValue], dict(fields))


@dataclass
class Returns:
    """Stores one returned file per call, as `baodao intake` would after reading it."""

    engine: Engine
    count: int = 0

    def add(
        self,
        form_key: str,
        fields: Mapping[str, object],
        form_id: str | None = None,
        mtime: dt.datetime | None = None,
    ) -> IngestResult:
        self.count += 1
        digest = hashlib.sha256(f"returned file {self.count}".encode()).hexdigest()
        path = Path(f"returned-{self.count}.docx")
        record = StoredRecord(form_key, form_id, json_fields(fields))
        return ingest(self.engine, path, digest, 100, mtime, [record])

    def registration(
        self,
        name: str,
        unit: str,
        community: str,
        on: str,
        number: str | None = None,
        intentions: list[str] | None = None,
        posts: list[str] | None = None,
    ) -> None:
        """A 在职党员社区报到证 (zz-b1), sealed by the unit on ``on``, with the 服务意向 written on it; with
        ``posts``, also the 报到联系单 (zs-member-slip) with the posts claimed."""
        fields: dict[str, JsonValue] = {
            "name": name,
            "employer_and_post": f"{unit} 科员",
            "community": community,
            "number": number,
            "unit_sealed_on": on,
        }
        if intentions is not None:
            fields["intentions"] = list(intentions)
        self.add("zz-b1", fields, number or f"{unit}-{name}-{on}")
        if posts is not None:
            slip: dict[str, JsonValue] = {
                "name": name,
                "employer_and_post": f"{unit} 科员",
                "community": community,
                "claimed_posts": list(posts),
                "reported_on": on,
            }
            self.add("zs-member-slip", slip, f"S-{unit}-{name}-{on}")

    def score_sheet(self, name: str, unit: str, rows: list[tuple[str, str, int]]) -> None:
        """A 积分评星登记表 (zz-d1): rows of (date, content, points)."""
        services: list[dict[str, object]] = [{"served_on": d, "content": c, "points": p} for d, c, p in rows]
        self.add("zz-d1", {"name": name, "employer_and_post": f"{unit} 科员", "services": services})

    def ledger(
        self,
        date: str,
        unit: str,
        name: str = "",
        category: str = "",
        content: str = "活动",
        points: int | None = None,
        community: str = "",
    ) -> None:
        """One row of an activity ledger."""
        fields: dict[str, JsonValue] = {
            "date": date,
            "name": name,
            "unit": unit,
            "community": community,
            "category": category,
            "content": content,
            "points": points,
        }
        self.add(LEDGER_FORM, fields, f"L-{self.count + 1}")


@pytest.fixture
def returns(engine: Engine) -> Returns:
    return Returns(engine)


@pytest.fixture
def sqlite_returns(tmp_path: Path) -> Returns:
    from baodao.store.db import connect

    return Returns(connect(str(tmp_path / "tally.sqlite3")))
