"""How a workbench runs: its database, its data folder (files by hash, job outputs), its cookie secret."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

MB = 1024 * 1024


@dataclass(frozen=True)
class Settings:
    db: str  # a path or URL, as `--db` takes it
    data_dir: Path
    secret: str  # signs the session cookie
    secure_cookies: bool = False  # True behind HTTPS: the cookie is then sent over HTTPS only
    workers: int = 1  # job worker processes the server starts (0: jobs are run by workers started apart)
    max_upload_mb: float = 200.0  # one request's body: a batch of returns
    max_files: int = 200  # files in one upload

    @classmethod
    def make(cls, db: str, data_dir: Path, **kwargs: object) -> Settings:
        """Settings whose secret is kept in the data folder (made on first start, for its owner only)."""
        data_dir = data_dir.resolve()
        data_dir.mkdir(parents=True, exist_ok=True)
        key = data_dir / "secret.key"
        if not key.exists():
            fd = os.open(key, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_urlsafe(48))
        return cls(db=db, data_dir=data_dir, secret=key.read_text().strip(), **kwargs)  # type: ignore[arg-type]
