"""Hypothesis campaigns over the text that comes from outside: file names (any bytes a file system keeps)
and roster cell text (control characters, lone surrogates, right-to-left overrides, zero-width marks,
very long values), through generate, intake and export. `make fuzz` runs them much longer."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from sqlalchemy import Engine

from baodao.docgen.batch import GenerateOptions, generate
from baodao.form_templates.catalog import get_form
from baodao.intake.model import ReadRecord
from baodao.store.db import connect
from baodao.store.export import export_records
from baodao.store.records import current_records
from baodao.store.returns import IntakeReport, intake
from baodao.text import INVISIBLE, is_control, shown
from tests.docgen.test_hostile_rows import roster, row
from tests.intake import hostile_files as h

FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "8"))
FUZZ = settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# The characters the campaign found trouble with, mixed into ordinary text at will.
SPECIAL = ["\x00", "\x07", "\x0b", "\x0c", "\x1b", "\x1b[2J", "\r", "\x85", "\ud800", "\udcb0", "\ufffe"]
SPECIAL += [*INVISIBLE, "=", "+", "-", "@", "{{ x }}", "{% if %}", "/", "\\", "..", " ", "\t", "\n"]
CHINESE = st.characters(min_codepoint=0x4E00, max_codepoint=0x4E80)
CELL_TEXT = st.lists(st.sampled_from(SPECIAL) | CHINESE | st.characters(), min_size=1, max_size=40).map(
    "".join
)
LONG_TEXT = st.integers(1, 400).map(lambda n: "长" * n)
NAME_BYTES = (
    st.binary(min_size=1, max_size=200) | CELL_TEXT.map(lambda t: t.encode("utf-8", "surrogatepass"))
).map(lambda b: b[:200].replace(b"/", b"_").replace(b"\x00", b"_"))


def unseen(text: str) -> bool:
    """True when ``text`` holds nothing that breaks a file, a terminal or the database."""
    return not any(is_control(c) or c in INVISIBLE for c in text)


@pytest.fixture(scope="module", autouse=True)
def patient() -> Iterator[None]:
    """A minute a file: the campaign runs long on a shared machine, and a refusal for time (which the next
    run retries) is not what it looks for."""
    before = os.environ.get("BAODAO_SECONDS_PER_FILE")
    os.environ["BAODAO_SECONDS_PER_FILE"] = "60"
    yield
    if before is None:
        del os.environ["BAODAO_SECONDS_PER_FILE"]
    else:
        os.environ["BAODAO_SECONDS_PER_FILE"] = before


def refused_for_time(report: IntakeReport) -> bool:
    """True when the machine was too busy: every refusal is one the next run retries."""
    if report.rejected and all(r.retry for r in report.rejected):
        event("refused for time or memory on a busy machine (the next run retries)")
        return True
    return False


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    return connect(str(tmp_path_factory.mktemp("fuzz") / "db.sqlite3"))


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return h.docx(tmp_path_factory.mktemp("base") / "base.docx", "FUZZ-0")


def numbered() -> Iterator[int]:
    n = 0
    while True:
        n += 1
        yield n


COUNTER = numbered()


@FUZZ
@given(raw=NAME_BYTES)
def test_fuzz_file_names_through_intake_and_export(
    raw: bytes, engine: Engine, base: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = tmp_path_factory.mktemp("names")
    n = next(COUNTER)
    content = h.rewritten(
        base, folder.parent / f"content-{n}.docx", {"docProps/custom.xml": (b"FUZZ-0", f"FUZZ-{n}".encode())}
    )
    path = h.named(folder, raw[:200] + b".docx", content.read_bytes())
    report = intake([folder], engine)
    json.dumps(report.as_json(), ensure_ascii=False).encode("utf-8")  # the JSON contract prints
    if path.name.startswith(("~$", ".")):
        assert [s.source for s in report.skipped] == [path]
        event("skipped, with the reason")
        return
    event(
        "read, stored and exported" if shown(path) == path.name else "read, stored and exported, name escaped"
    )
    if refused_for_time(report):
        return
    [done] = report.returned
    assert (done.record.form_id, done.new) == (f"FUZZ-{n}", True), report.rejected
    assert unseen(shown(path)) and shown(path).endswith(".docx")
    rows = [r for r in current_records(engine, "zz-b1") if r.form_id == f"FUZZ-{n}"]
    assert [str(r.source) for r in rows] == [shown(path)]
    spec = get_form("zz-b1").spec
    export_records(spec, rows, folder.parent / f"export-{n}.xlsx")
    export_records(spec, rows, folder.parent / f"export-{n}.csv")


@FUZZ
@given(name=CELL_TEXT | LONG_TEXT, address=CELL_TEXT, number=st.just("SJ-1") | CELL_TEXT | LONG_TEXT)
def test_fuzz_roster_cells_through_generate_intake_and_export(
    name: str, address: str, number: str, engine: Engine, tmp_path_factory: pytest.TempPathFactory
) -> None:
    work = tmp_path_factory.mktemp("cells")
    spec = get_form("zz-b1").spec
    data = roster(work / "名册.json", [row(spec, name=name, home_address=address, number=number)])
    try:
        result = generate(get_form("zz-b1"), data, GenerateOptions(outdir=work / "out", combined=False))
    except Exception as exc:  # the one allowed answer when no row can be generated: a DataError
        assert type(exc).__name__ == "DataError", exc
        event("no form: the row's problem named")
        return
    event("a form generated, read back and exported")
    if result.problems:
        assert result.report is not None
        texts = [str(c.value) for r in load_workbook(result.report).active.iter_rows() for c in r if c.value]
        assert all(unseen(t.replace("\n", "")) for t in texts)
    [made] = [f for f in result.files if f.suffix == ".docx"]
    assert unseen(made.name) and len(made.name.encode()) < 255
    report = intake([made], engine)
    if refused_for_time(report):
        return
    assert not report.rejected, report.rejected
    for done in report.returned:
        assert isinstance(done.record, ReadRecord) and done.record.form == "zz-b1"
        values = json.dumps(done.record.fields, ensure_ascii=False)
        assert unseen(values.replace("\\n", "")), values
    rows = current_records(engine, "zz-b1")
    export_records(spec, rows, work / "export.xlsx")
    export_records(spec, rows, work / "export.csv")
    shutil.rmtree(work / "out")


@FUZZ
@given(comment=CELL_TEXT | LONG_TEXT, who=CELL_TEXT)
def test_fuzz_table_form_cells_through_its_spreadsheet_twin(
    comment: str, who: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    work = tmp_path_factory.mktemp("table")
    spec = get_form("zz-f1").spec
    members = [{"name": who, "reported": "是", "points": 3, "stars": 1, "comment": comment}]
    data = roster(work / "汇总.json", [row(spec, members=members)])
    try:
        result = generate(get_form("zz-f1"), data, GenerateOptions(outdir=work / "out", combined=False))
    except Exception as exc:
        assert type(exc).__name__ == "DataError", exc
        event("no form: the row's problem named")
        return
    event("a summary and its spreadsheet twin generated")
    for made in result.files:
        if made.suffix == ".xlsx":
            texts = [str(c.value) for r in load_workbook(made).active.iter_rows() for c in r if c.value]
            assert all(unseen(t.replace("\n", "")) for t in texts)
