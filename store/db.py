"""Opens the database named by --db, BAODAO_DB or the default file, and brings its schema up to date."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, event, func, select
from sqlalchemy.exc import SQLAlchemyError

from baodao.errors import StorageError

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
DEFAULT_DB = Path("baodao.sqlite3")  # in the folder the user works in, never inside the package
ENV_VAR = "BAODAO_DB"
MIGRATION_LOCK = 0x62616F6D  # “baom”: the advisory lock key migrations hold on PostgreSQL
# Held, not weakly: an engine a command used inline (`current_records(connect(db), …)`) would otherwise be
# collected with its connections still open before the command ends and close_all() runs.
_opened: list[Engine] = []


def database_url(given: str | None = None) -> str:
    """A SQLAlchemy URL from a path or URL; the default is ./baodao.sqlite3."""
    raw = given or os.environ.get(ENV_VAR) or str(DEFAULT_DB)
    if "://" in raw:
        return raw
    path = Path(raw).expanduser().resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


def connect(given: str | None = None) -> Engine:
    """An engine on an up-to-date schema; every schema change comes from a migration."""
    url = database_url(given)
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")  # psycopg 3, installed with baodao
    try:
        engine = create_engine(url, json_serializer=_json_text)
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)
        migrate(engine, MIGRATIONS)
    except SQLAlchemyError as exc:
        raise StorageError(f"无法打开数据库 {_safe(url)}：{open_failure_reason(exc)}") from exc
    except ModuleNotFoundError as exc:
        raise StorageError(f"无法打开数据库 {_safe(url)}：缺少它的驱动程序（{exc.name}）") from exc
    _opened.append(engine)
    return engine


# What the drivers say (their text, lower-cased) → what a clerk or an administrator can act on.
_OPEN_FAILURES: tuple[tuple[str, str], ...] = (
    ("unable to open database file", "无法创建或打开数据库文件；请检查文件夹是否存在、能否写入"),
    ("file is not a database", "该文件不是数据库文件（可能是别的文件被当作数据库）；请换一个路径"),
    ("database is locked", "数据库正被另一个程序占用；请稍后重试"),
    ("readonly database", "数据库文件是只读的；请检查文件权限"),
    ("disk i/o error", "读写磁盘出错；请检查磁盘"),
    ("database or disk is full", "磁盘已满；请清理磁盘空间后重试"),
    ("password authentication failed", "用户名或密码不对；请检查数据库地址中的账号"),
    ("connection refused", "连接被拒绝：数据库服务器没有运行，或地址、端口不对"),
    ("could not translate host name", "找不到数据库服务器的主机名；请检查地址"),
    ("does not exist", "数据库或账号不存在；请先在服务器上创建"),
    ("timeout", "连接数据库超时；请检查网络和服务器"),
)


def open_failure_reason(exc: SQLAlchemyError) -> str:
    """The reason a database could not be opened, in words an administrator can act on (the driver's
    text goes to the log, not to the page)."""
    said = str(getattr(exc, "orig", None) or exc).lower()
    for needle, reason in _OPEN_FAILURES:
        if needle in said:
            return reason
    logging.getLogger("baodao").warning("database open failed: %s", exc)
    return "数据库报错；请检查数据库地址、账号和服务器（原因已写入运行日志）"


def close_all() -> None:
    """Close every database this process opened: a command ends without leaving server connections open."""
    while _opened:
        _opened.pop().dispose()


def migrate(engine: Engine, location: Path, version_table: str = "alembic_version") -> None:
    """Apply the migrations under ``location``, alone: two processes opening a new database at once must
    not both create its tables (one would fail on “table already exists”)."""
    with exclusive(engine, MIGRATION_LOCK) as conn:
        config = Config()
        config.set_main_option("script_location", str(location))
        config.attributes["connection"] = conn
        config.attributes["version_table"] = version_table
        command.upgrade(config, "head")


@contextmanager
def exclusive(engine: Engine, key: int) -> Iterator[Connection]:
    """A transaction that no other holder of ``key`` runs beside (SQLite: the database's write lock)."""
    with engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN IMMEDIATE")  # the write lock now, not at the first write
        elif conn.dialect.name == "postgresql":
            conn.execute(select(func.pg_advisory_xact_lock(key)))
        yield conn


def _json_text(value: object) -> str:
    """JSON columns keep Chinese as it is written, so the database stays readable with plain tools."""
    return json.dumps(value, ensure_ascii=False)


def _sqlite_pragmas(dbapi_conn: object, _record: object) -> None:
    cursor = dbapi_conn.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    # Readers and the writer side by side: without it a write waiting on a long read (a large tally) holds
    # every new reader back, so the workbench's pages wait seconds behind one another.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def _safe(url: str) -> str:
    """The URL without its password, for messages."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        return f"{scheme}://***@{rest.split('@', 1)[1]}"
    return url
