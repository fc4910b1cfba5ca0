"""用户: an administrator changes roles, disables and enables users, resets passwords, in their offices only;
a one-time password is replaced before anything else."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient

from baodao.store.accounts import user_named
from tests.web.conftest import PASSWORD, Browser, Workbench, sign_in, user


def _id(bench: Workbench, username: str) -> int:
    found = user_named(bench.engine, username)
    assert found is not None
    return found.id


def _log_in(bench: Workbench, username: str, password: str) -> tuple[TestClient, Any]:
    client = TestClient(bench.app, follow_redirects=False)
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/login").text)
    assert token is not None
    answer = client.post("/login", data={"username": username, "password": password, "csrf": token.group(1)})
    return client, answer


def test_an_admin_changes_a_users_role_and_their_sessions_end(workbench: Workbench) -> None:
    admin = user(workbench, "admin-a", workbench.community_a, "admin")
    clerk = user(workbench, "clerk-a", workbench.community_a)
    done = admin.post(f"/users/{_id(workbench, 'clerk-a')}/role", {"role": "reader"})
    assert done.status_code == 200 and "已把 clerk-a 的角色改为只读" in done.text
    assert clerk.get("/").status_code == 303  # signed out
    again = sign_in(workbench, "clerk-a")
    assert "（只读）" in again.get("/").text
    assert again.post("/register/1/withdraw").status_code == 403
    log = admin.get("/audit").text
    assert re.search(r"<td>admin-a</td><td>新安社区党委</td><td>修改角色</td><td>clerk-a</td>", log)


def test_a_disabled_user_is_signed_out_and_refused_in_chinese_until_enabled(workbench: Workbench) -> None:
    admin = user(workbench, "admin-a", workbench.community_a, "admin")
    clerk = user(workbench, "clerk-a", workbench.community_a)
    clerk_id = _id(workbench, "clerk-a")
    done = admin.post(f"/users/{clerk_id}/active", {"active": "false"})
    assert "已停用 clerk-a" in done.text
    assert re.search(rf'<tr id="user-{clerk_id}"><td>clerk-a</td>.*?<td>已停用</td>', done.text, re.S)
    assert clerk.get("/").status_code == 303
    _, refused = _log_in(workbench, "clerk-a", PASSWORD)
    assert refused.status_code == 403 and "这个账号已停用，不能登录" in refused.text
    # A wrong password says only that: whether the account is disabled is not told to a guesser.
    _, wrong = _log_in(workbench, "clerk-a", "not-the-password")
    assert wrong.status_code == 401 and "已停用" not in wrong.text
    assert "已启用 clerk-a" in admin.post(f"/users/{clerk_id}/active", {"active": "true"}).text
    assert sign_in(workbench, "clerk-a").get("/").status_code == 200
    log = admin.get("/audit").text
    assert "<td>停用用户</td><td>clerk-a</td>" in log and "<td>启用用户</td><td>clerk-a</td>" in log
    assert "<td>clerk-a</td><td>新安社区党委</td><td>登录被拒</td><td>账号已停用</td>" in log


def test_a_reset_password_is_shown_once_and_must_be_replaced_before_anything_else(
    workbench: Workbench,
) -> None:
    admin = user(workbench, "admin-a", workbench.community_a, "admin")
    user(workbench, "clerk-a", workbench.community_a)
    reset = admin.post(f"/users/{_id(workbench, 'clerk-a')}/reset")
    found = re.search(r'<code id="new-password">(\w+)</code>', reset.text)
    assert found is not None
    one_time = found.group(1)
    assert one_time not in admin.get("/users").text  # shown once
    _, old = _log_in(workbench, "clerk-a", PASSWORD)
    assert old.status_code == 401
    client, answer = _log_in(workbench, "clerk-a", one_time)
    assert answer.status_code == 303 and answer.headers["location"] == "/password"
    # Every page leads back to the password page; a change is refused.
    for url in ("/", "/register", "/review", "/jobs"):
        answer = client.get(url)
        assert (answer.status_code, answer.headers["location"]) == (303, "/password"), url
    form = client.get("/password")
    assert "你用的是一次性密码" in form.text and "一次性密码" in form.text
    csrf = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert csrf is not None
    changes = Browser(client, csrf.group(1))
    blocked = changes.post("/register/1/withdraw")
    assert blocked.status_code == 403 and "请先设一个自己的新密码" in blocked.text
    same = changes.post("/password", {"current": one_time, "new": one_time, "again": one_time})
    assert same.status_code == 400 and "新密码不能与原来的相同" in same.text
    done = changes.post("/password", {"current": one_time, "new": "my-own-pass-7", "again": "my-own-pass-7"})
    assert done.status_code == 303 and done.headers["location"] == "/login"
    assert sign_in(workbench, "clerk-a", "my-own-pass-7").get("/register").status_code == 200
    assert "<td>重置密码</td><td>clerk-a</td>" in admin.get("/audit").text


def test_a_new_account_must_change_its_one_time_password_at_first_login(workbench: Workbench) -> None:
    admin = user(workbench, "admin-a", workbench.community_a, "admin")
    made = admin.post("/users", {"username": "new-clerk", "role": "clerk", "office": workbench.community_a})
    found = re.search(r'<code id="new-password">(\w+)</code>', made.text)
    assert found is not None and "待本人改密码" in made.text
    _, answer = _log_in(workbench, "new-clerk", found.group(1))
    assert answer.headers["location"] == "/password"


def test_an_admin_manages_only_the_users_of_their_offices_and_not_themselves(workbench: Workbench) -> None:
    admin_a = user(workbench, "admin-a", workbench.community_a, "admin")
    user(workbench, "clerk-b", workbench.community_b)
    clerk_a = user(workbench, "clerk-a", workbench.community_a)
    other = _id(workbench, "clerk-b")
    for url, data in (
        (f"/users/{other}/role", {"role": "reader"}),
        (f"/users/{other}/active", {"active": "false"}),
        (f"/users/{other}/reset", {}),
        ("/users/99999/reset", {}),
    ):
        answer = admin_a.post(url, data)
        assert answer.status_code == 404 and "无权查看" in answer.text, url
    kept = user_named(workbench.engine, "clerk-b")
    assert kept is not None and kept.active and kept.role == "clerk" and not kept.must_change
    own = admin_a.post(f"/users/{_id(workbench, 'admin-a')}/active", {"active": "false"})
    assert own.status_code == 403 and "不能改动自己的账号" in own.text
    # A clerk cannot manage anyone, not even in their own office.
    assert clerk_a.post(f"/users/{_id(workbench, 'admin-a')}/role", {"role": "reader"}).status_code == 403
    me = user_named(workbench.engine, "admin-a")
    assert me is not None and me.role == "admin" and me.active
