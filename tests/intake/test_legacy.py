"""Returns in old formats: forms saved by LibreOffice as Word 97 (.doc, and as .wps, WPS 文字's own
extension for the same binary layout) and Excel 97 (.xls, and .et), read like their DOCX/XLSX twins,
in the sandboxed worker, with nothing written beside the returned file.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from baodao.docgen.render import render_docx
from baodao.form_templates.catalog import get_form
from baodao.form_templates.samples import sample_record
from baodao.intake.limits import Limits
from baodao.intake.model import ReadRecord, Rejected
from baodao.intake.run import read_file
from baodao.intake.worker import ReadingWorker
from baodao.office.programs import font_environment, soffice_binary
from baodao.office.xlsx import fill_xlsx

DOCX_FORMS = ("zz-b1", "zz-b2", "yp-a3")
XLSX_FORM = "zz-f1"


def save_as(sources: list[Path], target: str, outdir: Path) -> list[Path]:
    """Each source saved by LibreOffice in an old format (``doc:MS Word 97``), as a clerk's Office would."""
    binary = soffice_binary()
    if binary is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="baodao-test-lo-") as work:
        env = font_environment() | {"HOME": work, "SAL_USE_VCLPLUGIN": "svp"}
        profile = f"-env:UserInstallation={Path(work, 'profile').as_uri()}"
        cmd = [binary, profile, "--headless", "--norestore", "--convert-to", target, "--outdir", str(outdir)]
        subprocess.run([*cmd, *map(str, sources)], check=True, capture_output=True, env=env, timeout=300)
    suffix = target.split(":")[0]
    return [outdir / f"{s.stem}.{suffix}" for s in sources]


@pytest.fixture(scope="module")
def twins(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path]]:
    """Each returned file in its old format, in a folder of its own, with its DOCX/XLSX twin."""
    work = tmp_path_factory.mktemp("legacy")
    docx = []
    for n, key in enumerate(DOCX_FORMS):
        form = get_form(key)
        docx.append(
            render_docx(form.docx, form.spec, sample_record(form.spec), work / f"{key}.docx", f"OLD-{n}")
        )
    table = get_form(XLSX_FORM)
    assert table.xlsx is not None
    xlsx = fill_xlsx(table.xlsx, table.spec, sample_record(table.spec), work / f"{XLSX_FORM}.xlsx")
    docs = save_as(docx, "doc:MS Word 97", work / "doc")
    sheets = save_as([xlsx], "xls:MS Excel 97", work / "xls")
    out: dict[str, tuple[Path, Path]] = {}
    for twin, old in zip(docx, docs, strict=True):
        out[f"{twin.stem}.doc"] = (twin, old)
        wps = work / "wps" / f"{twin.stem}.wps"
        wps.parent.mkdir(exist_ok=True)
        out[f"{twin.stem}.wps"] = (twin, Path(shutil.copy(old, wps)))
    out[f"{XLSX_FORM}.xls"] = (xlsx, sheets[0])
    et = work / "et" / f"{XLSX_FORM}.et"
    et.parent.mkdir()
    out[f"{XLSX_FORM}.et"] = (xlsx, Path(shutil.copy(sheets[0], et)))
    return out


@pytest.fixture(scope="module")
def worker() -> Iterator[ReadingWorker]:
    with ReadingWorker(Limits()) as made:
        yield made


@pytest.mark.parametrize(
    "name",
    [f"{k}.{s}" for k in DOCX_FORMS for s in ("doc", "wps")]
    + [
        f"{XLSX_FORM}.xls",
        f"{XLSX_FORM}.et",
    ],
)
def test_old_format_reads_like_its_twin(
    twins: dict[str, tuple[Path, Path]], worker: ReadingWorker, name: str
) -> None:
    twin, old = twins[name]
    before = sorted(p.name for p in old.parent.iterdir())
    read = worker.read(old)
    assert isinstance(read, ReadRecord), getattr(read, "reason", read)
    expected = read_file(twin)
    assert isinstance(expected, ReadRecord)
    assert (read.form, read.form_id, read.fields) == (expected.form, expected.form_id, expected.fields)
    assert read.source == old
    assert read.as_json()["note"] == f"由 {old.suffix} 转换后读取"
    assert sorted(p.name for p in old.parent.iterdir()) == before  # no lock file, no converted copy


def test_docx_given_a_doc_name_is_read_as_docx(twins: dict[str, tuple[Path, Path]], tmp_path: Path) -> None:
    twin, _ = twins["zz-b1.doc"]
    renamed = Path(shutil.copy(twin, tmp_path / "报到证.doc"))
    read = read_file(renamed)
    assert isinstance(read, ReadRecord)
    assert read.form == "zz-b1"
    assert read.form_id == "OLD-0"


def test_text_file_named_doc_is_refused_with_its_reason(tmp_path: Path) -> None:
    fake = tmp_path / "回执.doc"
    fake.write_text("这不是 Word 文件", encoding="utf-8")
    read = read_file(fake)
    assert isinstance(read, Rejected)
    assert "内容却不是 Word、WPS 或 Excel 文件" in read.reason


def test_damaged_doc_is_refused_with_a_remedy(twins: dict[str, tuple[Path, Path]], tmp_path: Path) -> None:
    _, old = twins["zz-b1.doc"]
    broken = tmp_path / "坏.doc"
    broken.write_bytes(old.read_bytes()[:2048])  # the header survives, the document does not
    read = read_file(broken)
    assert isinstance(read, Rejected)
    assert "另存为 .docx" in read.reason
    assert sorted(p.name for p in tmp_path.iterdir()) == ["坏.doc"]


def test_the_cli_says_a_return_was_read_from_its_conversion(
    twins: dict[str, tuple[Path, Path]], tmp_path: Path
) -> None:
    from click.testing import CliRunner

    from baodao.cli import main

    _, old = twins["zz-b2.wps"]
    db = str(tmp_path / "cli.sqlite3")
    result = CliRunner().invoke(main, ["intake", str(old), "--db", db])
    assert result.exit_code == 0, result.output
    assert f"已读入 {old}（由 .wps 转换后读取）：zz-b2" in result.stdout
