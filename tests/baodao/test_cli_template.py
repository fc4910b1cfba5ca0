"""`baodao generate --template FILE`: an edited template checked first (refused with its findings when
broken), repaired when Word split a tag, kept as a version with its layout, and named by each form made."""

from __future__ import annotations

import zipfile
from pathlib import Path

from docx import Document
from sqlalchemy import Engine

from baodao.form_templates.catalog import get_form
from baodao.store.register import register_rows
from baodao.store.templates import version_by_id, version_content, version_layout
from tests.baodao.test_cli import run
from tests.word_edits import edited_zzc

ROSTER = "甲方,乙方,签订日期\n中共新安社区委员会,中共上街区人民医院委员会,2026-03-20\n"


def test_generate_with_an_edited_template_records_its_version(
    tmp_path: Path, db: str, engine: Engine
) -> None:
    edited = edited_zzc(get_form("zz-c").docx, tmp_path / "联建协议书-新安社区.docx")
    roster = tmp_path / "联建单位.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    out = tmp_path / "out"
    code, stdout, stderr = run(
        "generate", "zz-c", "--data", str(roster), "--out", str(out), "--blank", "负责人",
        "--template", str(edited), "--db", db,
    )  # fmt: skip
    assert code == 0, stdout + stderr
    assert "[已修复] 正文第3段" in stderr and "拆成了几段" in stderr
    assert "zz-c 的第 1 版" in stdout
    [made] = sorted(out.glob("zz-c-*-中共新安社区委员会.docx"))
    text = "".join(p.text for p in Document(str(made)).paragraphs)
    assert "报街道党工委备案壹份" in text and "中共新安社区委员会" in text
    [row] = register_rows(engine, {1})
    assert row.template_version_id is not None
    version = version_by_id(engine, row.template_version_id)
    assert version is not None and version.created_by == "命令行" and not version.active
    layout = version_layout(engine, version.id)
    assert layout is not None and len(layout["pages"]) == 4
    # The version holds the repaired file: the tag whole again.
    kept = tmp_path / "kept.docx"
    kept.write_bytes(version_content(engine, version.id))
    assert "{{ party_a or" in zipfile.ZipFile(kept).read("word/document.xml").decode()


def test_a_broken_template_is_refused_with_its_findings_and_nothing_is_made(
    tmp_path: Path, db: str, engine: Engine
) -> None:
    source = get_form("zz-c").docx
    with zipfile.ZipFile(source) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    members["word/document.xml"] = members["word/document.xml"].replace(b"{{ party_b", b"{{ partner")
    broken = tmp_path / "改坏了.docx"
    with zipfile.ZipFile(broken, "w") as out:
        for name, data in members.items():
            out.writestr(name, data)
    roster = tmp_path / "联建单位.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    code, _, stderr = run(
        "generate", "zz-c", "--data", str(roster), "--out", str(tmp_path / "out"), "--blank", "负责人",
        "--template", str(broken), "--db", db,
    )  # fmt: skip
    assert code != 0
    assert (
        "模板不能使用" in stderr and "“partner”不是表单 zz-c 的字段" in stderr and "[错误] 正文第" in stderr
    )
    assert not (tmp_path / "out").exists()
    assert register_rows(engine, {1}) == []
