"""Files from the browser: copied in chunks under a size limit, then kept by hash in the office's store."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from fastapi import UploadFile

from baodao.errors import DataError
from baodao.intake.limits import Limits
from baodao.intake.safety import MB, check_file
from baodao.store.uploads import StoredUpload, keep, office_folder
from baodao.web.auth import NotFound
from baodao.web.settings import Settings

CHUNK = 1024 * 1024
_KEPT = re.compile(r"([0-9a-f]{64})(\.[a-z]{2,5})")


async def receive(upload: UploadFile, settings: Settings, office_id: int) -> StoredUpload:
    """The upload kept in the office's store; refused (DataError naming the file) when over the limit."""
    name = upload.filename or "未命名"
    limit = Limits.from_environment().max_file_mb * MB
    spool = settings.data_dir / "tmp"
    spool.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=spool, suffix=".part")
    tmp = Path(tmp_name)
    size = 0
    try:
        with open(fd, "wb") as out:
            while chunk := await upload.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise DataError(f"{name}：文件太大（上限 {limit / MB:g} MB）")
                out.write(chunk)
        return keep(settings.data_dir, office_id, tmp, name)
    finally:
        tmp.unlink(missing_ok=True)


def checked(stored: StoredUpload) -> None:
    """intake's checks on a file from outside, before any parser sees it (size, zip bombs, odd content)."""
    try:
        check_file(stored.path, Limits.from_environment())
    except DataError as exc:
        raise DataError(f"{stored.name}：{exc}") from exc


def ref(stored: StoredUpload) -> str:
    """How a page refers to a kept file: its hash and suffix, never a path."""
    return stored.path.name


def resolve(settings: Settings, office_id: int, given: str) -> Path:
    """The kept file a page referred to, in the visitor's own office's store; NotFound otherwise."""
    match = _KEPT.fullmatch(given)
    if match is None:
        raise NotFound()
    path = office_folder(settings.data_dir, office_id) / match.group(1)[:2] / given
    if not path.is_file():
        raise NotFound()
    return path
