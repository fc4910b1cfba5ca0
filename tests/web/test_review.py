"""核对: a doubtful value shown with its label, corrected in the page, the change logged; CLI by label."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from baodao.docgen.render import render_docx
from baodao.form_templates.catalog import get_form
from baodao.form_templates.samples import sample_record
from baodao.store.records import corrections_of, record
from tests.web.conftest import Browser, Workbench, user
from tests.web.test_isolation import upload_returns

ROOT = Path(__file__).resolve().parents[2]


def without_age(folder: Path, form_id: str) -> Path:
    """A 报到证 returned with 年龄 left blank: intake reads it and doubts that value."""
    form = get_form("zz-b1")
    values = dict(sample_record(form.spec))
    values["age"] = None
    folder.mkdir(parents=True, exist_ok=True)
    return render_docx(form.docx, form.spec, values, folder / f"{form_id}.docx", form_id=form_id)


def test_a_doubtful_value_is_corrected_in_the_page_and_logged(workbench: Workbench, tmp_path: Path) -> None:
    clerk = user(workbench, "clerk-a", workbench.community_a)
    admin = user(workbench, "admin-a", workbench.community_a, "admin")
    upload_returns(clerk, [without_age(tmp_path, "DQ-1")])
    workbench.run_jobs()
    page = clerk.get("/review").text
    assert "<b>年龄</b>" in page and "年龄：必填项未填写" in page and "（空）" in page
    record_id = int(re.findall(r'action="/review/(\d+)"', page)[0])
    bad = clerk.post(f"/review/{record_id}", {"field": "age", "value": "三十八岁半"})
    assert bad.status_code == 400 and "“年龄”的值不对" in bad.text
    done = clerk.post(f"/review/{record_id}", {"field": "age", "value": "38"})
    assert done.status_code == 303
    assert record(workbench.engine, record_id).fields["age"] == 38
    assert "没有存疑的值" in clerk.get("/review").text
    [change] = corrections_of(workbench.engine, record_id)
    assert (change.old_value, change.new_value, change.who) == (None, 38, "clerk-a")
    whole = clerk.get(f"/records/{record_id}").text
    assert "更正记录" in whole and "clerk-a" in whole and "DQ-1.docx" in whole
    log = admin.get("/audit").text
    assert re.search(r"<td>clerk-a</td><td>新安社区党委</td><td>更正</td><td>记录 \d+ age</td>", log)
    assert "<td>回收</td>" in log and "<td>登录</td>" in log


def test_review_set_accepts_the_printed_label(workbench: Workbench, tmp_path: Path) -> None:
    clerk = user(workbench, "clerk-a", workbench.community_a)
    upload_returns(clerk, [without_age(tmp_path, "DQ-2")])
    workbench.run_jobs()
    record_id = int(re.findall(r'action="/review/(\d+)"', clerk.get("/review").text)[0])
    command = ["review", "set", str(record_id), "年龄", "41", "--who", "张三", "--db", workbench.settings.db]
    result = subprocess.run(
        [sys.executable, "-m", "baodao.cli", *command],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "已更正记录" in result.stdout and "“年龄”" in result.stdout
    assert record(workbench.engine, record_id).fields["age"] == 41


def test_each_offices_review_queue_holds_its_own_returns(workbench: Workbench, tmp_path: Path) -> None:
    a = user(workbench, "clerk-a", workbench.community_a)
    b = user(workbench, "clerk-b", workbench.community_b)
    street = user(workbench, "street", workbench.street)
    upload_returns(a, [without_age(tmp_path / "a", "QA-1"), without_age(tmp_path / "a", "QA-2")])
    upload_returns(b, [without_age(tmp_path / "b", "QB-1")])
    workbench.run_jobs()

    def queue(clerk: Browser) -> list[str]:
        return re.findall(r"Q[AB]-\d", clerk.get("/review").text)

    assert sorted(set(queue(a))) == ["QA-1", "QA-2"]
    assert sorted(set(queue(b))) == ["QB-1"]
    assert sorted(set(queue(street))) == ["QA-1", "QA-2", "QB-1"]
