"""回收: every file of the hostile corpus, uploaded, is answered with its reason; the workbench stays up."""

from __future__ import annotations

from pathlib import Path

import pytest

from baodao.store.uploads import office_folder
from tests.intake.test_hostile import hostile_corpus, valid_docx
from tests.web.conftest import Workbench, user
from tests.web.test_isolation import upload_returns

REASONS = {
    "zip bomb": "解压后",
    "billion laughs": "无法读取",
    "external entity": "",
    "deeply nested tables": "无法读取",
    "truncated zip": "损坏",
    "PDF renamed .docx": "内容却是 PDF 文件",
    "empty file": "空的",
    "text renamed .xlsx": "不是 Office 文件",
    "2,000-page PDF": "2000 页",
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return hostile_corpus(tmp_path_factory.mktemp("hostile"))


def test_each_hostile_upload_is_answered_with_its_reason(
    workbench: Workbench, corpus: dict[str, Path], tmp_path: Path
) -> None:
    clerk = user(workbench, "clerk-a", workbench.community_a)
    good = valid_docx(tmp_path)
    job = upload_returns(clerk, [*corpus.values(), good])
    workbench.run_jobs()
    page = clerk.get(f"/jobs/{job}")
    assert page.status_code == 200
    rows = page.text.split("<tr")
    for name, path in corpus.items():
        [row] = [r for r in rows if f"<td>{path.name}</td>" in r]
        if name == "external entity":  # read without resolving the entity: nothing of /etc/passwd
            assert "root:" not in page.text
            continue
        assert "拒收" in row, name
        assert REASONS[name] in row, (name, row)
    [good_row] = [r for r in rows if f"<td>{good.name}</td>" in r]
    assert "已读入" in good_row and "zz-b1" in good_row
    assert clerk.get("/").status_code == 200
    # Kept by content in the office's own store, under its hash and a harmless suffix.
    kept = sorted(
        p.name for p in office_folder(workbench.settings.data_dir, workbench.community_a).rglob("*")
    )
    assert len([k for k in kept if len(k.split(".")[0]) == 64]) == len(corpus) + 1


def test_a_file_over_the_size_limit_is_refused_at_upload_with_its_name(
    workbench: Workbench, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clerk = user(workbench, "clerk-a", workbench.community_a)
    monkeypatch.setenv("BAODAO_MAX_FILE_MB", "0.01")
    big = tmp_path / "大文件.pdf"
    big.write_bytes(b"%PDF-1.4\n" + b"0" * 20_000)
    answer = clerk.post("/returns", files=[("files", (big.name, big.read_bytes(), "application/pdf"))])
    assert answer.status_code == 400
    assert "大文件.pdf" in answer.text and "文件太大" in answer.text


def test_a_request_over_the_body_limit_is_refused_before_it_is_read(workbench: Workbench) -> None:
    clerk = user(workbench, "clerk-a", workbench.community_a)
    answer = clerk.client.post(
        "/returns", content=b"x", headers={"content-length": str(10**12), "x-csrf-token": clerk.csrf}
    )
    assert answer.status_code == 413
    assert "太大" in answer.text
