"""A spec that does not fit is refused with the file and the key named."""

from __future__ import annotations

from pathlib import Path

import pytest

from baodao.errors import SpecError
from baodao.form_templates.loader import read_spec

GOOD = """\
key: xx-demo
title: 测试表
seed: "003"
appendix: 表X.1
kind: card
fields:
  - {name: name, label: 姓名, type: text, required: true}
  - {name: gender, label: 性别, type: choice, options: [男, 女]}
  - name: rows
    label: 服务记录
    type: table
    rows: 5
    columns:
      - {name: day, label: 日期, type: date}
      - {name: content, label: 服务内容, type: text, max_length: 150}
"""


def write(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "xx-demo"
    folder.mkdir()
    path = folder / "spec.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_spec_loads_typed(tmp_path: Path) -> None:
    spec = read_spec(write(tmp_path, GOOD))
    assert spec.field_names == ("name", "gender", "rows")
    assert spec.field("gender").options == ("男", "女")
    assert spec.field("rows").column("content").max_length == 150
    assert [f.name for f in spec.required_fields] == ["name"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("label: 姓名", "label: 姓名, colour: red"), r"fields\[0\].*不认识的键“colour”"),
        (("name: name,", "name: Name,"), r"fields\[0\]\.name.*snake_case"),
        (("options: [男, 女]", "options: []"), r"fields\[1\]\.options.*选项"),
        (("type: text, required", "type: txt, required"), r"fields\[0\]\.type.*“txt”不是可用的值"),
        (
            ("{name: day, label: 日期, type: date}", "{name: day, label: 日期, type: table}"),
            r"fields\[2\]\.columns\[0\]\.type.*单个值",
        ),
        (("key: xx-demo", "key: xx-other"), r"key.*应与所在文件夹名“xx-demo”一致"),
        (("{name: gender,", "{name: name,"), r"fields.*名称“name”重复"),
    ],
)
def test_a_bad_spec_names_file_and_key(tmp_path: Path, change: tuple[str, str], message: str) -> None:
    path = write(tmp_path, GOOD.replace(*change))
    with pytest.raises(SpecError, match=message) as info:
        read_spec(path)
    assert str(path) in str(info.value)


def test_receipt_fields_need_has_receipt(tmp_path: Path) -> None:
    text = GOOD.replace("type: text, required: true}", "type: text, required: true, part: receipt}")
    with pytest.raises(SpecError, match="has_receipt"):
        read_spec(write(tmp_path, text))


def test_unreadable_yaml_is_reported(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match="无法读取"):
        read_spec(write(tmp_path, "key: [unclosed"))
