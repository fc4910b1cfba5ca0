"""What this machine has: LibreOffice and the mapped fonts found, or a clear error saying what to install."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from baodao.cli import main
from baodao.errors import ConversionError
from baodao.office import programs
from baodao.office.pdf import convert_to_pdf


def test_every_mapped_name_prints_with_its_face() -> None:
    assert programs.missing_faces() == []
    assert programs.matched_face("仿宋_GB2312") == "FandolFang"
    assert programs.matched_face("方正小标宋简体") == "Noto Serif CJK SC"


def test_without_libreoffice_pdf_stops_and_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BAODAO_SOFFICE", str(tmp_path / "no-such-soffice"))
    docx = tmp_path / "a.docx"
    docx.write_bytes(b"")
    with pytest.raises(
        ConversionError, match=r"找不到 LibreOffice（soffice），无法生成 PDF。请在项目目录运行 make demo"
    ):
        convert_to_pdf([docx], tmp_path)
    assert not (tmp_path / "a.pdf").exists()


def test_without_a_mapped_face_no_pdf_is_made_in_the_wrong_fonts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(programs.MAPPED_FACES, "仿宋_GB2312", "方正仿宋_GBK")  # a face this machine lacks
    docx = tmp_path / "a.docx"
    docx.write_bytes(b"")
    with pytest.raises(ConversionError, match=r"缺少公文字体（仿宋_GB2312 → 方正仿宋_GBK）"):
        convert_to_pdf([docx], tmp_path)


def test_doctor_lists_what_is_there_and_what_is_missing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    result = CliRunner().invoke(main, ["doctor"])
    assert result.exit_code == 0 and "全部具备" in result.stdout
    assert "具备  字体 仿宋_GB2312 → FandolFang：FandolFang" in result.stdout
    monkeypatch.setenv("BAODAO_SOFFICE", str(tmp_path / "no-such-soffice"))
    result = CliRunner().invoke(main, ["doctor"])
    assert result.exit_code == 1
    assert (
        "缺少  LibreOffice (soffice)（用于PDF 与 .doc/.wps 转换）：apt-get install libreoffice-writer-nogui"
        in result.stdout
    )
