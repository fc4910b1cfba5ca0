"""A user of one 社区 sees and changes nothing of another's, by the pages or by guessing ids in URLs."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from baodao.docgen.issued import IssuedForm
from baodao.store.register import record_issued, register_rows
from tests.intake.test_hostile import valid_docx
from tests.web.conftest import Browser, Workbench, user


def upload_returns(clerk: Browser, files: list[Path]) -> int:
    handles = [("files", (f.name, f.read_bytes(), "application/octet-stream")) for f in files]
    answer = clerk.post("/returns", files=handles)
    assert answer.status_code == 303, answer.text
    found = re.fullmatch(r"/jobs/(\d+)", answer.headers["location"])
    assert found is not None
    return int(found.group(1))


def test_another_community_cannot_list_fetch_or_change_anything(workbench: Workbench, tmp_path: Path) -> None:
    a = user(workbench, "clerk-a", workbench.community_a)
    b = user(workbench, "admin-b", workbench.community_b, "admin")
    street = user(workbench, "admin-street", workbench.street, "admin")
    entry = IssuedForm(
        "zz-b1", "XA-0001", "李晓燕", "新安社区党委", dt.date(2026, 3, 1), dt.date(2026, 3, 31)
    )
    record_issued(workbench.engine, [entry], workbench.community_a)
    [row] = register_rows(workbench.engine, {workbench.community_a})
    job = upload_returns(a, [valid_docx(tmp_path)])
    workbench.run_jobs()
    done = a.get(f"/jobs/{job}")
    assert "已读入" in done.text and "zz-b1" in done.text
    record_id = int(re.findall(r'href="/records/(\d+)"', done.text)[0])
    assert a.get(f"/records/{record_id}").status_code == 200
    assert a.get(f"/records/{record_id}/source").status_code == 200

    # B sees none of it in its pages …
    assert "XA-0001" not in b.get("/register").text
    assert "OK-1" not in b.get("/review").text
    assert f'href="/jobs/{job}"' not in b.get("/jobs").text
    assert "新安社区党委" not in b.get("/offices").text
    assert "clerk-a" not in b.get("/users").text
    # … and guessing ids gets the same answer as an id that does not exist.
    for url in (
        f"/jobs/{job}",
        f"/jobs/{job}/files/0",
        f"/records/{record_id}",
        f"/records/{record_id}/source",
    ):
        answer = b.get(url)
        assert answer.status_code == 404, url
        assert "无权查看" in answer.text
    assert b.post(f"/register/{row.id}/withdraw").status_code == 404
    assert b.post(f"/review/{record_id}", {"field": "name", "value": "篡改"}).status_code == 404
    assert b.post(f"/jobs/{job}/retry").status_code == 404
    assert (
        b.post("/offices", {"name": "冒名支部", "kind": "其他", "parent": workbench.community_a}).status_code
        == 404
    )
    made = b.post("/users", {"username": "intruder", "role": "admin", "office": workbench.community_a})
    assert made.status_code == 404
    # Nothing changed: the entry is not withdrawn and the record kept its values.
    [after] = register_rows(workbench.engine, {workbench.community_a})
    assert after.entry.status == "issued"
    assert "篡改" not in a.get(f"/records/{record_id}").text

    # The street above both sees both.
    assert "XA-0001" in street.get("/register").text
    assert "已发 1 份，已交回 0 份" in street.get("/").text and "已发 0 份" in b.get("/").text
    assert street.get(f"/records/{record_id}").status_code == 200
    assert "新安社区党委" in street.get("/offices").text and "金华社区党委" in street.get("/offices").text
