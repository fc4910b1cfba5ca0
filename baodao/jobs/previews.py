"""A picture of each form's first page, blank, for the 模板 page: rendered once by LibreOffice and pdftoppm
and kept in the data folder under the template's hash (never inside the installed package)."""

from __future__ import annotations

import fcntl
import hashlib
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from baodao.docgen.render import render_docx
from baodao.files import atomic_path
from baodao.form_templates.catalog import Form
from baodao.office.images import pdf_to_png
from baodao.office.pdf import convert_to_pdf

DPI = 60  # an A4 page 497 × 702 pixels: readable labels, small files


def preview_path(cache: Path, form: Form) -> Path:
    return kept_preview(cache, form.key, hashlib.sha256(form.docx.read_bytes()).hexdigest())


def kept_preview(cache: Path, key: str, sha256: str) -> Path:
    """Where the preview of a template with this content is kept (rendered or not yet)."""
    return cache / f"{key}-{sha256[:16]}.png"


def previews(cache: Path, chosen: Sequence[Form]) -> dict[str, Path]:
    """Each form's preview, rendering those not yet kept in one LibreOffice run. Requests arriving
    together wait for one another (a lock file) rather than each starting LibreOffice."""
    wanted = {f.key: preview_path(cache, f) for f in chosen}
    missing = [f for f in chosen if not wanted[f.key].exists()]
    if missing:
        with _locked(cache / ".lock"):
            missing = [f for f in missing if not wanted[f.key].exists()]
            if missing:
                _render(missing, cache)
    return wanted


def _render(missing: Sequence[Form], cache: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="baodao-preview-") as work:
        docs = [render_docx(f.docx, f.spec, {}, Path(work) / f"{f.key}.docx") for f in missing]
        for form, pdf in zip(missing, convert_to_pdf(docs, Path(work)), strict=True):
            first = pdf_to_png(pdf, DPI)[0]
            with atomic_path(preview_path(cache, form)) as tmp:
                shutil.copyfile(first, tmp)


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)
