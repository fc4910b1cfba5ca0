"""Who is asking: the signed session cookie, the CSRF token every change must carry, roles and offices."""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from fastapi import Request
from itsdangerous import BadSignature, Signer

from baodao.store.accounts import Session, User, session_of
from baodao.store.offices import office_ids_under

COOKIE = "baodao_session"
LOGIN_COOKIE = "baodao_login"  # before signing in: the login form's CSRF token (double submit)
SAFE = ("GET", "HEAD", "OPTIONS")
# What a user who must replace a one-time password may still open.
BEFORE_NEW_PASSWORD = ("/password", "/logout")


class NotSignedIn(Exception):
    """No valid session: pages answer with a redirect to the login page, other requests with 401."""


class Forbidden(Exception):
    """Signed in, but this request may not be made (no CSRF token, or the role does not allow it)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class MustChangePassword(Exception):
    """Signed in with a one-time password: nothing but changing it (or signing out) until it is replaced."""


class NotFound(Exception):
    """Nothing by that id that this user may see (another office's, or none): both answer the same."""


@dataclass(frozen=True)
class Visitor:
    """A signed-in user, with the offices they see (theirs and all under it) and their CSRF token."""

    user: User
    csrf: str
    offices: frozenset[int]

    def sees(self, office_id: int | None) -> bool:
        return office_id is not None and office_id in self.offices

    def check(self, office_id: int | None) -> None:
        if not self.sees(office_id):
            raise NotFound()


def signer(request: Request) -> Signer:
    return Signer(request.app.state.settings.secret, salt="baodao-session")


def session_token(request: Request) -> str | None:
    raw = request.cookies.get(COOKIE)
    if not raw:
        return None
    try:
        return signer(request).unsign(raw).decode()
    except BadSignature:
        return None


def current_session(request: Request) -> Session | None:
    token = session_token(request)
    return session_of(request.app.state.engine, token) if token else None


async def guard(request: Request) -> Visitor:
    """Every route but the login page and static files: a session, and on a change, its CSRF token."""
    session = current_session(request)
    if session is None:
        raise NotSignedIn()
    if request.method not in SAFE:
        sent = request.headers.get("x-csrf-token")
        if sent is None:
            form = await request.form()
            value = form.get("csrf")
            sent = value if isinstance(value, str) else None
        if sent is None or not hmac.compare_digest(sent, session.csrf):
            raise Forbidden("请求缺少有效的安全令牌（CSRF）。请刷新页面后再试。")
        if session.user.role == "reader" and request.url.path not in BEFORE_NEW_PASSWORD:
            raise Forbidden("只读账号不能修改任何内容。")
    if session.user.must_change and request.url.path not in BEFORE_NEW_PASSWORD:
        raise MustChangePassword()
    offices = frozenset(office_ids_under(request.app.state.engine, session.user.office_id))
    visitor = Visitor(session.user, session.csrf, offices)
    request.state.visitor = visitor
    return visitor


def require_admin(visitor: Visitor) -> None:
    if visitor.user.role != "admin":
        raise Forbidden("只有管理员可以做这件事。")
