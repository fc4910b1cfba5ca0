"""The wheel, installed into a fresh environment and used from a folder of the user's own, as a user would.

Only `baodao` lands in site-packages; the database is made in the working folder; nothing is written inside
the package; PDFs come out in the mapped fonts.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from tests.conftest import pdf_fonts, write_roster

ROOT = Path(__file__).resolve().parent.parent
ROSTER = [
    [
        "SJ-2025-0001",
        "李晓燕",
        "女",
        36,
        "区卫健委 科员",
        "13803710001",
        "新安路18号院",
        "新安社区",
        "政策宣讲、法律援助",
        "新安社区党委",
    ],
    [
        "SJ-2025-0002",
        "王建国",
        "男",
        45,
        "区教育局 科长",
        "13803710002",
        "金华路3号",
        "金华社区",
        "文明劝导、环境整治",
        "金华社区党委",
    ],
]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment holding only the built wheel; dependencies come from the project's."""
    work = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(work),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    [wheel] = work.glob("baodao-*.whl")
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    fresh = {p.name for p in site_packages(venv).iterdir()}
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)]
    subprocess.run(pip, check=True, capture_output=True)
    site = site_packages(venv)
    (work / "added.txt").write_text(
        "\n".join(sorted({p.name for p in site.iterdir()} - fresh)), encoding="utf-8"
    )
    # Dependencies from the project's environment, after the fresh site-packages (so ours wins).
    (site / "zz-project-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    return venv


def site_packages(venv: Path) -> Path:
    return next((venv / "lib").glob("python3*/site-packages"))


def listing(folder: Path) -> dict[str, float]:
    return {
        str(p.relative_to(folder)): p.stat().st_mtime
        for p in folder.rglob("*")
        if "__pycache__" not in p.parts
    }


def baodao(venv: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("BAODAO_DB", "PYTHONPATH")}
    return subprocess.run(
        [str(venv / "bin" / "baodao"), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )


def test_the_wheel_installs_one_package_with_its_data(installed: Path) -> None:
    site = site_packages(installed)
    added = (installed.parent / "added.txt").read_text(encoding="utf-8").split()
    assert [a for a in added if not a.endswith((".dist-info", ".pth"))] == ["baodao"], added
    package = site / "baodao"
    for part in (
        "office/fonts.conf",
        "form_templates/zz-b1/template.docx",
        "form_templates/zz-b1/layout.json",
        "tally/policies/zhengzhou-2019.yaml",
        "store/migrations/versions/0001_issue_register.py",
        "tally/migrations/versions/t0001_tally.py",
        "data/roster/members-synthetic.xlsx",
    ):
        assert (package / part).is_file(), part
    assert not (package / "docgen").is_symlink()  # the folders themselves, not links back to a checkout


def test_installed_baodao_works_from_an_empty_folder(installed: Path, tmp_path: Path) -> None:
    site = site_packages(installed)
    before = listing(site / "baodao")
    folder = tmp_path / "我的工作"
    folder.mkdir()
    listed = baodao(installed, folder, "forms")
    assert listed.returncode == 0, listed.stderr
    assert "zz-b1" in listed.stdout and "在职党员社区报到证" in listed.stdout

    write_roster(folder / "名册.xlsx", ROSTER)
    made = baodao(
        installed,
        folder,
        "generate",
        "zz-b1",
        "--data",
        "名册.xlsx",
        "--out",
        "报到证",
        "--pdf",
        "--issue-date",
        "2025-03-01",
    )
    assert made.returncode == 0, made.stderr
    assert (folder / "baodao.sqlite3").is_file()  # the database where the user works
    pdf = folder / "报到证" / "zz-b1-combined.pdf"
    fonts = {name.split("+")[-1] for name, embedded in pdf_fonts(pdf) if embedded}
    assert "FandolFang-Regular" in fonts, fonts
    assert all(f.startswith(("Fandol", "Noto")) for f in fonts), fonts

    returned = sorted((folder / "报到证").glob("zz-b1-SJ-*.docx"))
    read = baodao(installed, folder, "intake", *map(str, returned), "--json")
    assert read.returncode == 0, read.stderr
    assert '"id": "SJ-2025-0002"' in read.stdout and "王建国" in read.stdout
    assert listing(site / "baodao") == before  # nothing written inside the package
