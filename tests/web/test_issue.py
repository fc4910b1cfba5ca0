"""发放: a roster whose headers differ from the labels is mapped in the page, problem rows named, issued."""

from __future__ import annotations

import io
import re
import urllib.parse
import zipfile
from pathlib import Path

import pdfplumber

from baodao.form_templates.catalog import get_form
from tests.conftest import write_roster
from tests.web.conftest import Browser, Workbench, user
from tests.web.test_isolation import upload_returns

HEADERS = [
    "姓名",
    "性别",
    "出生年月",
    "工作单位",
    "职务",
    "手机号码",
    "家庭住址",
    "所属社区",
    "服务意向",
    "报到地党组织",
]
PEOPLE: list[list[object]] = [
    [name, sex, born, unit, post, phone, f"新安路{n}号", "新安社区", wants, "新安社区党委"]
    for n, (name, sex, born, unit, post, phone, wants) in enumerate(
        [
            ("李晓燕", "女", "1984-05", "区卫健委", "科员", "13803710001", "政策宣讲、法律援助"),
            ("王建国", "男", "1975-01", "区教育局", "科长", "13803710002", "助老服务、环境整治"),
            ("赵敏", "女", "1991-12", "区财政局", "科员", "13803710003", "文艺演出、助学"),
            ("钱多多", "未知", "1987-07", "区税务局", "科员", "13803710004", "助老服务、义诊"),
        ],
        start=1,
    )
]


def upload_roster(clerk: Browser, path: Path, form: str = "zz-b1") -> str:
    answer = clerk.post(
        "/issue/preview",
        {"form": form},
        files=[("roster", (path.name, path.read_bytes(), "application/octet-stream"))],
    )
    assert answer.status_code == 200, answer.text
    return str(answer.text)


def selects(page: str) -> dict[str, str]:
    """The mapping the page proposes: header → selected label."""
    found = {}
    for header, body in re.findall(r'<select name="map:([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        chosen = re.search(r"<option selected>([^<]+)</option>", body)
        found[header] = chosen.group(1) if chosen else ""
    return found


def test_the_preview_suggests_a_mapping_names_problem_rows_and_the_issue_makes_the_forms(
    workbench: Workbench, tmp_path: Path
) -> None:
    clerk = user(workbench, "clerk-a", workbench.community_a)
    roster = write_roster(tmp_path / "名册.xlsx", PEOPLE, HEADERS)
    page = upload_roster(clerk, roster)
    mapping = selects(page)
    assert mapping["姓名"] == "姓名" and mapping["手机号码"] == ""
    assert "建议对应“联系方式”：可用“手机号码”列" in page
    assert "建议对应“年龄”：可由“出生年月”列按发放日期算出" in page
    assert 'value="工作单位+职务=>工作单位及职务"' in page
    assert "没有列填写这些必填项：年龄、工作单位及职务、联系方式" in page
    # The row with 性别 未知 is named with the member, row and column.
    assert "<td>5</td><td>钱多多</td><td>B列（性别）</td><td>未知</td>" in page
    deadline = get_form("zz-b1").spec.deadline
    assert deadline is not None and deadline.rule in page

    # The clerk takes the suggestion and checks again: nothing required is left unfed.
    form: dict[str, object] = {f"map:{h}": label for h, label in mapping.items()}
    form["map:手机号码"] = "联系方式"
    form["map:出生年月"] = "年龄"
    form["use"] = "工作单位+职务=>工作单位及职务"
    roster_ref = re.search(r'name="roster" value="([^"]+)"', page)
    assert roster_ref is not None
    fields = {"form": "zz-b1", "roster": roster_ref.group(1), "roster_name": "名册.xlsx", **form}
    dates = {"issue_date": "2020-03-02", "due_date": ""}
    again = clerk.post("/issue/check", {**fields, **dates})
    assert "没有列填写这些必填项" not in again.text
    assert selects(again.text)["手机号码"] == "联系方式" and selects(again.text)["出生年月"] == "年龄"
    assert "合并填入“工作单位及职务”" in again.text
    assert "2020-03-31" in again.text  # the policy's deadline after the issue date, said as such

    issued = clerk.post("/issue", {**fields, **dates})
    assert issued.status_code == 303
    job = issued.headers["location"]
    workbench.run_jobs()
    done = clerk.get(job).text
    assert "生成 3 份（名册 4 行）" in done and "发放登记新增 3 条" in done
    links = re.findall(r'href="(/jobs/\d+/files/\d+)" download>([^<]+)<', done)
    pdf_link = next(url for url, name in links if name.endswith(".pdf"))
    zip_link = next(url for url, name in links if name.endswith(".zip"))
    pdf = clerk.get(pdf_link)
    assert pdf.headers["content-type"] == "application/pdf"
    named = urllib.parse.quote("在职党员社区报到证-合并打印.pdf")
    assert f"filename*=UTF-8''{named}" in pdf.headers["content-disposition"]
    with pdfplumber.open(io.BytesIO(pdf.content)) as doc:
        text = "".join(page.extract_text() or "" for page in doc.pages)
        assert len(doc.pages) >= 3
    flat = text.replace(" ", "")
    for name, phone in (("李晓燕", "13803710001"), ("王建国", "13803710002"), ("赵敏", "13803710003")):
        assert name in flat and phone in text
    assert "区卫健委科员" in flat and "区教育局科长" in flat
    ages = [int(a) for a in re.findall(r"年龄\s*(\d+)", text)]
    assert ages == [35, 45, 28]  # born 1984-05, 1975-01, 1991-12: their ages on 2 March 2020
    assert "钱多多" not in text
    with zipfile.ZipFile(io.BytesIO(clerk.get(zip_link).content)) as zf:
        assert len([n for n in zf.namelist() if n.endswith(".docx")]) == 3
    register = clerk.get("/register").text
    assert register.count("<td>zz-b1</td>") == 3 and register.count("<td>2020-03-31</td>") == 3
    rows = register.split('<table class="register">')[1]  # the filter's choices and counts name it too
    assert rows.count("逾期未交回") == 3  # due 31 March, not returned, and that day is past
    assert "逾期未交回 <b>3</b>" in register
    # 回执 for two of them, from the register, paired by 编号.
    entries = re.findall(r'name="entry" value="(\d+)"[^>]*aria-label="选择 ([^"]+)"', register)
    assert len(entries) == 3
    made = clerk.client.post(
        "/register/receipts", data={"csrf": clerk.csrf, "entry": [e for e, _ in entries[:2]]}
    )
    assert made.status_code == 303
    workbench.run_jobs()
    receipts = clerk.get(made.headers["location"]).text
    assert "生成 2 份" in receipts and "发放登记新增 2 条" in receipts
    listed = clerk.get("/register?form=zz-b2").text
    assert sorted(re.findall(r"<td>zz-b2</td><td>([^<]+)</td>", listed)) == sorted(i for _, i in entries[:2])

    # Withdraw the third; its form returned all the same is flagged.
    withdrawn_entry, withdrawn_id = entries[2]
    assert clerk.post(f"/register/{withdrawn_entry}/withdraw").status_code == 303
    with zipfile.ZipFile(io.BytesIO(clerk.get(zip_link).content)) as zf:
        [name] = [n for n in zf.namelist() if withdrawn_id in n]
        returned = tmp_path / "returned" / Path(name).name
        returned.parent.mkdir()
        returned.write_bytes(zf.read(name))
    upload_returns(clerk, [returned])
    workbench.run_jobs()
    after = clerk.get("/register?form=zz-b1").text
    [row] = [r for r in after.split("<tr") if f"<td>{withdrawn_id}</td>" in r]
    assert "已作废" in row and "作废后又交回" in row
    # Reissued: the same member's row of the same roster, under a new 编号; the old entry stays.
    reissued = clerk.post(f"/register/{withdrawn_entry}/reissue")
    assert reissued.status_code == 303
    workbench.run_jobs()
    made_again = clerk.get(reissued.headers["location"]).text
    [new_pdf] = [
        u
        for u, n in re.findall(r'href="(/jobs/\d+/files/\d+)" download>([^<]+)<', made_again)
        if n.endswith(".pdf")
    ]
    with pdfplumber.open(io.BytesIO(clerk.get(new_pdf).content)) as doc:
        assert len(doc.pages) == 1
        assert f"{withdrawn_id}-补1" in (doc.pages[0].extract_text() or "").replace(" ", "")
    again = clerk.get("/register?form=zz-b1").text
    [new] = [r for r in again.split("<tr") if f"<td>{withdrawn_id}-补1</td>" in r]
    assert f"补发，替代 {withdrawn_id}" in new and "<td>2020-03-31</td>" in new
    assert f"<td>{withdrawn_id}</td>" in again  # the withdrawn one is kept
    twice = clerk.post(f"/register/{withdrawn_entry}/reissue")
    workbench.run_jobs()
    assert "已补发过" in clerk.get(twice.headers["location"]).text
    assert "作废" in admin_log(workbench)


def admin_log(workbench: Workbench) -> str:
    admin = user(workbench, "admin-a", workbench.community_a, "admin")
    return str(admin.get("/audit").text)


def test_taking_every_suggestion_at_once_feeds_the_required_fields(
    workbench: Workbench, tmp_path: Path
) -> None:
    clerk = user(workbench, "clerk-a", workbench.community_a)
    page = upload_roster(clerk, write_roster(tmp_path / "名册.xlsx", PEOPLE, HEADERS))
    roster_ref = re.search(r'name="roster" value="([^"]+)"', page)
    assert roster_ref is not None
    fields = {"form": "zz-b1", "roster": roster_ref.group(1), "roster_name": "名册.xlsx", "step": "suggested"}
    mapping = {f"map:{h}": label for h, label in selects(page).items()}
    taken = clerk.post("/issue/check", {**fields, **mapping, "issue_date": "2020-03-02"}).text
    assert "没有列填写这些必填项" not in taken
    chosen = selects(taken)
    assert (chosen["手机号码"], chosen["出生年月"]) == ("联系方式", "年龄")
    assert "合并填入“工作单位及职务”" in taken
