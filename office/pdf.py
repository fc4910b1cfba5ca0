"""PDF through real LibreOffice (headless): one process for a whole batch, with the project's font map."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from baodao.errors import ConversionError
from baodao.files import atomic_path
from baodao.office.programs import font_environment, require_libreoffice
from baodao.office.warm import convert_warm

SECONDS_PER_FILE = 20
MIN_TIMEOUT = 120


# Writer's PDF export leaves out the blank pages it inserts before a section that starts on an odd or an
# even page; a 公文 printed on both sides needs them (and its page numbers count them).
_KEEP_BLANK_PAGES = 'pdf:writer_pdf_Export:{"IsSkipEmptyPages":{"type":"boolean","value":"false"}}'


def convert_to_pdf(sources: Sequence[Path], outdir: Path, blank_pages: bool = False) -> list[Path]:
    """Convert DOCX/XLSX files to PDF in ``outdir`` with one LibreOffice run; returns the PDFs in order.

    ``blank_pages`` (DOCX only) keeps the blank pages Writer inserts so that a section starts on an odd or
    even page. Each PDF is converted in a private folder and moved into place whole, so a failed run
    leaves no half-written PDF beside the user's files.
    """
    if not sources:
        return []
    if len(sources) == 1:  # a worker keeps a soffice warm for these (office/warm.py)
        warm = convert_warm(sources[0], outdir, blank_pages)
        if warm is not None:
            return [warm]
    binary = require_libreoffice()
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="baodao-lo-") as work:
        profile = Path(work, "profile").as_uri()
        staging = Path(work, "pdf")
        cmd = [
            binary,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--nodefault",
            "--convert-to",
            _KEEP_BLANK_PAGES if blank_pages else "pdf",
            "--outdir",
            str(staging),
            *map(str, sources),
        ]
        timeout = max(MIN_TIMEOUT, SECONDS_PER_FILE * len(sources))
        try:
            proc = subprocess.run(
                cmd,
                capture_output=True,
                text=True,
                timeout=timeout,
                env=_lo_environment(work),
                stdin=subprocess.DEVNULL,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise ConversionError(
                f"LibreOffice 转换 PDF 超时（{timeout} 秒，{len(sources)} 个文件）"
            ) from exc
        results = []
        for src in sources:
            made = staging / (src.stem + ".pdf")
            if not made.exists():
                detail = (proc.stderr or proc.stdout).strip()[-400:]
                raise ConversionError(
                    f"LibreOffice 未能把 {src} 转换为 PDF（退出码 {proc.returncode}）：{detail}"
                )
            target = outdir / made.name
            with atomic_path(target) as tmp:
                shutil.move(made, tmp)
            results.append(target)
        return results


def _lo_environment(work: str) -> dict[str, str]:
    env = font_environment()
    env["HOME"] = work  # LibreOffice writes caches under HOME; keep them out of the user's
    env.setdefault("SAL_USE_VCLPLUGIN", "svp")
    return env
