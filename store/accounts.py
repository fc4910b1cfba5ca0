"""Users, their passwords (argon2), sessions and login throttling."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from sqlalchemy import Engine, Row, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.sql.elements import ColumnElement

from baodao.errors import StorageError
from baodao.store.schema import login_attempts, offices, sessions, users

ROLES = {"admin": "管理员", "clerk": "经办人", "reader": "只读"}
SESSION_HOURS = 12
THROTTLE_FAILURES = 5  # wrong passwords for one user name (or from one address × 4) in THROTTLE_WINDOW
THROTTLE_WINDOW = dt.timedelta(minutes=1)
MIN_PASSWORD = 10
_hasher = PasswordHash((Argon2Hasher(),))
# Verifying against this when the user does not exist costs the same time as a real check.
_DUMMY = _hasher.hash("baodao-no-such-user")


@dataclass(frozen=True)
class User:
    id: int
    username: str
    role: str
    office_id: int
    office_name: str
    active: bool = True
    must_change: bool = False  # a one-time password, to be replaced before anything else

    @property
    def role_label(self) -> str:
        return ROLES[self.role]

    @property
    def can_change(self) -> bool:
        return self.role in ("admin", "clerk")


@dataclass(frozen=True)
class Session:
    user: User
    csrf: str


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise StorageError(f"密码太短：至少 {MIN_PASSWORD} 个字符")


def check_role(role: str) -> None:
    if role not in ROLES:
        raise StorageError(f"角色“{role}”不对，应为：{'、'.join(f'{k}（{v}）' for k, v in ROLES.items())}")


def add_user(
    engine: Engine, username: str, password: str, role: str, office_id: int, *, must_change: bool = False
) -> int:
    """A new account; ``must_change`` when its password is a one-time one, replaced at the first sign-in."""
    username = username.strip()
    if not username or len(username) > 64:
        raise StorageError("用户名不能为空，至多 64 个字符")
    check_role(role)
    check_password_rules(password)
    try:
        with engine.begin() as conn:
            if conn.execute(select(offices.c.id).where(offices.c.id == office_id)).first() is None:
                raise StorageError(f"没有编号为 {office_id} 的组织")
            made = conn.execute(
                insert(users).values(
                    username=username,
                    password_hash=hash_password(password),
                    role=role,
                    office_id=office_id,
                    active=True,
                    created_at=dt.datetime.now(),
                    must_change_password=must_change,
                )
            )
            return int(made.inserted_primary_key[0])  # type: ignore[index]
    except IntegrityError as exc:
        raise StorageError(f"用户名“{username}”已有人用") from exc
    except SQLAlchemyError as exc:
        raise StorageError(f"无法保存用户“{username}”：{exc}") from exc


def set_password(engine: Engine, username: str, password: str, *, must_change: bool = False) -> None:
    """A new password; every session of the user ends. ``must_change``: a one-time password."""
    check_password_rules(password)
    _change(engine, username, password_hash=hash_password(password), must_change_password=must_change)


def reset_password(engine: Engine, username: str) -> str:
    """A one-time password for a user who forgot theirs (returned, to be shown once); sessions end."""
    password = new_password()
    set_password(engine, username, password, must_change=True)
    return password


def set_role(engine: Engine, username: str, role: str) -> None:
    """Another role for the user; their sessions end, so the next page they open is under the new one."""
    check_role(role)
    _change(engine, username, role=role)


def set_active(engine: Engine, username: str, active: bool) -> None:
    """Disable (every session ends, signing in is refused) or enable a user; nothing of theirs is deleted."""
    _change(engine, username, active=active)


def user_named(engine: Engine, username: str) -> User | None:
    return _find(engine, users.c.username == username)


def user_with_id(engine: Engine, user_id: int) -> User | None:
    return _find(engine, users.c.id == user_id)


def _find(engine: Engine, condition: ColumnElement[bool]) -> User | None:
    query = select(users, offices.c.name.label("office_name")).join(
        offices, users.c.office_id == offices.c.id
    )
    with engine.connect() as conn:
        row = conn.execute(query.where(condition)).first()
    return _user(row) if row is not None else None


def _change(engine: Engine, username: str, **values: object) -> None:
    """Change a user's row and end their sessions, in one transaction."""
    try:
        with engine.begin() as conn:
            user_id = conn.execute(select(users.c.id).where(users.c.username == username)).scalar()
            if user_id is None:
                raise StorageError(f"没有用户“{username}”")
            conn.execute(update(users).where(users.c.id == user_id).values(**values))
            conn.execute(delete(sessions).where(sessions.c.user_id == user_id))
    except SQLAlchemyError as exc:
        raise StorageError(f"无法修改用户“{username}”：{exc}") from exc


def _user(row: Row[Any]) -> User:
    return User(
        row.id,
        row.username,
        row.role,
        row.office_id,
        row.office_name,
        bool(row.active),
        bool(row.must_change_password),
    )


def count_users(engine: Engine, role: str | None = None) -> int:
    query = select(func.count()).select_from(users)
    if role is not None:
        query = query.where(users.c.role == role)
    with engine.connect() as conn:
        return int(conn.execute(query).scalar_one())


def users_in(engine: Engine, office_ids: set[int]) -> list[User]:
    query = (
        select(users, offices.c.name.label("office_name"))
        .join(offices, users.c.office_id == offices.c.id)
        .where(users.c.office_id.in_(office_ids))
        .order_by(users.c.office_id, users.c.username)
    )
    with engine.connect() as conn:
        return [_user(r) for r in conn.execute(query)]


def throttled(engine: Engine, username: str, address: str, now: dt.datetime | None = None) -> bool:
    """Too many wrong passwords lately, for this user name or from this address."""
    since = (now or dt.datetime.now()) - THROTTLE_WINDOW
    failed = (
        select(func.count())
        .select_from(login_attempts)
        .where(login_attempts.c.at >= since, login_attempts.c.ok.is_(False))
    )
    with engine.connect() as conn:
        by_name = conn.execute(failed.where(login_attempts.c.username == username)).scalar_one()
        by_address = conn.execute(failed.where(login_attempts.c.address == address)).scalar_one()
    return int(by_name) >= THROTTLE_FAILURES or int(by_address) >= 4 * THROTTLE_FAILURES


def authenticate(engine: Engine, username: str, password: str, address: str) -> User | None:
    """The user when the password is right (a disabled one too: ``active`` says so, and the caller refuses
    it; only someone who knows the password learns that the account is disabled); every attempt is noted."""
    query = (
        select(users, offices.c.name.label("office_name"))
        .join(offices, users.c.office_id == offices.c.id)
        .where(users.c.username == username)
    )
    with engine.connect() as conn:
        row = conn.execute(query).first()
    ok = _hasher.verify(password, row.password_hash if row else _DUMMY) and row is not None
    with engine.begin() as conn:
        conn.execute(
            insert(login_attempts).values(
                username=username[:64], address=address[:64], at=dt.datetime.now(), ok=ok
            )
        )
    if not ok or row is None:
        return None
    return _user(row)


def open_session(engine: Engine, user_id: int) -> str:
    """A new session; returns its token (only its hash is stored)."""
    token = secrets.token_urlsafe(32)
    now = dt.datetime.now()
    with engine.begin() as conn:
        conn.execute(delete(sessions).where(sessions.c.expires_at < now))
        conn.execute(
            insert(sessions).values(
                token_hash=_digest(token),
                user_id=user_id,
                csrf=secrets.token_urlsafe(32),
                created_at=now,
                expires_at=now + dt.timedelta(hours=SESSION_HOURS),
            )
        )
    return token


def session_of(engine: Engine, token: str) -> Session | None:
    query = (
        select(sessions.c.csrf, users, offices.c.name.label("office_name"))
        .join(users, sessions.c.user_id == users.c.id)
        .join(offices, users.c.office_id == offices.c.id)
        .where(
            sessions.c.token_hash == _digest(token),
            sessions.c.expires_at > dt.datetime.now(),
            users.c.active.is_(True),
        )
    )
    try:
        with engine.connect() as conn:
            row = conn.execute(query).first()
    except SQLAlchemyError as exc:
        raise StorageError(f"无法读取登录状态：{exc}") from exc
    if row is None:
        return None
    return Session(_user(row), row.csrf)


def close_session(engine: Engine, token: str) -> None:
    with engine.begin() as conn:
        conn.execute(delete(sessions).where(sessions.c.token_hash == _digest(token)))


def new_password() -> str:
    """A one-time password for a new account, easy to type: 16 letters and digits."""
    alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(16))


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
