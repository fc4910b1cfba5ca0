"""A filing made as a job: the same content as `baodao report`, its files named for a clerk, previewed, and
the same files when made again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from docx import Document
from PIL import Image

from baodao.errors import DataError
from baodao.jobs.filing import FilingParams, read_params
from baodao.jobs.worker import run_one
from baodao.store import jobs as queue
from baodao.store.db import connect
from baodao.store.offices import DEFAULT_OFFICE, add_office
from tests.jobs.conftest import AS_OF, BLOOD, seed_half_year


def made(tmp_path: Path, params: FilingParams) -> tuple[dict[str, Any], Path]:
    """The filing job run to its end here, twice; the second run's result and the data folder."""
    engine = connect(str(tmp_path / "db.sqlite3"))
    seed_half_year(engine, tmp_path / "seed")
    data = tmp_path / "data"
    results = []
    for _ in range(2):
        queue.enqueue(engine, DEFAULT_OFFICE, "clerk", "filing", params.title, params.as_json())
        job = queue.claim(engine, "test")
        assert job is not None
        run_one(engine, job, data)
        done = queue.get(engine, job.id)
        assert done is not None and done.state == "done", done
        assert done.result is not None
        results.append(done.result)
    first, second = results
    assert [d["name"] for d in first["downloads"]] == [d["name"] for d in second["downloads"]]
    for a, b in zip(first["downloads"], second["downloads"], strict=True):
        if a["name"].endswith(".docx"):
            texts = ["".join(Document(str(data / x["path"])).element.body.itertext()) for x in (a, b)]
            assert texts[0] == texts[1]
    return second, data


def test_feedback_job_writes_letters_with_their_summary_and_a_preview(tmp_path: Path) -> None:
    params = FilingParams("feedback", "zhengzhou-2019", 2025, 1, AS_OF, issuer="中共郑州市上街区委组织部")
    result, data = made(tmp_path, params)
    names = [d["name"] for d in result["downloads"]]
    label = "反馈通知单-2025年上半年"
    assert names == [f"{label}.pdf", f"{label}.docx", f"{label}-2份.zip"]
    doc = Document(str(data / result["downloads"][1]["path"]))
    cells = {c.text for t in doc.tables for row in t.rows for c in row.cells}
    assert {"陈海", "张洋", "吕华", "105", "10星"} <= cells
    assert f"{BLOOD}党组织：" in "".join(doc.element.body.itertext())
    [png] = result["previews"]
    with Image.open(data / png) as picture:
        assert picture.height > picture.width  # an A4 page, upright


def test_honour_roll_job_lists_the_starred_members(tmp_path: Path) -> None:
    result, data = made(tmp_path, FilingParams("honour-roll", "zhengzhou-2019", 2025, 1, AS_OF))
    assert [d["name"] for d in result["downloads"]] == ["先锋榜-2025年上半年.docx", "先锋榜-2025年上半年.pdf"]
    table = Document(str(data / result["downloads"][0]["path"])).tables[0]
    rows = [[c.text for c in r.cells] for r in table.rows]
    assert rows[1][:4] == ["1", "陈海", BLOOD, "105"]
    assert len(result["previews"]) == 1


def test_a_star_filing_for_a_whole_year_says_to_choose_a_half_in_the_page(tmp_path: Path) -> None:
    engine = connect(str(tmp_path / "db.sqlite3"))
    seed_half_year(engine, tmp_path / "seed")
    params = FilingParams("honour-roll", "zhengzhou-2019", 2025, None, AS_OF)
    queue.enqueue(engine, DEFAULT_OFFICE, "clerk", "filing", params.title, params.as_json())
    job = queue.claim(engine, "test")
    assert job is not None
    run_one(engine, job, tmp_path / "data")
    failed = queue.get(engine, job.id)
    assert failed is not None and failed.state == "failed" and failed.error is not None
    assert failed.error.startswith("先锋榜按半年填写")
    assert failed.error.endswith("请在“期间”中选上半年或下半年") and "--" not in failed.error


SUMMARY = {"kind": "summary", "policy": "zhengzhou-2019", "year": "2025", "as_of": "2025-07-10"}


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"kind": "nothing"}, "没有“nothing”这种报表"),
        ({"kind": "summary", "policy": "/etc/passwd"}, "没有名为“/etc/passwd”的规则"),
        ({**SUMMARY, "year": "25"}, "年份 25 不对"),
        ({**SUMMARY, "as_of": "7月10日"}, "日期填写有误"),
        ({**SUMMARY, "half": "3"}, "半年只能是"),
        ({**SUMMARY, "issuer": "组织部\x1b"}, "不能有看不见的控制字符"),
    ],
)
def test_read_params_refuses_what_the_page_never_offers(raw: dict[str, Any], message: str) -> None:
    with pytest.raises(DataError, match=message):
        read_params(raw)


def test_a_filing_counts_only_the_people_of_its_office(tmp_path: Path) -> None:
    engine = connect(str(tmp_path / "db.sqlite3"))
    xinan = add_office(engine, "新安社区党委", "社区党组织", DEFAULT_OFFICE)
    other = add_office(engine, "金华社区党委", "社区党组织", DEFAULT_OFFICE)
    seed_half_year(engine, tmp_path / "seed", xinan)
    params = FilingParams("honour-roll", "zhengzhou-2019", 2025, 1, AS_OF)
    rolls = {}
    for office in (xinan, other, DEFAULT_OFFICE):
        queue.enqueue(engine, office, "clerk", "filing", params.title, params.as_json())
        job = queue.claim(engine, "test")
        assert job is not None
        run_one(engine, job, tmp_path / "data")
        rolls[office] = queue.get(engine, job.id)
    mine, theirs, top = rolls[xinan], rolls[other], rolls[DEFAULT_OFFICE]
    assert mine is not None and mine.state == "done" and mine.result is not None
    table = Document(str(tmp_path / "data" / mine.result["downloads"][0]["path"])).tables[0]
    assert [c.text for c in table.rows[1].cells][:2] == ["1", "陈海"]
    assert top is not None and top.state == "done"  # the top office sees everyone's
    assert theirs is not None and theirs.state == "failed"  # 金华社区党委 has no one with stars
    assert "没有" in (theirs.error or "") and "陈海" not in (theirs.error or "")
