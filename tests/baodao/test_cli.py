"""The CLI translates: usage errors exit 2, library errors print `Error: …` and exit 1."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner
from docx import Document

from baodao.cli import main
from form_templates.catalog import Form, get_form


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_forms_lists_the_catalog(catalog: tuple[Form, ...]) -> None:
    code, out, _ = run("forms")
    assert code == 0
    lines = out.strip().splitlines()
    assert len(lines) == len(catalog)
    assert any(line.startswith("zz-b1") and "在职党员社区报到证" in line for line in lines)


def test_forms_json_gives_every_spec(catalog: tuple[Form, ...]) -> None:
    code, out, _ = run("forms", "--json")
    assert code == 0
    specs = json.loads(out)
    assert [s["key"] for s in specs] == [f.key for f in catalog]
    b1 = next(s for s in specs if s["key"] == "zz-b1")
    intentions = next(f for f in b1["fields"] if f["name"] == "intentions")
    assert intentions == {**intentions, "label": "服务意向", "type": "list", "min_items": 2, "required": True}


def test_forms_show_prints_names_and_labels() -> None:
    code, out, _ = run("forms", "show", "zz-b1")
    assert code == 0
    assert "intentions" in out and "服务意向" in out and "至少2项" in out
    code, out, _ = run("forms", "show", "zz-b1", "--json")
    assert json.loads(out)["id_field"] == "number"


def test_unknown_form_is_an_error_not_a_traceback() -> None:
    code, _, err = run("forms", "show", "nope")
    assert code == 1
    assert err.startswith("Error: 没有名为“nope”的表单")


def test_usage_error_exits_two() -> None:
    code, _, _ = run("forms", "sample")
    assert code == 2


def test_check_reports_a_bad_copy_in_chinese(tmp_path: Path) -> None:
    edited = tmp_path / "copy.docx"
    shutil.copy(get_form("zz-b1").docx, edited)
    doc = Document(str(edited))
    cell = doc.tables[0].cell(0, 1)
    cell.paragraphs[0].runs[0].text = "{{ nickname }}"
    doc.save(str(edited))
    code, out, _ = run("forms", "check", str(edited))
    assert code == 1
    assert "zz-b1" in out and "不通过" in out
    assert "正文第1个表格第1行第2列第1段" in out and "“nickname”不是表单 zz-b1 的字段" in out


def test_check_fix_never_overwrites(tmp_path: Path) -> None:
    src = tmp_path / "copy.docx"
    shutil.copy(get_form("zz-b1").docx, src)
    code, _, err = run("forms", "check", str(src), "--fix-to", str(src))
    assert code == 1 and "已存在，未覆盖" in err


def test_sample_writes_docx_and_pdf(tmp_path: Path) -> None:
    code, out, _ = run("forms", "sample", "zz-b1", "--out", str(tmp_path), "--pdf")
    assert code == 0, out
    assert (tmp_path / "zz-b1.docx").is_file() and (tmp_path / "zz-b1.pdf").is_file()
    text = "".join(
        p.text for p in Document(str(tmp_path / "zz-b1.docx")).tables[0].rows[0].cells[1].paragraphs
    )
    assert text == "李晓燕"
