"""A workbench on SQLite and on a real PostgreSQL server, in this process, with offices and users."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from baodao.jobs.worker import serve as run_jobs
from baodao.store.accounts import add_user
from baodao.store.offices import DEFAULT_OFFICE, add_office
from baodao.web.app import create_app
from baodao.web.settings import Settings

PASSWORD = "correct-horse-9"
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@dataclass
class Workbench:
    app: FastAPI
    settings: Settings
    engine: Engine
    street: int  # 街道党工委 under the default office
    community_a: int  # 社区党组织 under the street
    community_b: int

    def run_jobs(self) -> None:
        """Run every queued job to its end, here (the server's workers are off in these tests)."""
        run_jobs(self.settings.db, self.settings.data_dir, "test-worker", once=True)


@dataclass
class Browser:
    """A client signed in as one user, sending that session's CSRF token with every change."""

    client: TestClient
    csrf: str

    def get(self, url: str, **kw: Any) -> Any:
        return self.client.get(url, **kw)

    def post(self, url: str, data: dict[str, Any] | None = None, **kw: Any) -> Any:
        return self.client.post(url, data={**(data or {}), "csrf": self.csrf}, **kw)


@pytest.fixture
def workbench(engine: Engine, tmp_path: Path) -> Iterator[Workbench]:
    url = engine.url.render_as_string(hide_password=False)
    if engine.dialect.name == "postgresql":
        url = url.replace("postgresql+psycopg://", "postgresql://")
    settings = Settings.make(url, tmp_path / "data", workers=0)
    app = create_app(settings)
    street = add_office(engine, "城东街道党工委", "街道党工委", DEFAULT_OFFICE)
    a = add_office(engine, "新安社区党委", "社区党组织", street)
    b = add_office(engine, "金华社区党委", "社区党组织", street)
    yield Workbench(app, settings, app.state.engine, street, a, b)
    app.state.engine.dispose()


def sign_in(bench: Workbench, username: str, password: str = PASSWORD) -> Browser:
    client = TestClient(bench.app, follow_redirects=False)
    page = client.get("/login")
    token = _CSRF.search(page.text)
    assert token is not None
    answer = client.post("/login", data={"username": username, "password": password, "csrf": token.group(1)})
    assert answer.status_code == 303, answer.text
    home = client.get("/")
    found = re.search(r'"X-CSRF-Token": "([^"]+)"', home.text)
    assert found is not None
    return Browser(client, found.group(1))


def user(bench: Workbench, username: str, office: int, role: str = "clerk") -> Browser:
    add_user(bench.engine, username, PASSWORD, role, office)
    return sign_in(bench, username)
