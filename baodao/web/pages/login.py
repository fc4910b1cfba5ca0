"""Signing in and out: throttled, with a CSRF token even on the login form, and every sign-in logged."""

from __future__ import annotations

import hmac
import secrets

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from baodao.store.accounts import authenticate, close_session, open_session, set_password, throttled
from baodao.store.audit import log
from baodao.web.auth import COOKIE, LOGIN_COOKIE, Visitor, session_token, signer
from baodao.web.render import page

public = APIRouter()
router = APIRouter()


def _login_page(request: Request, message: str = "", status: int = 200) -> HTMLResponse:
    token = request.cookies.get(LOGIN_COOKIE) or secrets.token_urlsafe(32)
    response = page(request, "login.html", status, title="登录", login_token=token, message=message)
    response.set_cookie(
        LOGIN_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=request.app.state.settings.secure_cookies,
    )
    return response


@public.get("/login", response_class=HTMLResponse)
async def login_form(request: Request) -> HTMLResponse:
    return _login_page(request)


@public.post("/login")
async def login(
    request: Request, username: str = Form(""), password: str = Form(""), csrf: str = Form("")
) -> Response:
    expected = request.cookies.get(LOGIN_COOKIE, "")
    if not expected or not hmac.compare_digest(csrf, expected):
        return _login_page(request, "页面已过期，请重新输入。", 403)
    engine = request.app.state.engine
    address = request.client.host if request.client else "-"
    username = username.strip()[:64]
    if throttled(engine, username, address):
        return _login_page(request, "密码错误次数太多，请一分钟后再试。", 429)
    user = authenticate(engine, username, password, address)
    if user is None:
        return _login_page(request, "用户名或密码不对。", 401)
    if not user.active:
        log(engine, user.username, user.office_id, "登录被拒", "账号已停用")
        return _login_page(request, "这个账号已停用，不能登录。如需恢复，请找本级管理员。", 403)
    token = open_session(engine, user.id)
    log(engine, user.username, user.office_id, "登录", address)
    response = RedirectResponse("/password" if user.must_change else "/", status_code=303)
    response.set_cookie(
        COOKIE,
        signer(request).sign(token).decode(),
        httponly=True,
        samesite="lax",
        secure=request.app.state.settings.secure_cookies,
        max_age=12 * 3600,
    )
    response.delete_cookie(LOGIN_COOKIE)
    return response


@router.post("/logout")
async def logout(request: Request) -> Response:
    token = session_token(request)
    visitor: Visitor = request.state.visitor
    if token:
        close_session(request.app.state.engine, token)
    log(request.app.state.engine, visitor.user.username, visitor.user.office_id, "退出")
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE)
    return response


def _password_page(request: Request, message: str = "", status: int = 200) -> HTMLResponse:
    visitor: Visitor = request.state.visitor
    return page(
        request, "password.html", status, title="修改密码", message=message, first=visitor.user.must_change
    )


@router.get("/password", response_class=HTMLResponse)
async def password_form(request: Request) -> HTMLResponse:
    return _password_page(request)


@router.post("/password", response_model=None)
async def password_change(
    request: Request, current: str = Form(""), new: str = Form(""), again: str = Form("")
) -> Response:
    """A new password, given the current one (the one-time one, at the first sign-in); every session of the
    user ends, this one too."""
    visitor: Visitor = request.state.visitor
    engine = request.app.state.engine
    address = request.client.host if request.client else "-"
    name = visitor.user.username
    if throttled(engine, name, address):
        return _password_page(request, "密码错误次数太多，请一分钟后再试。", 429)
    if authenticate(engine, name, current, address) is None:
        which = "一次性密码" if visitor.user.must_change else "当前密码"
        return _password_page(request, f"{which}不对。", 400)
    if new != again:
        return _password_page(request, "两次输入的新密码不一样。", 400)
    if new == current:
        return _password_page(request, "新密码不能与原来的相同。", 400)
    set_password(engine, name, new)
    log(engine, name, visitor.user.office_id, "修改密码")
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE)
    return response
