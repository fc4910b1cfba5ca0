"""Offices, users and the audit log: an administrator manages the offices under their own, and no others."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from baodao.store.accounts import ROLES, add_user, new_password, users_in
from baodao.store.audit import entries, log
from baodao.store.offices import KINDS, add_office, subtree
from baodao.web.auth import Visitor, require_admin
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


@router.get("/users", response_class=HTMLResponse)
async def users_page(request: Request) -> HTMLResponse:
    visitor: Visitor = request.state.visitor
    engine = request.app.state.engine
    require_admin(visitor)
    return page(
        request,
        "users.html",
        title="用户",
        users=users_in(engine, set(visitor.offices)),
        tree=subtree(engine, visitor.user.office_id),
        roles=ROLES,
        made=None,
    )


@router.post("/users", response_class=HTMLResponse)
async def users_add(
    request: Request, username: str = Form(...), role: str = Form(...), office: int = Form(...)
) -> HTMLResponse:
    visitor: Visitor = request.state.visitor
    require_admin(visitor)
    visitor.check(office)
    engine = request.app.state.engine
    password = new_password()
    add_user(engine, username, password, role, office)
    log(engine, visitor.user.username, office, "新建用户", username, {"role": role})
    return page(
        request,
        "users.html",
        title="用户",
        users=users_in(engine, set(visitor.offices)),
        tree=subtree(engine, visitor.user.office_id),
        roles=ROLES,
        made=(username, password),
    )


@router.get("/audit", response_class=HTMLResponse)
async def audit_page(request: Request) -> HTMLResponse:
    visitor: Visitor = request.state.visitor
    require_admin(visitor)
    engine = request.app.state.engine
    names = {o.id: o.name for o in subtree(engine, visitor.user.office_id)}
    return page(
        request, "audit.html", title="操作日志", entries=entries(engine, set(visitor.offices)), names=names
    )
