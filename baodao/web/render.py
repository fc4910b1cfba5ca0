"""Pages from Jinja2 templates (package data), with the visitor, the CSRF token and versioned static files."""

from __future__ import annotations

import hashlib
import urllib.parse
from functools import cache
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from fastapi.templating import Jinja2Templates

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
templates = Jinja2Templates(directory=str(HERE / "templates"))
# Served files get these types only; anything else goes out as a plain download.
TYPES = {
    ".pdf": "application/pdf",
    ".zip": "application/zip",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}


@cache
def static_url(name: str) -> str:
    """/static/NAME?v=HASH: a file's address changes with its content, so browsers never keep a stale one."""
    digest = hashlib.sha256((STATIC / name).read_bytes()).hexdigest()[:10]
    return f"/static/{name}?v={digest}"


def shown(value: object) -> str:
    """A stored value as a clerk reads it: lists joined with 、, nothing as （空）."""
    if value is None or value == "" or value == []:
        return "（空）"
    if isinstance(value, list):
        return "、".join(
            "；".join(f"{k}：{v}" for k, v in item.items() if v) if isinstance(item, dict) else str(item)
            for item in value
        )
    return str(value)


templates.env.globals["static_url"] = static_url
templates.env.filters["shown"] = shown


def page(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    visitor = getattr(request.state, "visitor", None)
    return templates.TemplateResponse(
        request, name, {"visitor": visitor, "csrf": visitor.csrf if visitor else "", **context}, status_code
    )


def download(path: Path, name: str, inline: bool = False) -> FileResponse:
    """A file under a Chinese name (RFC 5987 filename*), with a type that never runs in the browser."""
    media = TYPES.get(path.suffix.lower(), "application/octet-stream")
    return FileResponse(path, media_type=media, headers=_named(name, media, inline))


def attachment(data: bytes, name: str) -> Response:
    """Bytes made for this request (an export) as a download, named as ``download`` names files."""
    media = TYPES.get(Path(name).suffix.lower(), "application/octet-stream")
    return Response(data, media_type=media, headers=_named(name, media, False))


def _named(name: str, media: str, inline: bool) -> dict[str, str]:
    ascii_name = name.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_") or "download"
    quoted = urllib.parse.quote(name, safe="")
    disposition = (
        "inline" if inline and media in ("application/pdf", "image/png", "image/jpeg") else "attachment"
    )
    return {
        "Content-Disposition": f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quoted}",
        "X-Content-Type-Options": "nosniff",
    }
