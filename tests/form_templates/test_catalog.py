"""The catalog holds every form FORMS.md lists, each with its spec and templates."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from baodao.errors import UnknownFormError
from baodao.form_templates.catalog import Form, get_form

FORMS_MD = Path(__file__).resolve().parents[3] / "shared" / "FORMS.md"
TABLE_FORMS = {"rc-a1", "rc-a2", "rc-a3", "rc-a4", "zz-f1", "zz-g1", "zs-member-stats"}


def listed_keys() -> set[str]:
    if not FORMS_MD.exists():
        pytest.skip(f"{FORMS_MD} is not beside the project")
    return set(re.findall(r"^\| ([a-z]{2}-[a-z0-9-]+) \|", FORMS_MD.read_text(encoding="utf-8"), re.M))


def test_every_listed_form_is_in_the_catalog(catalog: tuple[Form, ...]) -> None:
    keys = {f.key for f in catalog}
    assert len(listed_keys()) == 26
    assert keys == listed_keys()


def test_every_form_has_its_templates(catalog: tuple[Form, ...]) -> None:
    for form in catalog:
        assert form.docx.is_file(), form.key
        if form.key in TABLE_FORMS:
            assert form.xlsx is not None and form.xlsx.is_file(), form.key
        else:
            assert form.xlsx is None, form.key


def test_designed_forms_say_what_they_follow(catalog: tuple[Form, ...]) -> None:
    designed = {f.key for f in catalog if f.spec.designed_from_text}
    assert designed == {f.key for f in catalog if f.key.startswith("zs-") and f.key != "zs-posts"}
    for form in catalog:
        if form.spec.designed_from_text:
            assert form.spec.design_note and len(form.spec.design_note) > 10


def test_slips_with_receipts_mark_their_receipt_fields(catalog: tuple[Form, ...]) -> None:
    slips = {f.key for f in catalog if f.spec.has_receipt}
    assert {"yp-a1", "yp-a4", "zs-unit-slip", "zs-member-slip"} <= slips
    for key in slips:
        assert any(fld.part == "receipt" for fld in get_form(key).spec.fields)


def test_seed_limits_are_in_the_specs() -> None:
    assert get_form("zz-b1").spec.field("intentions").min_items == 2
    assert get_form("rc-a1").spec.field("projects").column("content").max_length == 150


def test_unknown_key_names_the_known_ones() -> None:
    with pytest.raises(UnknownFormError, match=r"没有名为“zz-x9”的表单.*zz-b1"):
        get_form("zz-x9")
