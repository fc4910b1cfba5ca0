"""Files handed in through the workbench, kept by content (SHA-256) in each office's folder."""

from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from baodao.files import atomic_path

# Only these suffixes are kept; any other name is stored as .bin and so read as nothing.
KEPT_SUFFIXES = (".docx", ".xlsx", ".xlsm", ".csv", ".pdf", ".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp")


@dataclass(frozen=True)
class StoredUpload:
    sha256: str
    path: Path
    size: int
    name: str  # as the user's file was called (for pages and messages only, never for paths)


def office_folder(data_dir: Path, office_id: int) -> Path:
    return data_dir / "offices" / str(int(office_id)) / "files"


def safe_suffix(name: str) -> str:
    suffix = Path(name.replace("\\", "/")).suffix.lower()
    return suffix if suffix in KEPT_SUFFIXES else ".bin"


def keep(data_dir: Path, office_id: int, source: Path, name: str) -> StoredUpload:
    """Move ``source`` into the office's store under its hash (the same content is kept once)."""
    with source.open("rb") as fh:
        digest = hashlib.file_digest(fh, "sha256").hexdigest()
    target = office_folder(data_dir, office_id) / digest[:2] / (digest + safe_suffix(name))
    size = source.stat().st_size
    if not target.exists():
        with atomic_path(target) as tmp:
            shutil.copyfile(source, tmp)
            os.chmod(tmp, 0o640)
    source.unlink(missing_ok=True)
    return StoredUpload(digest, target, size, Path(name.replace("\\", "/")).name[:255])
