"""The workbench application: routes, the guard on every one of them, errors as Chinese pages, job workers."""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from contextlib import asynccontextmanager
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine
from starlette.exceptions import HTTPException as StarletteHTTPException

from baodao.errors import BaodaoError
from baodao.store import jobs as queue
from baodao.store.db import connect
from baodao.web import pages, tallies
from baodao.web.auth import Forbidden, MustChangePassword, NotFound, NotSignedIn, guard
from baodao.web.render import STATIC, page
from baodao.web.settings import MB, Settings

log = logging.getLogger("baodao.web")
# Scripts from this server only; htmx is told (meta htmx-config) not to add an inline style of its own.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
FIRST_PASSWORD = "你用的是一次性密码：请先设一个自己的新密码，再做别的事。"
Scope = MutableMapping[str, Any]
ASGI = Callable[[Scope, Callable[[], Awaitable[Any]], Callable[[Any], Awaitable[None]]], Awaitable[None]]


def worker_prefix() -> str:
    return f"{socket.gethostname()}:web"


def start_workers(settings: Settings) -> list[subprocess.Popen[bytes]]:
    """The server's own job workers; each stops by itself when this process is gone."""
    return [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "baodao.jobs.worker",
                "--db",
                settings.db,
                "--data",
                str(settings.data_dir),
                "--parent",
                str(os.getpid()),
                "--name",
                f"{worker_prefix()}-{os.getpid()}-{n}",
            ],
            start_new_session=True,  # stopped with its file readers as one group
        )
        for n in range(settings.workers)
    ]


def _warm(engine: Engine, stop: threading.Event) -> None:
    """The 统计 views asked for recently, made again on a thread as the server starts (`tallies.warm`)."""
    try:
        done = tallies.warm(engine, stop)
    except BaodaoError:
        log.warning("预先统计未能进行", exc_info=True)
        return
    if done.views or done.failed:  # a new workbench has none to make, and nothing to say
        said = "预先统计完成：%d 个统计视图，%d 个未能统计，用时 %.1f 秒"
        log.info(said, done.views, done.failed, done.seconds)


def create_app(settings: Settings) -> FastAPI:
    engine = connect(settings.db)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Jobs this machine's server workers were running when it stopped: failed, and can be run again.
        # (On PostgreSQL procrastinate puts the chunks of a silent worker back in the queue instead.)
        if engine.dialect.name == "sqlite":
            queue.fail_interrupted(engine, worker_prefix())
        workers = start_workers(settings) if settings.workers else []
        stop = threading.Event()
        warming = threading.Thread(target=_warm, args=(engine, stop), name="baodao-warm", daemon=True)
        warming.start()
        try:
            yield
        finally:
            stop.set()
            warming.join(timeout=5)  # a tally under way ends with its view; the thread gives up after
            for w in workers:
                w.terminate()
            for w in workers:
                try:
                    w.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    os.killpg(w.pid, signal.SIGKILL)
            engine.dispose()

    app = FastAPI(lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)
    app.state.settings = settings
    app.state.engine = engine
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(pages.public)
    for router in pages.protected():
        app.include_router(router, dependencies=[Depends(guard)])
    _handle_errors(app)
    app.add_middleware(_Limits, max_body=int(settings.max_upload_mb * MB))
    return app


def _handle_errors(app: FastAPI) -> None:
    @app.exception_handler(NotSignedIn)
    async def _signin(request: Request, exc: NotSignedIn) -> Response:
        if request.method == "GET" and "hx-request" not in request.headers:
            return RedirectResponse("/login", status_code=303)
        return Response("请先登录", status_code=401, media_type="text/plain; charset=utf-8")

    @app.exception_handler(MustChangePassword)
    async def _new_password(request: Request, exc: MustChangePassword) -> Response:
        if request.method == "GET" and "hx-request" not in request.headers:
            return RedirectResponse("/password", status_code=303)
        return page(request, "error.html", 403, title="请先修改密码", message=FIRST_PASSWORD)

    @app.exception_handler(Forbidden)
    async def _forbidden(request: Request, exc: Forbidden) -> HTMLResponse:
        return page(request, "error.html", 403, title="不允许", message=exc.message)

    @app.exception_handler(NotFound)
    async def _not_found(request: Request, exc: NotFound) -> HTMLResponse:
        return page(request, "error.html", 404, title="找不到", message="没有这一项，或你无权查看。")

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> HTMLResponse:
        message = "没有这个页面。" if exc.status_code == 404 else "请求无法处理。"
        return page(request, "error.html", exc.status_code, title="出错了", message=message)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> HTMLResponse:
        return page(
            request, "error.html", 400, title="填写有误", message="表单填写不完整或格式不对，请返回检查。"
        )

    @app.exception_handler(BaodaoError)
    async def _baodao(request: Request, exc: BaodaoError) -> HTMLResponse:
        return page(request, "error.html", 400, title="无法完成", message=str(exc))

    @app.exception_handler(Exception)
    async def _bug(request: Request, exc: Exception) -> HTMLResponse:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return page(
            request, "error.html", 500, title="服务器出错", message="服务器出错了，请把时间告诉管理员。"
        )


class _Limits:
    """Refuse a body over the limit before it is read, and add the security headers to every answer."""

    def __init__(self, app: ASGI, max_body: int) -> None:
        self.app, self.max_body = app, max_body

    async def __call__(
        self, scope: Scope, receive: Callable[[], Awaitable[Any]], send: Callable[[Any], Awaitable[None]]
    ) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        if scope["method"] not in ("GET", "HEAD", "OPTIONS"):
            if length is None and b"transfer-encoding" in headers:
                await _plain(send, 411, "请求须注明长度")
                return
            if length is not None and (not length.isdigit() or int(length) > self.max_body):
                await _plain(send, 413, f"上传的内容太大（上限 {self.max_body // MB} MB），请分几次上传")
                return

        async def send_with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                extra = [
                    (b"content-security-policy", CSP.encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"x-frame-options", b"DENY"),
                    (b"referrer-policy", b"same-origin"),
                ]
                if not scope["path"].startswith("/static/"):
                    extra.append((b"cache-control", b"no-store"))
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)


async def _plain(send: Callable[[Any], Awaitable[None]], status: int, text: str) -> None:
    body = text.encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
