"""A clerk's cycle in Chromium against a real `baodao serve`, on SQLite and on PostgreSQL.

An administrator makes a 社区 and its clerk; the clerk maps a roster with 手机号码 and 出生年月 headers,
sees the problem rows, issues 60 报到证 and downloads the PDF, makes 回执 for 10, drops 20 returns (one a
scanned page), corrects a doubtful value and withdraws a form. With BAODAO_SCREENSHOTS=DIR set, each page
is also saved there as a PNG (the README's pictures come from this run).
"""

from __future__ import annotations

import itertools
import os
import re
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pdfplumber
import psycopg
import pytest
from openpyxl import Workbook, load_workbook
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.web.server import CHROMIUM, CHROMIUM_ARGS, ROOT, Server, running_server
from tests.web.test_review import without_age

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed")
SLOW = 300_000  # ms: 60 forms through LibreOffice, or a scan through OCR, on a shared 2-core machine
SHOTS = os.environ.get("BAODAO_SCREENSHOTS")
_databases = itertools.count(1)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, driven by Playwright (no browser of Playwright's own is downloaded)."""
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh window the size of an office laptop's screen."""
    context = browser.new_context(
        viewport={"width": 1366, "height": 768}, locale="zh-CN", accept_downloads=True
    )
    context.set_default_timeout(30_000)
    yield context.new_page()
    context.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def served(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Server]:
    if request.param == "sqlite":
        with running_server(str(tmp_path / "baodao.sqlite3"), tmp_path / "data") as server:
            yield server
        return
    url: str = request.getfixturevalue("postgres_url")
    base, name = url.rsplit("/", 1)[0], f"baodao_web{next(_databases)}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    try:
        with running_server(f"{base}/{name}", tmp_path / "data") as server:
            yield server
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE {name} WITH (FORCE)")


def roster(path: Path) -> Path:
    """The bundled synthetic roster as a clerk's own sheet: 手机号码 for 联系方式, 出生年月 for 年龄, and two
    rows that cannot make a form (a 性别 of 未知, a missing 姓名)."""
    source = load_workbook(ROOT / "data" / "roster" / "members-synthetic.xlsx").active
    rows = [list(r) for r in source.iter_rows(min_row=2, values_only=True)]
    headers = [str(h) for h in rows[0]]
    age, phone = headers.index("年龄"), headers.index("联系方式")
    headers[age], headers[phone] = "出生年月", "手机号码"
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for row in rows[1:]:
        row[age] = f"{2025 - int(row[age])}-06"  # born in June: on 2 March 2026 the age is the roster's
        ws.append(row)
    bad = list(rows[1])
    bad[headers.index("编号")], bad[headers.index("性别")] = "SJ-BAD-1", "未知"
    bad[age] = "1990-01"
    ws.append(bad)
    nameless = list(rows[2])
    nameless[headers.index("编号")], nameless[headers.index("姓名")] = "SJ-BAD-2", None
    nameless[age] = "1990-01"
    ws.append(nameless)
    wb.save(path)
    return path


def shot(page: Page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=False)


def sign_in(page: Page, server: Server, username: str, password: str) -> None:
    page.goto(f"{server.url}/login")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    expect(page.locator("header .who")).to_contain_text(username)


def first_sign_in(page: Page, server: Server, username: str, one_time: str) -> str:
    """Sign in with a one-time password: the workbench asks for one's own first, then a sign-in with it."""
    sign_in(page, server, username, one_time)
    expect(page).to_have_url(f"{server.url}/password")
    page.goto(f"{server.url}/issue")  # any other page leads back
    expect(page).to_have_url(f"{server.url}/password")
    expect(page.get_by_role("status")).to_contain_text("你用的是一次性密码")
    shot(page, "password-first")
    own = f"{username}-own-password"
    page.get_by_label("一次性密码").fill(one_time)
    page.get_by_label("新密码").fill(own)
    page.get_by_label("再输入一次").fill(own)
    page.get_by_role("button", name="修改，然后重新登录").click()
    expect(page).to_have_url(f"{server.url}/login")
    sign_in(page, server, username, own)
    return own


def wait_for_job(page: Page) -> None:
    expect(page.locator("#job-state")).to_have_text(re.compile("已完成|失败"), timeout=SLOW)
    expect(page.locator("#job-state")).to_have_text("已完成")


def test_a_clerks_cycle_in_the_browser(page: Page, served: Server, tmp_path: Path) -> None:
    # The administrator (password printed at the first start, replaced at once) makes a 社区 and its clerk.
    admin = first_sign_in(page, served, "admin", served.admin_password)
    page.goto(f"{served.url}/offices")
    page.get_by_label("名称").fill("金华社区党委")
    page.get_by_label("类别").select_option("社区党组织")
    page.get_by_role("button", name="新建").click()
    expect(page.locator("table")).to_contain_text("金华社区党委")
    shot(page, "offices")
    page.goto(f"{served.url}/users")
    page.get_by_label("用户名").fill("jinhua")
    page.get_by_label("组织").select_option(label="　金华社区党委")
    page.get_by_role("button", name="新建").click()
    password = page.locator("#new-password").inner_text()
    shot(page, "users")
    page.get_by_role("button", name="退出").click()

    # 发放: the roster's headers differ; the clerk maps them in the page.
    first_sign_in(page, served, "jinhua", password)
    shot(page, "home")
    page.goto(f"{served.url}/issue")
    page.get_by_label("表单").select_option("zz-b1")
    page.get_by_label("名册").set_input_files(roster(tmp_path / "金华社区名册.xlsx"))
    page.get_by_role("button", name="上传并核对").click()
    expect(page.locator("#absent")).to_contain_text("年龄")
    expect(page.locator("#absent")).to_contain_text("联系方式")
    expect(page.get_by_text("建议对应“联系方式”：可用“手机号码”列")).to_be_visible()
    problems = page.locator("table.problems")
    expect(problems.locator("tr", has_text="未知")).to_contain_text("张洋")  # the row names its member
    expect(problems.locator("tr", has_text="未知")).to_contain_text("性别")
    page.locator('select[name="map:手机号码"]').select_option("联系方式")
    page.locator('select[name="map:出生年月"]').select_option("年龄")
    page.locator('input[name="issue_date"]').fill("2026-03-02")
    page.get_by_role("button", name="按上面的对应重新核对").click()
    expect(page.locator("#absent")).to_have_count(0)
    expect(page.get_by_text("默认应交回日期 2026-03-31")).to_be_visible()
    # Left empty, the due date follows the issue date (not the one today's date gave on the first look).
    expect(page.locator('input[name="due_date"]')).to_have_value("")
    expect(problems.locator("tbody tr")).to_have_count(2)
    shot(page, "issue-preview")
    page.get_by_role("button", name="发放（生成 PDF 并登记）").click()
    expect(page.locator("progress.wide")).to_be_visible()
    shot(page, "issue-job-running")
    wait_for_job(page)
    expect(page.locator("#job")).to_contain_text("生成 60 份（名册 62 行）")
    shot(page, "issue-job-done")
    with page.expect_download() as got:
        page.get_by_role("link", name=re.compile(r"\.pdf$")).click()
    pdf = tmp_path / "报到证.pdf"
    got.value.save_as(pdf)
    with pdfplumber.open(pdf) as doc:
        text = "".join(p.extract_text() or "" for p in doc.pages).replace(" ", "")
        pages = len(doc.pages)
    assert pages == 60
    assert "张洋" in text and "0371-6048526" in text and "SJ-2025-0060" in text
    with page.expect_download() as got:
        page.get_by_role("link", name=re.compile(r"\.zip$")).click()
    forms = tmp_path / "forms.zip"
    got.value.save_as(forms)

    # 回执 for 10 of them, from the register.
    page.goto(f"{served.url}/register?form=zz-b1")
    boxes = page.locator('input[name="entry"]')
    expect(boxes).to_have_count(60)
    for n in range(10):
        boxes.nth(n).check()
    shot(page, "register")
    page.get_by_role("button", name="为勾选的表单生成回执").click()
    wait_for_job(page)
    expect(page.locator("#job")).to_contain_text("生成 10 份")

    # 回收: 20 files at once, one of them a scanned page, one with 年龄 left blank.
    returned = tmp_path / "returned"
    returned.mkdir()
    with zipfile.ZipFile(forms) as zf:
        names = sorted(n for n in zf.namelist() if n.endswith(".docx"))[:18]
        for name in names:
            (returned / Path(name).name).write_bytes(zf.read(name))
    scan = returned / "扫描件"
    subprocess.run(
        ["pdftoppm", "-r", "200", "-f", "60", "-l", "60", "-jpeg", "-singlefile", pdf, scan], check=True
    )
    blank_age = without_age(returned / "blank", "SJ-DQ-1")
    files = [*sorted(returned.glob("*.docx")), scan.with_suffix(".jpg"), blank_age]
    assert len(files) == 20
    page.goto(f"{served.url}/returns")
    shot(page, "returns")
    page.get_by_label("交回的表单").set_input_files(files)
    page.get_by_role("button", name="上传并读入").click()
    wait_for_job(page)
    expect(page.locator("#job")).to_contain_text("读入 20 个，拒收 0 个")
    scanned_row = page.locator("table.files tr", has_text="扫描件.jpg")
    expect(scanned_row).to_contain_text("SJ-2025-0060")
    expect(page.locator("ul.downloads")).to_have_count(0)  # a return is kept, not offered back
    shot(page, "returns-done")

    # 核对: the blank 年龄, corrected by keyboard.
    page.goto(f"{served.url}/review")
    row = page.locator("table.review tr", has_text="年龄：必填项未填写")
    expect(row).to_contain_text("年龄")
    expect(page.locator("table.review")).not_to_contain_text("['")  # lists read as lists, not as code
    # The scan's doubtful values each come with the part of the page they were read from.
    crops = page.locator("table.review tr", has_text="SJ-2025-0060").locator("img.crop")
    expect(crops.first).to_be_visible()
    for n in range(crops.count()):
        crops.nth(n).scroll_into_view_if_needed()
        assert crops.nth(n).evaluate("img => img.decode().then(() => img.naturalWidth)") > 100
    shot(page, "review")
    box = row.get_by_label("年龄 的正确值")
    box.fill("38")
    box.press("Enter")
    expect(page.locator("table.review tr", has_text="年龄：必填项未填写")).to_have_count(0)
    page.goto(f"{served.url}/register?form=zz-b1")
    expect(page.locator("tr", has_text="SJ-2025-0001")).to_contain_text("已交回")

    # Withdraw one that has not come back.
    target = page.locator("tr", has_text="SJ-2025-0030")
    target.get_by_role("button", name="作废").click()
    expect(page.locator("tr", has_text="SJ-2025-0030")).to_contain_text("已作废")
    page.goto(f"{served.url}/jobs")
    shot(page, "jobs")
    page.get_by_role("button", name="退出").click()
    sign_in(page, served, "admin", admin)
    page.goto(f"{served.url}/audit")
    expect(page.locator("table")).to_contain_text("作废")
    expect(page.locator("table")).to_contain_text("更正")
    shot(page, "audit")


def test_an_administrator_manages_accounts_in_the_browser(
    browser: Browser, page: Page, served: Server
) -> None:
    admin = first_sign_in(page, served, "admin", served.admin_password)
    page.goto(f"{served.url}/users")
    page.get_by_label("用户名").fill("wang")
    page.get_by_role("button", name="新建").click()
    expect(page.locator("tr", has_text="wang")).to_contain_text("待本人改密码")
    row = page.locator("tr", has_text="wang")
    row.get_by_label("wang的角色").select_option("reader")
    row.get_by_role("button", name="改角色").click()
    expect(page.locator("#done")).to_have_text("已把 wang 的角色改为只读（其已登录的会话已退出）")
    page.locator("tr", has_text="wang").get_by_role("button", name="重置密码").click()
    one_time = page.locator("#new-password").inner_text()

    # wang, in a browser of their own, replaces the one-time password and works as a reader.
    other = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    wang = other.new_page()
    own = first_sign_in(wang, served, "wang", one_time)
    expect(wang.locator("header .who")).to_contain_text("wang（只读）")

    # Disabled: wang's open page ends at the login page, and signing in is refused, in Chinese.
    page.goto(f"{served.url}/users")
    page.locator("tr", has_text="wang").get_by_role("button", name="停用").click()
    expect(page.locator("tr", has_text="wang")).to_contain_text("已停用")
    shot(page, "users-manage")
    wang.goto(f"{served.url}/register")
    expect(wang).to_have_url(f"{served.url}/login")
    wang.get_by_label("用户名").fill("wang")
    wang.get_by_label("密码").fill(own)
    wang.get_by_role("button", name="登录").click()
    expect(wang.get_by_role("alert")).to_have_text("这个账号已停用，不能登录。如需恢复，请找本级管理员。")
    shot(wang, "login-disabled")

    page.locator("tr", has_text="wang").get_by_role("button", name="启用").click()
    expect(page.locator("tr", has_text="wang")).to_contain_text("正常")
    sign_in(wang, served, "wang", own)
    other.close()
    page.goto(f"{served.url}/audit")
    for action in ("新建用户", "修改角色", "重置密码", "停用用户", "登录被拒", "启用用户"):
        expect(page.locator("table")).to_contain_text(action)
    assert admin != served.admin_password
