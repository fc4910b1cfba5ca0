"""`baodao users` and `baodao orgs`: accounts and offices of the workbench (`baodao serve`: baodao.web)."""

from __future__ import annotations

import getpass
from pathlib import Path

import click
import yaml

from baodao.cli.common import DB_HELP
from baodao.errors import DataError
from baodao.store.accounts import ROLES, add_user, new_password, set_password
from baodao.store.db import connect
from baodao.store.offices import DEFAULT_OFFICE, ensure_office, import_lists, subtree


@click.group(name="users")
def users() -> None:
    """工作台的用户：新建、改密码。"""


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
    add_user(connect(db), username, given, role, office_id)
    click.echo(f"已新建用户 {username}（{ROLES[role]}）" + ("" if password else f"，一次性密码：{given}"))


@users.command(name="passwd")
@click.argument("username")
@click.option("--db", help=DB_HELP)
def users_passwd(username: str, db: str | None) -> None:
    """为用户 USERNAME 设新密码（输入两次）；其已登录的会话全部退出。"""
    first = getpass.getpass("新密码：")
    if first != getpass.getpass("再输入一次："):
        raise DataError("两次输入的密码不一样")
    set_password(connect(db), username, first)
    click.echo(f"已修改 {username} 的密码")


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
