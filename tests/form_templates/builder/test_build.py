"""The bundled templates are exactly what their layouts build, so no layout change goes unbuilt."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from baodao.form_templates.builder.__main__ import build
from baodao.form_templates.catalog import Form, forms


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


@pytest.mark.parametrize("form", forms(), ids=lambda f: f.key)
def test_committed_templates_match_their_layouts(form: Form, tmp_path: Path) -> None:
    for made in build(form, tmp_path):
        committed = members(form.folder / made.name)
        fresh = members(made)
        assert sorted(fresh) == sorted(committed)
        stale = [name for name in fresh if fresh[name] != committed[name]]
        assert stale == [], f"{form.folder / made.name} is stale in {stale}: run `make templates`"
