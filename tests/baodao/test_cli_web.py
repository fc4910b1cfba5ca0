"""`baodao orgs` and `baodao users`: offices from the bundled lists, accounts made from the command line."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import Engine, select

from baodao.cli import main
from baodao.store.accounts import User, authenticate, user_named
from baodao.store.audit import entries
from baodao.store.db import connect
from baodao.store.offices import subtree
from baodao.store.schema import users

ROOT = Path(__file__).resolve().parents[2]
LISTS = ROOT / "data" / "communities" / "rongcheng-2019.yaml"


def test_orgs_import_builds_the_tree_once(tmp_path: Path) -> None:
    db = str(tmp_path / "b.sqlite3")
    runner = CliRunner()
    first = runner.invoke(main, ["orgs", "import", str(LISTS), "--street", "荣成市社区服务中心", "--db", db])
    assert first.exit_code == 0, first.output
    made, known = (int(n) for n in re.findall(r"\d+", first.output))
    assert made > 100  # a community named in both lists is made once
    again = runner.invoke(main, ["orgs", "import", str(LISTS), "--street", "荣成市社区服务中心", "--db", db])
    assert again.output.strip() == f"已导入 0 个组织，已有 {made + known} 个"
    engine = connect(db)
    tree = subtree(engine, 1)
    engine.dispose()
    street = next(o for o in tree if o.name == "荣成市社区服务中心")
    community = next(o for o in tree if o.name == "蜊江社区")
    unit = next(o for o in tree if o.name == "市委办公室")
    assert (street.depth, community.depth, unit.depth) == (1, 2, 3)
    assert community.parent_id == street.id and unit.parent_id == community.id
    assert community.kind == "社区党组织" and unit.kind == "单位党组织"
    listed = runner.invoke(main, ["orgs", "list", "--db", db])
    assert "      蜊江社区（社区党组织）" in listed.output


def test_users_add_prints_a_one_time_password_stored_as_argon2(tmp_path: Path) -> None:
    db = str(tmp_path / "b.sqlite3")
    result = CliRunner().invoke(main, ["users", "add", "wang", "--role", "reader", "--db", db])
    assert result.exit_code == 0, result.output
    password = result.output.strip().rsplit("：", 1)[1]
    assert len(password) == 16
    engine = connect(db)
    with engine.connect() as conn:
        row = conn.execute(
            select(users.c.password_hash, users.c.role).where(users.c.username == "wang")
        ).one()
    engine.dispose()
    assert (
        row.role == "reader"
        and row.password_hash.startswith("$argon2id$")
        and password not in row.password_hash
    )
    twice = CliRunner().invoke(main, ["users", "add", "wang", "--db", db])
    assert twice.exit_code == 1 and "用户名“wang”已有人用" in twice.output


def test_users_role_disable_enable_and_reset_from_the_command_line_are_logged(tmp_path: Path) -> None:
    db = str(tmp_path / "b.sqlite3")
    runner = CliRunner()
    assert (
        runner.invoke(main, ["users", "add", "wang", "--password", "correct-horse-9", "--db", db]).exit_code
        == 0
    )
    role = runner.invoke(main, ["users", "role", "wang", "reader", "--db", db])
    assert role.exit_code == 0 and "已把 wang 的角色由经办人改为只读" in role.output
    off = runner.invoke(main, ["users", "disable", "wang", "--db", db])
    assert off.exit_code == 0 and "已停用 wang" in off.output
    assert "wang\t只读\t本级（1）\t已停用" in runner.invoke(main, ["users", "list", "--db", db]).output
    engine = connect(db)
    assert authenticate(engine, "wang", "correct-horse-9", "test") == replace(
        _user(engine, "wang"), active=False
    )
    on = runner.invoke(main, ["users", "enable", "wang", "--db", db])
    assert on.exit_code == 0 and "已启用 wang" in on.output
    reset = runner.invoke(main, ["users", "reset", "wang", "--db", db])
    one_time = reset.output.strip().rsplit("：", 1)[1]
    signed_in = authenticate(engine, "wang", one_time, "test")
    assert signed_in is not None and signed_in.active and signed_in.must_change
    actions = [(e.action, e.target) for e in entries(engine, {1})]
    engine.dispose()
    assert {("新建用户", "wang"), ("修改角色", "wang"), ("停用用户", "wang"), ("启用用户", "wang")} <= set(
        actions
    )
    assert ("重置密码", "wang") in actions
    missing = runner.invoke(main, ["users", "disable", "nobody", "--db", db])
    assert missing.exit_code == 1 and "没有用户“nobody”" in missing.output
    bad_role = runner.invoke(main, ["users", "role", "wang", "boss", "--db", db])
    assert bad_role.exit_code == 2


def _user(engine: Engine, username: str) -> User:
    found = user_named(engine, username)
    assert found is not None
    return found
