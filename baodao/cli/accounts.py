"""`baodao users` and `baodao orgs`: accounts and offices of the workbench (`baodao serve`: baodao.web)."""

from __future__ import annotations

import getpass
from pathlib import Path

import click
import yaml
from sqlalchemy import Engine

from baodao.cli.common import DB_HELP
from baodao.errors import DataError
from baodao.store.accounts import (
    ROLES,
    add_user,
    new_password,
    reset_password,
    set_active,
    set_password,
    set_role,
    user_named,
    users_in,
)
from baodao.store.audit import log
from baodao.store.db import connect
from baodao.store.offices import DEFAULT_OFFICE, ensure_office, import_lists, subtree


@click.group(name="users")
def users() -> None:
    """工作台的用户：新建、列出、改角色、停用/启用、改密码、重置密码。"""


def _actor() -> str:
    """Who made a change from the command line, for the audit log: the operating-system account."""
    try:
        return f"命令行（{getpass.getuser()}）"
    except (KeyError, OSError):
        return "命令行"


def _office_of(engine: Engine, username: str) -> int:
    user = user_named(engine, username)
    if user is None:
        raise DataError(f"没有用户“{username}”（baodao users list 列出全部用户）")
    return user.office_id


@users.command(name="list")
@click.option("--db", help=DB_HELP)
def users_list(db: str | None) -> None:
    """列出全部用户：角色、组织、状态。"""
    engine = connect(db)
    everyone = users_in(engine, {o.id for o in subtree(engine, DEFAULT_OFFICE)})
    for u in everyone:
        state = "已停用" if not u.active else "待本人改密码" if u.must_change else "正常"
        click.echo(f"{u.username}\t{u.role_label}\t{u.office_name}（{u.office_id}）\t{state}")


@users.command(name="add")
@click.argument("username")
@click.option(
    "--role",
    type=click.Choice(list(ROLES)),
    default="clerk",
    show_default=True,
    help="admin 管理员，clerk 经办人，reader 只读。",
)
@click.option(
    "--office",
    "office_id",
    type=int,
    default=DEFAULT_OFFICE,
    show_default=True,
    help="所属组织的编号（见 baodao orgs list）。",
)
@click.option("--password", help="不给则生成一次性密码并显示。")
@click.option("--db", help=DB_HELP)
def users_add(username: str, role: str, office_id: int, password: str | None, db: str | None) -> None:
    """新建用户 USERNAME。"""
    given = password or new_password()
    engine = connect(db)
    add_user(engine, username, given, role, office_id, must_change=True)
    log(engine, _actor(), office_id, "新建用户", username, {"role": role})
    click.echo(
        f"已新建用户 {username}（{ROLES[role]}，第一次登录时须改成自己的密码）"
        + ("" if password else f"，一次性密码：{given}")
    )


@users.command(name="passwd")
@click.argument("username")
@click.option("--db", help=DB_HELP)
def users_passwd(username: str, db: str | None) -> None:
    """为用户 USERNAME 设新密码（输入两次）；其已登录的会话全部退出。"""
    first = getpass.getpass("新密码：")
    if first != getpass.getpass("再输入一次："):
        raise DataError("两次输入的密码不一样")
    engine = connect(db)
    set_password(engine, username, first)
    log(engine, _actor(), _office_of(engine, username), "修改密码", username)
    click.echo(f"已修改 {username} 的密码")


@users.command(name="reset")
@click.argument("username")
@click.option("--db", help=DB_HELP)
def users_reset(username: str, db: str | None) -> None:
    """为用户 USERNAME 生成一次性密码（本人第一次登录时须改掉）；其已登录的会话全部退出。"""
    engine = connect(db)
    office = _office_of(engine, username)
    password = reset_password(engine, username)
    log(engine, _actor(), office, "重置密码", username)
    click.echo(f"已重置 {username} 的密码（登录时须改成自己的密码），一次性密码：{password}")


@users.command(name="role")
@click.argument("username")
@click.argument("role", type=click.Choice(list(ROLES)))
@click.option("--db", help=DB_HELP)
def users_role(username: str, role: str, db: str | None) -> None:
    """把用户 USERNAME 的角色改为 ROLE（admin 管理员，clerk 经办人，reader 只读）；其会话全部退出。"""
    engine = connect(db)
    user = user_named(engine, username)
    if user is None:
        raise DataError(f"没有用户“{username}”（baodao users list 列出全部用户）")
    set_role(engine, username, role)
    log(engine, _actor(), user.office_id, "修改角色", username, {"old": user.role, "new": role})
    click.echo(f"已把 {username} 的角色由{ROLES[user.role]}改为{ROLES[role]}")


@users.command(name="disable")
@click.argument("username")
@click.option("--db", help=DB_HELP)
def users_disable(username: str, db: str | None) -> None:
    """停用用户 USERNAME：其已登录的会话全部退出，不能再登录；其做过的事和日志都保留。"""
    engine = connect(db)
    office = _office_of(engine, username)
    set_active(engine, username, False)
    log(engine, _actor(), office, "停用用户", username)
    click.echo(f"已停用 {username}：已登录的会话已退出，不能再登录（baodao users enable 恢复）")


@users.command(name="enable")
@click.argument("username")
@click.option("--db", help=DB_HELP)
def users_enable(username: str, db: str | None) -> None:
    """启用被停用的用户 USERNAME。"""
    engine = connect(db)
    office = _office_of(engine, username)
    set_active(engine, username, True)
    log(engine, _actor(), office, "启用用户", username)
    click.echo(f"已启用 {username}，可以再登录")


@click.group(name="orgs")
def orgs() -> None:
    """组织（组织部 → 街道党工委 → 社区党组织；机关工委 → 单位党组织）。"""


@orgs.command(name="list")
@click.option("--db", help=DB_HELP)
def orgs_list(db: str | None) -> None:
    """列出全部组织（缩进表示上下级）。"""
    for office in subtree(connect(db), DEFAULT_OFFICE):
        click.echo(f"{office.id:>5}  {'  ' * office.depth}{office.name}（{office.kind}）")


@orgs.command(name="import")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--under", "parent", type=int, default=DEFAULT_OFFICE, show_default=True, help="放在这个组织之下。"
)
@click.option("--street", help="先在其下建这个街道党工委，社区放在街道之下。")
@click.option("--db", help=DB_HELP)
def orgs_import(source: Path, parent: int, street: str | None, db: str | None) -> None:
    """从社区 → 单位名单（如 data/communities/rongcheng-2019.yaml）导入社区党组织和单位党组织。"""
    engine = connect(db)
    try:
        data = yaml.safe_load(source.read_text(encoding="utf-8"))
        lists = [
            (str(c["community"]), [str(u) for u in c.get("units", [])])
            for part in data["lists"].values()
            for c in part["communities"]
        ]
    except (yaml.YAMLError, KeyError, TypeError, AttributeError) as exc:
        raise DataError(
            f"{source} 不是社区 → 单位名单（应有 lists → communities → community / units）"
        ) from exc
    if street:
        parent, _ = ensure_office(engine, street, "街道党工委", parent)
    made, known = import_lists(engine, parent, lists)
    click.echo(f"已导入 {made} 个组织，已有 {known} 个")
