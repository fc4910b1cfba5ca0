"""模板 in the workbench: a 社区 clerk hands in an edited zz-c 联建协议书 with a tag split by Word, sees the
finding with its place, downloads the repaired copy, puts it in use, issues with it, and a scan of what was
issued reads back over that version's layout. Another office can neither see nor use the version."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from baodao.form_templates.catalog import get_form
from baodao.store.register import register_rows
from baodao.store.templates import active_version, versions_of
from tests.web.conftest import Browser as Client
from tests.web.conftest import Workbench, user
from tests.web.server import CHROMIUM, running_server
from tests.web.test_browser import browser, first_sign_in, page, shot, wait_for_job  # noqa: F401
from tests.word_edits import edited_zzc

ROSTER = "甲方,乙方,签订日期\n中共新安社区委员会,中共上街区人民医院委员会,2026-03-20\n"
# Three agreements: one comes back scanned, one is withdrawn, one is still out.
ROSTER_3 = ROSTER + "".join(
    f"中共新安社区委员会,{unit},2026-03-20\n" for unit in ("中共上街区第一中学委员会", "国网上街供电公司党委")
)


def broken_zzc(path: Path) -> Path:
    """zz-c with ``{{ party_b … }}`` re-typed as a name the form does not have."""
    with zipfile.ZipFile(get_form("zz-c").docx) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    members["word/document.xml"] = members["word/document.xml"].replace(b"{{ party_b", b"{{ partner")
    with zipfile.ZipFile(path, "w") as out:
        for name, data in members.items():
            out.writestr(name, data)
    return path


def upload(clerk: Client, path: Path) -> object:
    handle = ("template", (path.name, path.read_bytes(), "application/octet-stream"))
    return clerk.post("/templates/zz-c/check", files=[handle])


def test_the_form_page_gives_its_spec_and_template(workbench: Workbench) -> None:
    clerk = user(workbench, "clerk-a", workbench.community_a)
    listing = clerk.get("/templates")
    assert listing.status_code == 200
    assert 'href="/templates/zz-c"' in listing.text and "社区党组织党建联建协议书" in listing.text
    assert listing.text.count('class="card form-card"') == 26
    form = clerk.get("/templates/zz-c")
    assert "联建项目" in form.text and "列：项目名称、内容、时限" in form.text
    assert "至少 1 项" in form.text and "003 §3.3.1" in form.text
    got = clerk.get("/templates/zz-c/template.docx")
    assert got.status_code == 200 and got.content == get_form("zz-c").docx.read_bytes()
    assert "filename*=UTF-8''zz-c-" in got.headers["content-disposition"]


def test_an_edited_template_is_checked_kept_repaired_and_only_its_office_sees_it(
    workbench: Workbench, tmp_path: Path
) -> None:
    a = user(workbench, "clerk-a", workbench.community_a)
    b = user(workbench, "admin-b", workbench.community_b, "admin")
    street = user(workbench, "admin-street", workbench.street, "admin")

    refused = upload(a, broken_zzc(tmp_path / "改坏了.docx"))
    assert refused.status_code == 200  # type: ignore[attr-defined]
    text = refused.text  # type: ignore[attr-defined]
    assert "不能使用" in text and "“partner”不是表单 zz-c 的字段" in text
    assert re.search(r"<td>正文第\d+段</td>", text) or "正文第" in text
    assert versions_of(workbench.engine, {workbench.community_a}) == []

    answer = upload(a, edited_zzc(get_form("zz-c").docx, tmp_path / "联建协议书-新安社区.docx"))
    assert answer.status_code == 303  # type: ignore[attr-defined]
    url = answer.headers["location"]  # type: ignore[attr-defined]
    version_id = int(url.rsplit("/", 1)[1])
    shown = a.get(url)
    assert "已修复" in shown.text and "正文第3段" in shown.text and "拆成了几段" in shown.text
    picture = a.get(f"{url}/preview.png")
    assert picture.status_code == 200 and picture.headers["content-type"] == "image/png"
    assert Image.open(io.BytesIO(picture.content)).width > 300
    repaired = a.get(f"{url}/file")
    assert repaired.status_code == 200
    body = zipfile.ZipFile(io.BytesIO(repaired.content)).read("word/document.xml").decode()
    assert "{{ party_a or" in body and "报街道党工委备案壹份" in body

    # Another 社区 gets “none” for every address of it; the street above sees it.
    assert "第 1 版" not in b.get("/templates/zz-c").text
    for path in (url, f"{url}/file", f"{url}/preview.png"):
        assert b.get(path).status_code == 404, path
    assert b.post(f"{url}/activate").status_code == 404
    assert street.get(url).status_code == 200

    started = a.post(f"{url}/activate")
    assert started.status_code == 303
    workbench.run_jobs()
    done = a.get(started.headers["location"])
    assert "已启用 zz-c 模板第 1 版（4 页）" in done.text
    found = active_version(workbench.engine, workbench.community_a, "zz-c")
    assert found is not None and found.id == version_id
    assert active_version(workbench.engine, workbench.community_b, "zz-c") is None
    assert "本单位用第 1 版" in a.get("/templates").text
    assert "本单位用第 1 版" not in b.get("/templates").text
    assert a.post("/templates/zz-c/bundled").status_code == 303
    assert active_version(workbench.engine, workbench.community_a, "zz-c") is None


def _scan_of(pdf: Path, into: Path, pages: int) -> Path:
    """The first agreement of the printed PDF as a scanner makes it: its page pictures in one PDF."""
    command = ["pdftoppm", "-r", "200", "-f", "1", "-l", str(pages), "-png", str(pdf), str(into / "page")]
    subprocess.run(command, check=True)
    drawn = [Image.open(p).convert("L") for p in sorted(into.glob("page*.png"))]
    scan = into / "联建协议书-扫描.pdf"
    drawn[0].save(scan, save_all=True, append_images=drawn[1:], resolution=200)
    return scan


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed")
def test_a_clerk_issues_with_an_edited_template_and_its_scan_reads_back(
    page: Page,  # noqa: F811
    tmp_path: Path,
) -> None:
    with running_server(str(tmp_path / "baodao.sqlite3"), tmp_path / "data") as served:
        first_sign_in(page, served, "admin", served.admin_password)
        page.goto(f"{served.url}/offices")
        page.get_by_label("名称").fill("新安社区党委")
        page.get_by_label("类别").select_option("社区党组织")
        page.get_by_role("button", name="新建").click()
        page.goto(f"{served.url}/users")
        page.get_by_label("用户名").fill("xinan")
        page.get_by_label("组织").select_option(label="　新安社区党委")
        page.get_by_role("button", name="新建").click()
        password = page.locator("#new-password").inner_text()
        page.get_by_role("button", name="退出").click()
        first_sign_in(page, served, "xinan", password)

        # The gallery: every form with its picture (rendered once by LibreOffice, then kept).
        page.goto(f"{served.url}/templates")
        card = page.locator("#form-zz-c")
        expect(card).to_contain_text("社区党组织党建联建协议书")
        picture = card.locator("img")
        picture.scroll_into_view_if_needed()
        expect(picture).to_have_js_property("complete", True, timeout=300_000)
        assert picture.evaluate("img => img.naturalWidth") > 300
        page.locator("#form-zz-b1").scroll_into_view_if_needed()
        page.evaluate("window.scrollTo(0, 0)")
        page.wait_for_function(
            "Array.from(document.querySelectorAll('.form-card img')).slice(0, 12)"
            ".every(i => i.complete && i.naturalWidth > 0)",
            timeout=300_000,
        )
        shot(page, "templates")

        # The edited agreement: the finding with its place, the repaired copy, activation.
        card.click()
        expect(page.locator("table.spec")).to_contain_text("联建项目")
        edited = edited_zzc(get_form("zz-c").docx, tmp_path / "联建协议书-新安社区.docx")
        page.get_by_label("改过的模板").set_input_files(edited)
        page.get_by_role("button", name="上传并检查").click()
        findings = page.locator("table.findings")
        expect(findings).to_contain_text("已修复")
        expect(findings).to_contain_text("正文第3段")
        expect(findings).to_contain_text("被 Word/WPS 拆成了几段，已合并")
        drawn = page.locator(".template-preview img")  # the version as the office will print it
        expect(drawn).to_have_js_property("complete", True, timeout=300_000)
        assert drawn.evaluate("img => img.naturalWidth") > 300
        shot(page, "template-version")
        with page.expect_download() as got:
            page.locator("#download-version").click()
        repaired = tmp_path / "修复后.docx"
        got.value.save_as(repaired)
        assert "{{ party_a or" in zipfile.ZipFile(repaired).read("word/document.xml").decode()
        page.get_by_role("button", name="启用这一版（本单位）").click()
        wait_for_job(page)
        expect(page.locator("#job")).to_contain_text("已启用 zz-c 模板第 1 版（4 页）")
        page.goto(f"{served.url}/templates/zz-c")
        expect(page.locator("table.versions")).to_contain_text("在用")
        shot(page, "template")

        # Issue with it.
        roster = tmp_path / "联建单位.csv"
        roster.write_text(ROSTER_3, encoding="utf-8")
        page.goto(f"{served.url}/issue")
        page.get_by_label("表单").select_option("zz-c")
        page.get_by_label("名册").set_input_files(roster)
        page.get_by_role("button", name="上传并核对").click()
        page.locator('#absent input[value="负责人"]').first.check()
        page.get_by_role("button", name="按上面的对应重新核对").click()
        expect(page.locator("#absent")).to_have_count(0)
        page.get_by_role("button", name="发放（生成 PDF 并登记）").click()
        wait_for_job(page)
        expect(page.locator("#job")).to_contain_text(
            "用本单位启用的模板：第 1 版（联建协议书-新安社区.docx）"
        )
        with page.expect_download() as got:
            page.get_by_role("link", name=re.compile(r"\.pdf$")).click()
        pdf = tmp_path / "联建协议书.pdf"
        got.value.save_as(pdf)

        # The signed agreement comes back scanned (four pages: the bundled layout has three).
        (tmp_path / "scan").mkdir()
        scan = _scan_of(pdf, tmp_path / "scan", 4)
        page.goto(f"{served.url}/returns")
        page.get_by_label("交回的表单").set_input_files([scan])
        page.get_by_role("button", name="上传并读入").click()
        wait_for_job(page)
        expect(page.locator("#job")).to_contain_text("读入 1 个，拒收 0 个")
        page.locator("table.files a[href^='/records/']").first.click()
        expect(page.locator("main")).to_contain_text("中共新安社区委员会")
        expect(page.locator("main")).to_contain_text("中共上街区人民医院委员会")

        # The register: one agreement withdrawn; counted by state, searched by 编号.
        page.goto(f"{served.url}/register?form=zz-c")
        returned = page.locator("table.register tbody tr", has_text="已交回")
        expect(returned).to_have_count(1)
        returned_id = returned.locator("td").nth(2).inner_text().strip()
        page.locator("table.register tbody tr", has_text="待交回").first.get_by_role(
            "button", name="作废"
        ).click()
        counts = page.locator("#register-counts")
        for state in ("待交回 1", "已交回 1", "已作废 1"):
            expect(counts).to_contain_text(state)
        shot(page, "register-filtered")
        page.get_by_label("姓名或编号").fill(returned_id)
        page.get_by_role("button", name="筛选").click()
        rows = page.locator("table.register tbody tr")
        expect(rows).to_have_count(1)
        expect(rows.first).to_contain_text("改版")
        expect(rows.first).to_contain_text("已交回")
        rows.first.locator("a[href^='/register/']").click()
        expect(page.locator("main")).to_contain_text("本单位第 1 版")
        history = page.locator("#history")
        expect(history).to_contain_text("发放")
        expect(history).to_contain_text("读入文件 联建协议书-扫描.pdf")
        shot(page, "register-entry")

    from baodao.store.db import connect

    engine = connect(str(tmp_path / "baodao.sqlite3"))
    made = [r for r in register_rows(engine, {1, 2}) if r.entry.form_key == "zz-c"]
    [version] = versions_of(engine, {2}, "zz-c")
    assert len(made) == 3 and {r.template_version_id for r in made} == {version.id} and version.active
