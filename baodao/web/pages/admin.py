"""Offices, users and the audit log: an administrator manages the offices under their own, and no others."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from baodao.store.accounts import (
    ROLES,
    User,
    add_user,
    new_password,
    reset_password,
    set_active,
    set_role,
    user_with_id,
    users_in,
)
from baodao.store.audit import entries, log
from baodao.store.offices import KINDS, add_office, subtree
from baodao.web.auth import Forbidden, NotFound, Visitor, require_admin
from baodao.web.render import page

router = APIRouter()


@router.get("/offices", response_class=HTMLResponse)
async def offices_page(request: Request) -> HTMLResponse:
    visitor: Visitor = request.state.visitor
    tree = subtree(request.app.state.engine, visitor.user.office_id)
    return page(request, "offices.html", title="组织", tree=tree, kinds=KINDS)


@router.post("/offices")
async def offices_add(
    request: Request, name: str = Form(...), kind: str = Form(...), parent: int = Form(...)
) -> Response:
    visitor: Visitor = request.state.visitor
    require_admin(visitor)
    visitor.check(parent)
    engine = request.app.state.engine
    made = add_office(engine, name, kind, parent)
    log(engine, visitor.user.username, parent, "新建组织", name, {"office": made, "kind": kind})
    return RedirectResponse("/offices", status_code=303)


def _users_page(request: Request, made: tuple[str, str] | None = None, done: str = "") -> HTMLResponse:
    visitor: Visitor = request.state.visitor
    engine = request.app.state.engine
    return page(
        request,
        "users.html",
        title="用户",
        users=users_in(engine, set(visitor.offices)),
        tree=subtree(engine, visitor.user.office_id),
        roles=ROLES,
        made=made,
        done=done,
    )


@router.get("/users", response_class=HTMLResponse)
async def users_page(request: Request) -> HTMLResponse:
    require_admin(request.state.visitor)
    return _users_page(request)


@router.post("/users", response_class=HTMLResponse)
async def users_add(
    request: Request, username: str = Form(...), role: str = Form(...), office: int = Form(...)
) -> HTMLResponse:
    visitor: Visitor = request.state.visitor
    require_admin(visitor)
    visitor.check(office)
    engine = request.app.state.engine
    password = new_password()
    add_user(engine, username, password, role, office, must_change=True)
    log(engine, visitor.user.username, office, "新建用户", username, {"role": role})
    return _users_page(request, made=(username, password))


def _managed(request: Request, user_id: int) -> User:
    """A user of the administrator's offices, not the administrator (who would lock themselves out)."""
    visitor: Visitor = request.state.visitor
    require_admin(visitor)
    user = user_with_id(request.app.state.engine, user_id)
    if user is None:
        raise NotFound()
    visitor.check(user.office_id)
    if user.id == visitor.user.id:
        raise Forbidden("不能改动自己的账号（角色、停用、重置密码）；自己的密码请点右上角的用户名修改。")
    return user


@router.post("/users/{user_id}/role", response_class=HTMLResponse)
async def users_role(request: Request, user_id: int, role: str = Form(...)) -> HTMLResponse:
    visitor: Visitor = request.state.visitor
    user = _managed(request, user_id)
    engine = request.app.state.engine
    set_role(engine, user.username, role)
    log(
        engine,
        visitor.user.username,
        user.office_id,
        "修改角色",
        user.username,
        {"old": user.role, "new": role},
    )
    return _users_page(request, done=f"已把 {user.username} 的角色改为{ROLES[role]}（其已登录的会话已退出）")


@router.post("/users/{user_id}/active", response_class=HTMLResponse)
async def users_active(request: Request, user_id: int, active: bool = Form(...)) -> HTMLResponse:
    visitor: Visitor = request.state.visitor
    user = _managed(request, user_id)
    engine = request.app.state.engine
    set_active(engine, user.username, active)
    log(engine, visitor.user.username, user.office_id, "启用用户" if active else "停用用户", user.username)
    if active:
        return _users_page(request, done=f"已启用 {user.username}，可以再登录")
    return _users_page(request, done=f"已停用 {user.username}：其已登录的会话已退出，不能再登录")


@router.post("/users/{user_id}/reset", response_class=HTMLResponse)
async def users_reset(request: Request, user_id: int) -> HTMLResponse:
    visitor: Visitor = request.state.visitor
    user = _managed(request, user_id)
    engine = request.app.state.engine
    password = reset_password(engine, user.username)
    log(engine, visitor.user.username, user.office_id, "重置密码", user.username)
    return _users_page(request, made=(user.username, password))


@router.get("/audit", response_class=HTMLResponse)
async def audit_page(request: Request) -> HTMLResponse:
    visitor: Visitor = request.state.visitor
    require_admin(visitor)
    engine = request.app.state.engine
    names = {o.id: o.name for o in subtree(engine, visitor.user.office_id)}
    return page(
        request, "audit.html", title="操作日志", entries=entries(engine, set(visitor.offices)), names=names
    )
