"""The limits the seeds state are checked, each failure named with its field in Chinese."""

from __future__ import annotations

from typing import cast

from baodao.form_templates.catalog import get_form
from baodao.form_templates.samples import sample_record
from baodao.form_templates.spec import Record
from baodao.form_templates.validate import validate


def messages(key: str, **changes: object) -> list[str]:
    spec = get_form(key).spec
    record = cast(Record, {**sample_record(spec), **changes})
    return [str(p) for p in validate(spec, record)]


def test_every_sample_is_valid(catalog: tuple) -> None:  # type: ignore[type-arg]
    for form in catalog:
        assert messages(form.key) == [], form.key


def test_required_and_counts_and_formats() -> None:
    assert messages("zz-b1", name="") == ["姓名：必填项未填写"]
    assert messages("zz-b1", intentions=["政策宣讲"]) == ["服务意向：至少应有2项，现有1项"]
    assert messages("zz-b1", phone="12345") == ["联系方式：“12345”不像电话号码（手机11位，或区号-号码）"]
    assert messages("zz-b1", age=17) == ["年龄：17 小于下限 18"]
    assert messages("zz-b1", phone="0371-68912345") == []


def test_length_limit_of_a_table_column() -> None:
    spec = get_form("rc-a1").spec
    record = sample_record(spec)
    projects = record["projects"]
    assert isinstance(projects, list)
    rows = [dict(p) for p in projects if isinstance(p, dict)]
    rows[0]["content"] = "字" * 151
    found = [str(p) for p in validate(spec, {**record, "projects": rows})]
    assert found == ["项目清单第1行“主要内容”：共151字，超过150字的限制"]
