"""The 模板 page's pictures: each template's first page rendered once, kept under its content's hash."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from PIL import Image

from baodao.form_templates.catalog import Form, get_form
from baodao.jobs.previews import kept_preview, previews
from tests.word_edits import edited_zzc


def test_a_preview_is_rendered_once_and_an_edited_template_gets_its_own(tmp_path: Path) -> None:
    bundled = get_form("zz-c")
    folder = tmp_path / "version"
    folder.mkdir()
    edited_zzc(bundled.docx, folder / "template.docx")
    version = Form(bundled.spec, folder)
    cache = tmp_path / "previews"
    made = previews(cache, [bundled])["zz-c"]
    with Image.open(made) as picture:
        assert picture.size == (497, 702)  # an A4 page at 60 dpi, as pdftoppm rounds it
    stamp = made.stat().st_mtime_ns
    assert previews(cache, [bundled])["zz-c"].stat().st_mtime_ns == stamp  # kept, not rendered again
    own = previews(cache, [version])["zz-c"]
    assert own != made and own.exists()
    digest = hashlib.sha256((folder / "template.docx").read_bytes()).hexdigest()
    assert own == kept_preview(cache, "zz-c", digest)
    assert own.read_bytes() != made.read_bytes()  # the added clauses show
    shutil.rmtree(folder)
