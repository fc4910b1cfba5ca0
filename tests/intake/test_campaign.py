"""The second hostile campaign: a folder ``H`` of hostile and unlucky files, built here, read by
`baodao intake` as a clerk runs it. No crash, a plain reason for every refusal, the valid files of the
batch stored, nothing reported that was not stored, within the time and memory promised."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine

from baodao.form_templates.catalog import get_form
from baodao.form_templates.spec import JsonValue
from baodao.intake.clean import checked
from baodao.intake.limits import Limits
from baodao.intake.model import ReadRecord, Rejected
from baodao.store.db import connect
from baodao.store.export import export_records
from baodao.store.records import StoredRecord, current_records, doubtful, ingest, record
from baodao.store.returns import intake
from baodao.text import is_control
from tests.intake import hostile_files as h

SECONDS = Limits().seconds_per_file
MEMORY_MB = 768
# What a clerk must never see: Python's own words.
PYTHON_WORDS = ("Error", "Exception", "Traceback", "errno", "object", "NoneType")
EXPECTED_REFUSALS = {
    "bomb.pdf": "内存上限",
    "dup.docx": "“word/document.xml”出现了两次",
    "huge.png": "图片像素过多",
    "locked.pdf": "PDF 有密码保护",
    "longid.docx": "编号长 200 个字符，超过上限 120",
    "loop.tiff": "太小",
    "mediabox.pdf": "页面尺寸不对",
    "tiny.png": "图片只有 1×1 像素",
    "wide.png": "图片像素过多",
    "vector199.pdf": "PDF 共 199 页，页面上没有可读的文字",
    "\\x1b[2J\\x1b[H已读入 假的.docx": "内容却不是 Office 文件",
}
EXPECTED_SKIPS = {
    ".hidden.docx": "隐藏",
    "~$lock.docx": "临时文件",
    "linked-folder": "文件夹链接",
    "environ.docx": "文件链接",
}
STORED = {
    "valid.docx",
    "valid.xlsx",
    "sym.docx",
    "rtl.docx",
    "\\xc0\\xee\\xcf\\xfe\\xd1\\xe0.docx",
}


def build(root: Path) -> Path:
    """The folder H, and beside it a folder its link points to and the bases edited copies start from."""
    folder, base, elsewhere = root / "H", root / "base", root / "elsewhere"
    for made in (folder, base, elsewhere):
        made.mkdir(parents=True)
    valid = h.docx(folder / "valid.docx", "OK-1")
    h.xlsx(folder / "valid.xlsx")
    h.named(folder, h.GBK_NAME, h.docx(base / "gbk.docx", "GBK-1").read_bytes())
    h.with_symbol(h.docx(base / "sym.docx", "SYM-1"), folder / "sym.docx", "D800")
    h.docx(folder / "longid.docx", "L" * 200)
    h.docx(folder / "rtl.docx", "RTL-1", name=h.RTL_NAME)
    h.flate_bomb_pdf(folder / "bomb.pdf")
    h.png(folder / "huge.png", 12207, 12207)  # 149 million pixels in 34 KB
    h.png(folder / "tiny.png", 1, 1)
    h.png(folder / "wide.png", 400_000, 300)
    h.tiff_with_ifd_loop(folder / "loop.tiff")
    h.page_pdf(folder / "mediabox.pdf", b"0 0 m 10 10 l S", media_box="0 0 14400000 14400000")
    h.encrypted_pdf(folder / "locked.pdf")
    h.blank_pdf(folder / "vector199.pdf", 199)
    h.duplicated_part(h.docx(base / "dup.docx", "DUP-1"), folder / "dup.docx")
    (folder / h.ESCAPE_NAME).write_bytes(b"not a form")
    os.symlink("/proc/self/environ", folder / "environ.docx")
    h.docx(elsewhere / "linked.docx", "LNK-1")
    os.symlink(elsewhere, folder / "linked-folder")
    shutil.copy(valid, folder / ".hidden.docx")
    shutil.copy(valid, folder / "~$lock.docx")
    return folder


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str
    seconds: float
    peak_mb: float  # the largest resident size of baodao and its workers


def baodao(*args: str, env: dict[str, str] | None = None) -> Run:
    """`baodao ARGS` in a process of its own, measured by a small parent that waits for it."""
    measure = (
        "import resource, subprocess, sys; done = subprocess.run(sys.argv[1:]); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); "
        "sys.exit(done.returncode)"
    )
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", measure, sys.executable, "-m", "baodao.cli", *args],
        capture_output=True,
        env={**os.environ, **(env or {})},
    )
    seconds = time.perf_counter() - start
    err = done.stderr.decode("utf-8")
    *lines, peak = err.rstrip("\n").split("\n")
    return Run(done.returncode, done.stdout.decode("utf-8"), "\n".join(lines), seconds, int(peak) / 1024)


@dataclass(frozen=True)
class Campaign:
    folder: Path
    db: str
    first: Run
    report: dict[str, object]
    again: Run
    text: Run


@pytest.fixture(scope="module")
def campaign(tmp_path_factory: pytest.TempPathFactory) -> Campaign:
    root = tmp_path_factory.mktemp("campaign")
    folder = build(root)
    db = str(root / "db.sqlite3")
    first = baodao("intake", str(folder), "--db", db, "--json")
    again = baodao("intake", str(folder), "--db", db, "--json")
    text = baodao("intake", str(folder), "--db", db)
    return Campaign(folder, db, first, json.loads(first.out), again, text)


def by_name(items: object) -> dict[str, dict[str, object]]:
    assert isinstance(items, list)
    return {str(item["source"]).rsplit("/", 1)[-1]: item for item in items}


def test_no_file_crashes_the_batch_and_each_refusal_has_its_plain_reason(campaign: Campaign) -> None:
    assert campaign.first.code == 1, campaign.first.err  # files were refused: exit 1, no traceback
    assert "Traceback" not in campaign.first.err
    refused = {name: str(item["reason"]) for name, item in by_name(campaign.report["rejected"]).items()}
    assert set(refused) == set(EXPECTED_REFUSALS)
    for name, words in EXPECTED_REFUSALS.items():
        assert words in refused[name], (name, refused[name])
        assert not any(word in refused[name] for word in PYTHON_WORDS), (name, refused[name])


def test_what_was_skipped_is_said_with_the_reason(campaign: Campaign) -> None:
    skipped = by_name(campaign.report["skipped"])
    assert set(skipped) == set(EXPECTED_SKIPS)
    for name, words in EXPECTED_SKIPS.items():
        assert words in str(skipped[name]["reason"]), name


def test_the_valid_files_are_stored_and_every_reported_record_is_stored(campaign: Campaign) -> None:
    records = by_name(campaign.report["records"])
    assert set(records) == STORED
    engine = connect(campaign.db)
    for name, item in records.items():
        stored = record(engine, int(str(item["record"])))
        assert (stored.form_key, stored.form_id, stored.fields) == (
            item["form"],
            item["id"],
            item["fields"],
        ), name
        assert str(stored.source).rsplit("/", 1)[-1] == name


def test_the_batch_keeps_its_time_and_memory_promise(campaign: Campaign) -> None:
    files = len(list(campaign.folder.iterdir()))
    # The promise is a limit a file, enforced by stopping the worker: generous for a loaded machine.
    assert campaign.first.seconds < SECONDS * files
    assert campaign.first.peak_mb < MEMORY_MB, campaign.first.peak_mb


def test_values_are_clean_and_invisible_marks_flagged(campaign: Campaign) -> None:
    records = by_name(campaign.report["records"])
    rtl = records["rtl.docx"]
    assert rtl["fields"]["name"] == "李晓燕"  # type: ignore[index]
    [issue] = [i for i in rtl["issues"] if i["field"] == "name"]  # type: ignore[attr-defined]
    assert "从右到左覆盖" in issue["message"] and "零宽空格" in issue["message"]
    assert "\u202e" not in json.dumps(campaign.report, ensure_ascii=False)


def test_a_rerun_reports_the_same_files_once_each_as_read_before(campaign: Campaign) -> None:
    again = json.loads(campaign.again.out)
    assert campaign.again.code == 1
    assert again["files"] == {
        "read": 0,
        "before": len(STORED),
        "rejected": len(EXPECTED_REFUSALS),
        "skipped": 4,
    }
    assert all(r["stored"] == "before" for r in again["records"])
    first = {r["record"]: r["fields"] for r in campaign.report["records"]}  # type: ignore[attr-defined]
    assert {r["record"]: r["fields"] for r in again["records"]} == first


def test_names_print_escaped_so_a_terminal_cannot_be_driven(campaign: Campaign) -> None:
    printed = campaign.text.out + campaign.text.err
    assert "\x1b" not in printed and "\u202e" not in printed
    assert "\\x1b[2J\\x1b[H已读入 假的.docx" in printed
    assert "\\xc0\\xee\\xcf\\xfe\\xd1\\xe0.docx" in printed
    summary = campaign.text.out.strip().splitlines()[-1]
    assert summary.startswith(f"新读入 0 个文件（0 份表单），以前已读入 {len(STORED)} 个（未改动），")
    assert f"未读入 {len(EXPECTED_REFUSALS)} 个，跳过 4 个" in summary


def test_records_with_control_characters_export_to_every_format(engine: Engine, tmp_path: Path) -> None:
    """Values stored before intake cleaned them (or by another program) export all the same."""
    dirty = "张\x1b[2J\x07国强"
    fields: dict[str, JsonValue] = {"name": dirty, "phone": "=1+1", "skills": [dirty]}
    source = Path("\x1b]0;标题\x07回执.docx")
    ingest(engine, source, "ab" * 32, 1, None, [StoredRecord("zz-b1", "SJ-1", fields)])
    rows = current_records(engine, "zz-b1")
    spec = get_form("zz-b1").spec
    sheet = load_workbook(export_records(spec, rows, tmp_path / "a.xlsx")).active
    texts = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert "张[2J国强" in texts and "=1+1" in texts
    csv_text = export_records(spec, rows, tmp_path / "a.csv").read_text(encoding="utf-8-sig")
    assert "张[2J国强" in csv_text and "'=1+1" in csv_text
    for text in [*texts, csv_text]:
        assert not any(is_control(c) for c in text), text
    assert (
        json.loads(export_records(spec, rows, tmp_path / "a.json").read_text())[0]["fields"]["name"] == dirty
    )


def test_control_characters_are_removed_where_a_record_enters(tmp_path: Path) -> None:
    read = ReadRecord(tmp_path / "a.pdf", "zz-b1", "SJ-1", {"name": "李\x1b晓\x00燕", "skills": ["写\x0b作"]})
    cleaned = checked(read)
    assert isinstance(cleaned, ReadRecord)
    assert cleaned.fields == {"name": "李晓燕", "skills": ["写\n作"]}
    assert isinstance(checked(ReadRecord(tmp_path / "a.pdf", "zz-b1", "SJ\u202e-1", {})), Rejected)


def test_a_file_refused_for_time_is_read_and_stored_by_the_next_run(tmp_path: Path) -> None:
    folder = tmp_path / "returned"
    folder.mkdir()
    h.docx(folder / "李晓燕.docx", "SJ-1")
    h.xlsx(folder / "汇总.xlsx")
    db = str(tmp_path / "db.sqlite3")
    hurried = baodao("intake", str(folder), "--db", db, "--json", env={"BAODAO_SECONDS_PER_FILE": "0.01"})
    refused = json.loads(hurried.out)
    assert refused["records"] == [] and all(r["retry"] for r in refused["rejected"])
    assert len(refused["rejected"]) == 2 and "下次读入时会再试" in refused["rejected"][0]["reason"]
    calm = baodao("intake", str(folder), "--db", db, "--json")
    read = json.loads(calm.out)
    assert calm.code == 0 and read["files"] == {"read": 2, "before": 0, "rejected": 0, "skipped": 0}
    assert [r["id"] for r in read["records"] if r["form"] == "zz-b1"] == ["SJ-1"]
    out = tmp_path / "导出.csv"
    assert baodao("records", "export", "--form", "zz-b1", "--out", str(out), "--db", db).code == 0
    assert "SJ-1" in out.read_text(encoding="utf-8-sig")


def url_of(engine: Engine) -> str:
    """The --db a CLI run takes for ``engine``'s database."""
    url = engine.url.render_as_string(hide_password=False)
    return url.replace("postgresql+psycopg://", "postgresql://")


def test_a_rerun_shows_corrected_values_and_the_doubts_review_shows(engine: Engine, tmp_path: Path) -> None:
    folder = tmp_path / "returned"
    folder.mkdir()
    h.docx(folder / "李晓燕.docx", "SJ-1", intentions=["政策宣讲"])  # one intention of two: a doubt
    h.xlsx(folder / "汇总.xlsx")  # no 统计时段 box filled: doubts
    db = url_of(engine)
    first = baodao("intake", str(folder), "--db", db)
    doubts = doubtful(engine)
    assert f"共 {len(doubts)} 处存疑" in first.out
    target = next(d for d in doubts if d.form_key == "zz-b1")
    fixed = baodao("review", "set", str(target.record_id), "intentions", "政策宣讲、法律援助", "--db", db)
    assert fixed.code == 0, fixed.err
    again = baodao("intake", str(folder), "--db", db, "--json")
    b1 = next(r for r in json.loads(again.out)["records"] if r["form"] == "zz-b1")
    assert (b1["stored"], b1["corrected"], b1["fields"]["intentions"]) == (
        "before",
        ["intentions"],
        ["政策宣讲", "法律援助"],
    )
    text = baodao("intake", str(folder), "--db", db).out
    assert "已更正：服务意向" in text
    left = len(doubtful(engine))
    assert left == len(doubts) - 1 and f"共 {left} 处存疑" in text
    assert "未读入 0 个" in text and "其中" not in text
    listed = baodao("review", "--db", db).out
    assert f"共 {left} 处存疑" in listed


def test_a_lock_file_or_hidden_file_named_on_the_command_line_is_answered(tmp_path: Path) -> None:
    lock = tmp_path / "~$李晓燕.docx"
    lock.write_bytes(b"\x00" * 162)
    done = baodao("intake", str(lock), "--db", str(tmp_path / "db.sqlite3"))
    assert done.code == 1
    assert "这是 Word/Excel 打开文件时留下的临时文件" in done.err and "请选择原文件" in done.err


def test_the_long_form_id_is_refused_on_every_database(engine: Engine, tmp_path: Path) -> None:
    folder = tmp_path / "returned"
    folder.mkdir()
    h.docx(folder / "long.docx", "编" * 121)
    h.docx(folder / "ok.docx", "SJ-1")
    report = intake([folder], engine)
    assert [r.source.name for r in report.rejected] == ["long.docx"]
    assert "编号长 121 个字符" in report.rejected[0].reason
    assert [r.form_id for r in current_records(engine, "zz-b1")] == ["SJ-1"]


def children(pid: int) -> set[int]:
    try:
        return {int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()}
    except OSError:
        return set()


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM])
def test_workers_end_with_their_intake(tmp_path: Path, how: signal.Signals) -> None:
    folder = tmp_path / "returned"
    folder.mkdir()
    first = h.docx(folder / "0.docx", "SJ-0")
    for n in range(1, 40):
        h.rewritten(first, folder / f"{n}.docx", {"docProps/custom.xml": (b"SJ-0", f"SJ-{n}".encode())})
    proc = subprocess.Popen(
        [sys.executable, "-m", "baodao.cli", "intake", str(folder), "--db", str(tmp_path / "db.sqlite3")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while len(workers := children(proc.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(workers) >= 2, "the intake never started its workers"
    proc.send_signal(how)
    proc.wait(30)
    deadline = time.monotonic() + 30
    while any(alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(alive(w) for w in workers)


def test_parser_failures_become_plain_reasons_and_go_to_the_log(caplog: pytest.LogCaptureFixture) -> None:
    import zlib

    from baodao.intake.failures import is_out_of_memory, reason_for

    assert "嵌套过深" in reason_for(RecursionError("maximum recursion depth exceeded"), Path("深.pdf"))
    assert is_out_of_memory(zlib.error("Error -5 while decompressing data: Unable to allocate output buffer"))
    with caplog.at_level("ERROR", logger="baodao.intake"):
        reason = reason_for(ZeroDivisionError("float division by zero"), Path("怪.png"))
    assert "无法读取" in reason and not any(word in reason for word in PYTHON_WORDS)
    assert "ZeroDivisionError" in caplog.text and "怪.png" in caplog.text
