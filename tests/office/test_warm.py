"""A warm soffice: the same PDF as a one-shot run, much sooner; started again when it dies, hangs or grows."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from baodao.errors import ConversionError
from baodao.office import warm
from baodao.office.pdf import convert_to_pdf
from tests.conftest import Specimen, pdf_text


@pytest.fixture
def kept_warm(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    if warm.uno_python() is None:
        pytest.skip("no Python with LibreOffice's uno module (Debian: python3-uno)")
    monkeypatch.setattr(warm, "_enabled", False)
    assert warm.keep_warm()
    yield
    if warm._office is not None:
        warm._office.stop()
        warm._office = None
    warm._enabled = False


def soffice_pid() -> int:
    """soffice.bin's process id (under its launcher, under the bridge)."""
    assert warm._office is not None and warm._office.alive()
    return next(p for p in warm._office.soffice_pids() if warm._is_soffice(p))


def test_a_warm_pdf_is_the_one_shot_pdf_and_comes_sooner(
    kept_warm: None, specimens: dict[str, Specimen], tmp_path: Path
) -> None:
    source = specimens["zz-b1"].docx
    first = convert_to_pdf([source], tmp_path / "first")[0]  # starts soffice
    began = time.monotonic()
    again = convert_to_pdf([source], tmp_path / "again")[0]
    took = time.monotonic() - began
    assert pdf_text(first) == pdf_text(again) == specimens["zz-b1"].text
    assert took < 3.0, took  # ~0.3 s on an idle machine (bench/scale.py); a one-shot run takes ~1 s more


def test_a_dead_or_hung_soffice_is_started_again(
    kept_warm: None, specimens: dict[str, Specimen], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = specimens["zz-b1"].docx
    convert_to_pdf([source], tmp_path / "a")
    dead = soffice_pid()
    os.kill(dead, signal.SIGKILL)
    assert convert_to_pdf([source], tmp_path / "b")[0].is_file()
    hung = soffice_pid()
    assert hung != dead
    os.kill(hung, signal.SIGSTOP)  # alive but answering nothing
    monkeypatch.setattr(warm, "TIMEOUT", 3.0)
    with pytest.raises(ConversionError, match="超时"):
        convert_to_pdf([source], tmp_path / "c")
    assert warm._office is None  # killed, not left stopped
    monkeypatch.setattr(warm, "TIMEOUT", 300.0)
    assert convert_to_pdf([source], tmp_path / "d")[0].is_file()
    assert soffice_pid() not in (dead, hung)


def test_a_soffice_grown_past_the_memory_cap_is_started_again(
    kept_warm: None, specimens: dict[str, Specimen], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = specimens["zz-b1"].docx
    convert_to_pdf([source], tmp_path / "a")
    assert warm._office is not None and warm._office.memory_mb() > 50
    monkeypatch.setenv("BAODAO_OFFICE_MAX_MB", "50")
    made = convert_to_pdf([source], tmp_path / "b")[0]
    assert made.is_file() and warm._office is None  # converted, then let go: the next one starts anew
