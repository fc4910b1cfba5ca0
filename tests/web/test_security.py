"""Nothing without a session, no change without the CSRF token, passwords as argon2, guessing throttled."""

from __future__ import annotations

import re
from collections.abc import Sequence

from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import select
from starlette.routing import BaseRoute, Mount

from baodao.store.schema import users
from tests.web.conftest import PASSWORD, Workbench, sign_in, user

PUBLIC = {"/login"}


def api_routes(routes: Sequence[BaseRoute]) -> list[APIRoute]:
    """Every endpoint of the app, looking into included routers (FastAPI wraps them since 0.13x)."""
    found: list[APIRoute] = []
    for route in routes:
        if isinstance(route, APIRoute):
            found.append(route)
        elif isinstance(route, Mount):
            continue
        else:
            included = getattr(route, "original_router", None)
            assert included is not None, f"a route of unknown kind: {route!r}"
            found += api_routes(included.routes)
    return found


def sample_path(path: str) -> str:
    """A route's path with every parameter filled in (ids that may or may not exist)."""
    return re.sub(r"\{[^}]+\}", "1", path)


def test_every_route_without_a_session_redirects_to_login_or_answers_401(workbench: Workbench) -> None:
    client = TestClient(workbench.app, follow_redirects=False)
    routes = api_routes(workbench.app.routes)
    assert len(routes) >= 20
    checked = 0
    for route in routes:
        if route.path in PUBLIC:
            continue
        for method in route.methods or ():
            answer = client.request(method, sample_path(route.path), headers={"content-length": "0"})
            if method == "GET":
                assert answer.status_code == 303, (method, route.path)
                assert answer.headers["location"] == "/login"
            else:
                assert answer.status_code == 401, (method, route.path, answer.status_code)
            checked += 1
    assert checked >= 20
    # Mounted apps are the static files only, and they serve files, not pages.
    mounts = [r for r in workbench.app.routes if isinstance(r, Mount)]
    assert [m.path for m in mounts] == ["/static"]
    assert client.get("/static/style.css").status_code == 200
    assert client.get("/login").status_code == 200


def test_a_change_without_the_csrf_token_is_refused_with_403(workbench: Workbench) -> None:
    admin = user(workbench, "admin-a", workbench.community_a, "admin")
    answer = admin.client.post(
        "/offices", data={"name": "新支部", "kind": "其他", "parent": workbench.community_a}
    )
    assert answer.status_code == 403
    assert "安全令牌" in answer.text
    wrong = admin.client.post(
        "/offices", data={"name": "新支部", "kind": "其他", "parent": workbench.community_a, "csrf": "x" * 43}
    )
    assert wrong.status_code == 403
    made = admin.post("/offices", {"name": "新支部", "kind": "其他", "parent": workbench.community_a})
    assert made.status_code == 303
    assert "新支部" in admin.get("/offices").text


def test_every_change_without_the_csrf_token_is_refused_with_403(workbench: Workbench) -> None:
    admin = user(workbench, "admin-a", workbench.community_a, "admin")
    posts = [
        r for r in api_routes(workbench.app.routes) if "POST" in (r.methods or ()) and r.path not in PUBLIC
    ]
    assert len(posts) >= 15
    for route in posts:
        answer = admin.client.post(sample_path(route.path), data={"name": "x"})
        assert answer.status_code == 403, (route.path, answer.status_code)
        assert "安全令牌" in answer.text, route.path


def test_passwords_are_stored_as_argon2_hashes(workbench: Workbench) -> None:
    user(workbench, "clerk-a", workbench.community_a)
    with workbench.engine.connect() as conn:
        stored = conn.execute(select(users.c.password_hash).where(users.c.username == "clerk-a")).scalar_one()
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored


def test_the_sixth_wrong_password_in_a_minute_is_throttled(workbench: Workbench) -> None:
    user(workbench, "clerk-a", workbench.community_a)
    client = TestClient(workbench.app, follow_redirects=False)
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/login").text)
    assert token is not None
    form = {"username": "clerk-a", "csrf": token.group(1)}
    for _ in range(5):
        answer = client.post("/login", data={**form, "password": "wrong-password"})
        assert answer.status_code == 401
        assert "用户名或密码不对" in answer.text
    sixth = client.post("/login", data={**form, "password": "wrong-password"})
    assert sixth.status_code == 429
    assert "一分钟后再试" in sixth.text
    # Even the right password waits out the minute: the guesser cannot tell when they hit it.
    assert client.post("/login", data={**form, "password": PASSWORD}).status_code == 429


def test_a_reader_may_look_but_not_change(workbench: Workbench) -> None:
    reader = user(workbench, "reader-a", workbench.community_a, "reader")
    assert reader.get("/register").status_code == 200
    answer = reader.post("/register/1/withdraw")
    assert answer.status_code == 403
    assert "只读" in answer.text


def test_signing_out_ends_the_session(workbench: Workbench) -> None:
    clerk = user(workbench, "clerk-a", workbench.community_a)
    assert clerk.post("/logout").status_code == 303
    assert clerk.get("/register").status_code == 303


def test_pages_carry_security_headers_and_versioned_static_files(workbench: Workbench) -> None:
    clerk = user(workbench, "clerk-a", workbench.community_a)
    page = clerk.get("/")
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY"
    assert re.search(r"/static/htmx-2\.0\.11\.min\.js\?v=[0-9a-f]{10}", page.text)
    assert "https://" not in page.text  # nothing from a CDN
    cookie = page.request.headers.get("cookie", "")
    assert "baodao_session=" in cookie


def test_the_session_cookie_is_httponly_and_samesite(workbench: Workbench) -> None:
    user(workbench, "clerk-a", workbench.community_a)
    client = TestClient(workbench.app, follow_redirects=False)
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/login").text)
    assert token is not None
    answer = client.post("/login", data={"username": "clerk-a", "password": PASSWORD, "csrf": token.group(1)})
    cookie = answer.headers["set-cookie"]
    assert "baodao_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    # A cookie not signed by this server is no session.
    forged = TestClient(workbench.app, follow_redirects=False, cookies={"baodao_session": "forged.signature"})
    assert forged.get("/").status_code == 303
    value = cookie.split(";")[0].split("=", 1)[1]
    token_only = value.rsplit(".", 1)[0]  # the right token without its signature
    unsigned = TestClient(workbench.app, follow_redirects=False, cookies={"baodao_session": token_only})
    assert unsigned.get("/").status_code == 303
    signed = TestClient(workbench.app, follow_redirects=False, cookies={"baodao_session": value})
    assert signed.get("/").status_code == 200


def test_a_user_changes_their_password_and_every_session_ends(workbench: Workbench) -> None:
    clerk = user(workbench, "clerk-a", workbench.community_a)
    wrong = clerk.post(
        "/password", {"current": "not-it-at-all", "new": "a-new-pass-42", "again": "a-new-pass-42"}
    )
    assert wrong.status_code == 400 and "当前密码不对" in wrong.text
    short = clerk.post("/password", {"current": PASSWORD, "new": "short", "again": "short"})
    assert short.status_code == 400 and "密码太短" in short.text
    done = clerk.post("/password", {"current": PASSWORD, "new": "a-new-pass-42", "again": "a-new-pass-42"})
    assert done.status_code == 303 and done.headers["location"] == "/login"
    assert clerk.get("/").status_code == 303  # signed out
    again = sign_in(workbench, "clerk-a", "a-new-pass-42")
    assert again.get("/").status_code == 200
