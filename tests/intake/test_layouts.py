"""Which layout a scan is laid over: its template version's, by form key and id, else the bundled one."""

from __future__ import annotations

import dataclasses

from baodao.intake.layout import Layouts, layout_of


def test_a_form_made_from_a_version_gets_its_layout_and_others_the_bundled_one() -> None:
    bundled = layout_of("zz-c")
    version = dataclasses.replace(bundled, template_sha256="0" * 64)
    layouts = Layouts({("zz-c", "LJ-1"): version})
    assert layouts.of("zz-c", "LJ-1") is version
    assert layouts.of("zz-c", "LJ-2") is bundled
    assert layouts.of("zz-c", None) is bundled  # no id read from the page: the bundled layout
    assert Layouts().of("zz-b1", "SJ-1") is layout_of("zz-b1")
