"""Where baodao finds its bundled files and the external programs it runs."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
OUTPUT_DIR = PROJECT_ROOT / "output"
FONTCONFIG_FILE = PROJECT_ROOT / "fonts" / "fonts.conf"


def soffice_binary() -> str | None:
    """The LibreOffice executable, from BAODAO_SOFFICE or the PATH."""
    return os.environ.get("BAODAO_SOFFICE") or shutil.which("soffice") or shutil.which("libreoffice")


def font_environment() -> dict[str, str]:
    """Environment for child processes that lay out text, so they use the project's font map."""
    env = dict(os.environ)
    if FONTCONFIG_FILE.exists():
        env["FONTCONFIG_FILE"] = str(FONTCONFIG_FILE)
    return env
