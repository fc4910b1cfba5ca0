"""The programs and fonts baodao relies on: where they are, and what is missing, said so a clerk can act."""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from baodao.errors import ConversionError

# The font map ships inside the package; the faces it names are installed by scripts/setup-system.sh.
FONTCONFIG_FILE = Path(str(resources.files("baodao.office").joinpath("fonts.conf")))

# What each name a 公文 asks for must print with; a PDF in another face is not one a 组织部 sends out.
MAPPED_FACES = {
    "仿宋_GB2312": "FandolFang",
    "楷体_GB2312": "FandolKai",
    "方正小标宋简体": "Noto Serif CJK SC",
    "黑体": "Noto Sans CJK SC",
    "宋体": "Noto Serif CJK SC",
}
INSTALL_HINT = "请在项目目录运行 make demo（或 bash scripts/setup-system.sh）安装"


@dataclass(frozen=True)
class Requirement:
    """One thing baodao needs from the system, and whether this machine has it."""

    name: str
    found: str | None  # where or what was found; None when missing
    needed_for: str
    install: str


def soffice_binary() -> str | None:
    """The LibreOffice executable, from BAODAO_SOFFICE or the PATH; None when there is none to run."""
    chosen = os.environ.get("BAODAO_SOFFICE")
    if chosen:
        return shutil.which(chosen)
    return shutil.which("soffice") or shutil.which("libreoffice")


def font_environment() -> dict[str, str]:
    """Environment for child processes that lay out text, so they use the project's font map."""
    env = dict(os.environ)
    env["FONTCONFIG_FILE"] = str(FONTCONFIG_FILE)
    return env


@cache
def matched_face(asked: str) -> str | None:
    """The family fontconfig gives for ``asked`` under baodao's map, or None when fc-match is missing."""
    return _fc_match("%{family[0]}", asked)


def face_file(family: str) -> Path | None:
    """The font file fontconfig uses for ``family`` under baodao's map (tests draw handwriting with it)."""
    found = _fc_match("%{file}", family)
    return Path(found) if found and Path(found).is_file() else None


def _fc_match(what: str, family: str) -> str | None:
    """One property of the face fontconfig picks for ``family``, asked as LibreOffice would ask."""
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return None
    proc = subprocess.run(
        [fc_match, "-f", what, family],
        capture_output=True,
        text=True,
        env=font_environment(),
        check=False,
        timeout=30,
    )
    return proc.stdout.strip() or None


def missing_faces() -> list[str]:
    """Each mapped name whose face is not installed, as “仿宋_GB2312 → FandolFang”."""
    return [f"{asked} → {face}" for asked, face in MAPPED_FACES.items() if matched_face(asked) != face]


def require_libreoffice() -> str:
    """The soffice binary, with its fonts in place; else a ConversionError saying what to install."""
    binary = soffice_binary()
    if binary is None:
        raise ConversionError(f"找不到 LibreOffice（soffice），无法生成 PDF。{INSTALL_HINT} LibreOffice。")
    missing = missing_faces()
    if missing:
        raise ConversionError(
            f"缺少公文字体（{'；'.join(missing)}），生成的 PDF 字体会不对，因此未生成。{INSTALL_HINT}字体。"
        )
    return binary


def requirements() -> list[Requirement]:
    """Everything `baodao doctor` reports: programs, fonts and the font map."""
    found = [
        Requirement(
            "LibreOffice (soffice)",
            soffice_binary(),
            "PDF 与 .doc/.wps 转换",
            "apt-get install libreoffice-writer-nogui libreoffice-calc-nogui",
        ),
        Requirement(
            "pdftoppm (poppler)", shutil.which("pdftoppm"), "PDF 预览图", "apt-get install poppler-utils"
        ),
        Requirement(
            "pdfimages (poppler)",
            shutil.which("pdfimages"),
            "扫描件 PDF 的图像",
            "apt-get install poppler-utils",
        ),
        Requirement(
            "fc-match (fontconfig)", shutil.which("fc-match"), "检查字体", "apt-get install fontconfig"
        ),
        Requirement(
            "字体映射 fonts.conf",
            str(FONTCONFIG_FILE) if FONTCONFIG_FILE.is_file() else None,
            "公文字体",
            "重新安装 baodao",
        ),
    ]
    for asked, face in MAPPED_FACES.items():
        got = matched_face(asked)
        found.append(
            Requirement(
                f"字体 {asked} → {face}",
                got if got == face else None,
                "PDF 排版",
                "bash scripts/setup-system.sh（Fandol 字体、fonts-noto-cjk）",
            )
        )
    return found
