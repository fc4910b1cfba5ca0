"""Scanned paper returns: issued forms printed, filled in by hand, ticked, turned ±2°, noised and saved as
JPEG, PNG, TIFF and an image-only PDF, then read by `baodao intake`. Ticks must all be right, at least 95%
of the written values right, and no wrong value stored without a review flag.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw
from sqlalchemy import Engine

from baodao.docgen.batch import GenerateOptions, generate
from baodao.form_templates.catalog import get_form
from baodao.intake.layout import layout_of
from baodao.intake.model import JsonValue, ReadRecord
from baodao.intake.scan_review import OCR_CONFIDENCE_MIN
from baodao.store.db import connect
from baodao.store.records import doubtful
from baodao.store.register import list_issued, record_issued
from baodao.store.returns import IntakeReport, intake
from tests.intake.scans import Filling, date_gaps, degrade, fill, option_boxes, render_pages, value_cell

pytestmark = pytest.mark.scan


@dataclass(frozen=True)
class Page:
    """One scanned return: the file, what the person meant, and which fields are tick fields."""

    file: str
    form: str
    form_id: str | None
    expected: dict[str, JsonValue]
    ticks: tuple[str, ...]


ZZ_ROSTER = [
    {"编号": "SJ-2025-0101", "姓名": "李晓燕", "报到地党组织": "新安社区党委"},
    {"编号": "SJ-2025-0102", "姓名": "王建国", "报到地党组织": "新安社区党委"},
]
ZZ_WRITTEN = [
    Filling(
        text={
            "性别": "女",
            "年龄": "36",
            "学历": "大学本科",
            "入党时间": "2010年7月",
            "工作单位及职务": "区卫健委科员",
            "联系方式": "13803710001",
            "家庭住址": "新安路18号院3号楼",
            "所属社区": "新安社区",
            "服务意向": "1.政策宣讲\n2.法律援助",
        },
        below={"服务意向"},
        ticks={"写作", "摄影", "法律", "医疗保健"},
    ),
    Filling(
        text={
            "性别": "男",
            "年龄": "41",
            "学历": "硕士研究生",
            "入党时间": "2001年5月",
            "工作单位及职务": "区审计局科长",
            "联系方式": "13803710002",
            "家庭住址": "陇海西路6号",
            "所属社区": "新安社区",
            "服务意向": "1.文明劝导\n2.义务护绿\n3.助老服务",
        },
        below={"服务意向"},
        ticks={"主持", "财会", "电脑操作", "其它"},
    ),
]
ZZ_EXPECTED: list[dict[str, JsonValue]] = [
    {
        "number": "SJ-2025-0101",
        "name": "李晓燕",
        "organization": "新安社区党委",
        "gender": "女",
        "age": 36,
        "education": "大学本科",
        "joined_party_on": "2010-07-01",
        "employer_and_post": "区卫健委科员",
        "phone": "13803710001",
        "home_address": "新安路18号院3号楼",
        "community": "新安社区",
        "intentions": ["政策宣讲", "法律援助"],
    },
    {
        "number": "SJ-2025-0102",
        "name": "王建国",
        "organization": "新安社区党委",
        "gender": "男",
        "age": 41,
        "education": "硕士研究生",
        "joined_party_on": "2001-05-01",
        "employer_and_post": "区审计局科长",
        "phone": "13803710002",
        "home_address": "陇海西路6号",
        "community": "新安社区",
        "intentions": ["文明劝导", "义务护绿", "助老服务"],
    },
]
ZZ_SEALED = [dt.date(2025, 3, 12), dt.date(2025, 3, 28)]
YP_ROSTER = [
    {"驻地单位党组织名称": "上海钢月浦资产经营有限责任公司本部支部", "单位地址": "蕰川路3999号"},
    {"驻地单位党组织名称": "宝山区市场监督管理局机关党支部", "单位地址": "友谊路100号"},
]
GRID_ROSTER = [{"姓名": "曹阳"}]
GRID_WRITTEN = Filling(
    text={
        "性别": "男",
        "年龄": "35",
        "联系电话": "13916520147",
        "个人特长": "财税政策咨询",
        "可以提供志愿服务的时间段": "双休日上午，工作日19:00以后",
        "□其他": "为居民区微信群编辑发布活动信息",
    },
    ticks={"环境整治", "政策宣讲", "法律咨询", "消防安全", "其他"},
)


@dataclass(frozen=True)
class Scans:
    folder: Path
    pages: list[Page]
    report: IntakeReport
    engine: Engine


@dataclass(frozen=True)
class Batch:
    pdf: Path
    pages: list[Path]
    ids: list[str]


def _batch(key: str, roster: list[dict[str, str]], work: Path) -> Batch:
    data = work / f"{key}.json"
    data.write_text(json.dumps(roster, ensure_ascii=False), encoding="utf-8")
    engine = connect(str(work / "db.sqlite3"))
    # What the roster does not give, the member writes on the printed form: the scans are of those.
    given = {k for row in roster for k in row}
    blank = frozenset(f.label for f in get_form(key).spec.fields if f.required and f.label not in given)
    made = generate(
        get_form(key),
        data,
        GenerateOptions(work / key, pdf=True, blank=blank),
        lambda entries: record_issued(engine, entries),
    )
    assert made.combined_pdf is not None
    ids = [e.form_id for e in list_issued(connect(str(work / "db.sqlite3")), key)]
    return Batch(made.combined_pdf, render_pages(made.combined_pdf, work / f"{key}-pages"), ids)


@pytest.fixture(scope="module")
def scans(tmp_path_factory: pytest.TempPathFactory) -> Scans:
    """Five scanned returns and two bad files, read by one intake run."""
    work = tmp_path_factory.mktemp("scans")
    folder = work / "交回"
    folder.mkdir()
    pages: list[Page] = []
    zz = _batch("zz-b1", ZZ_ROSTER, work)
    zz_layout = layout_of("zz-b1").pages[0]
    # The unit's Party organization writes its opinion and dates it in the printed “年 月 日”.
    opinion = value_cell(zz_layout, "单位党组织意见", below=True)
    for n, written in enumerate(ZZ_WRITTEN):
        written.text["单位党组织意见"] = "同意到社区报到。"
        written.below.add("单位党组织意见")
        written.placed[:] = date_gaps(zz.pdf, n, opinion, ZZ_SEALED[n])
    filled = [fill(Image.open(p), zz_layout, f) for p, f in zip(zz.pages, ZZ_WRITTEN, strict=True)]
    skills = tuple(zz_layout_options())
    for n, (image, written, expected) in enumerate(zip(filled, ZZ_WRITTEN, ZZ_EXPECTED, strict=True)):
        chosen = [o for o in get_form("zz-b1").spec.field("skills").options if o in written.ticks]
        want = {**expected, "skills": chosen, "unit_opinion": "同意到社区报到。"}
        want["unit_sealed_on"] = ZZ_SEALED[n].isoformat()
        assert set(skills) >= set(chosen)
        scan = degrade(image, 2.0 if n == 0 else -2.0, seed=n)
        if n == 0:
            scan.save(folder / "李晓燕.jpg", quality=75)
            pages.append(Page("李晓燕.jpg", "zz-b1", "SJ-2025-0101", want, ("skills",)))
        else:
            scan.convert("L").save(folder / "王建国.pdf", resolution=300)  # a scanner's image-only PDF
            pages.append(Page("王建国.pdf", "zz-b1", "SJ-2025-0102", want, ("skills",)))
    # The same return photographed without its QR code (cut off): named by its title, its id by 编号.
    no_qr = filled[0].copy()
    ImageDraw.Draw(no_qr).rectangle((0, 0, no_qr.width, int(no_qr.height * 0.1)), fill=(255, 255, 255))
    degrade(no_qr, -1.2, seed=5).save(folder / "无二维码.png")
    pages.append(Page("无二维码.png", "zz-b1", "SJ-2025-0101", pages[0].expected, ("skills",)))

    yp = _batch("yp-a3", YP_ROSTER, work)
    yp_pages, yp_ids = yp.pages, yp.ids
    yp_layout = layout_of("yp-a3").pages[0]
    comment = "该支部主动认领政策咨询项目\n全年开展咨询服务4次"
    written = Filling(text={"社区党组织评语": comment}, ticks={"良好"})
    degrade(fill(Image.open(yp_pages[0]), yp_layout, written), 1.5, seed=9).save(
        folder / "活动卡.tiff", compression="tiff_lzw"
    )
    pages.append(
        Page(
            "活动卡.tiff",
            "yp-a3",
            yp_ids[0],
            {
                "unit_organization_name": YP_ROSTER[0]["驻地单位党组织名称"],
                "unit_address": YP_ROSTER[0]["单位地址"],
                "performance": "良好",
                "community_comment": comment,
            },
            ("performance",),
        )
    )
    # A second card: 良好 ticked, and a faint stray mark in 优秀's box that is neither empty nor a tick.
    card = fill(Image.open(yp_pages[1]), yp_layout, Filling(ticks={"良好"}))
    x0, top, x1, bottom = (v * 300 / 72 for v in option_boxes(yp_layout)["优秀"])
    ImageDraw.Draw(card).line(
        [
            (x0 + 0.4 * (x1 - x0), top + 0.45 * (bottom - top)),
            (x0 + 0.6 * (x1 - x0), top + 0.5 * (bottom - top)),
        ],
        fill=(20, 30, 90),
        width=5,
    )
    degrade(card, -0.8, seed=11).save(folder / "淡痕.jpg", quality=80)
    pages.append(
        Page(
            "淡痕.jpg",
            "yp-a3",
            yp_ids[1],
            {
                "unit_organization_name": YP_ROSTER[1]["驻地单位党组织名称"],
                "unit_address": YP_ROSTER[1]["单位地址"],
                "performance": "良好",
            },
            ("performance",),
        )
    )
    # The same return scanned at 200 dpi, a common scanner default.
    small = filled[1].resize((filled[1].width * 2 // 3, filled[1].height * 2 // 3), Image.Resampling.LANCZOS)
    degrade(small, 1.3, seed=15).save(folder / "200dpi.jpg", quality=80)
    pages.append(Page("200dpi.jpg", "zz-b1", "SJ-2025-0102", pages[1].expected, ("skills",)))
    # The 200 dpi scan as a “searchable” PDF: the picture with the scanner's own OCR as a hidden text
    # layer (tesseract makes one the way scanner software does). The picture is what counts.
    subprocess.run(
        ["tesseract", str(folder / "200dpi.jpg"), str(work / "可搜索"), "-l", "chi_sim", "pdf"],
        capture_output=True,
        check=True,
    )
    (work / "可搜索.pdf").rename(folder / "可搜索.pdf")
    pages.append(Page("可搜索.pdf", "zz-b1", "SJ-2025-0102", pages[1].expected, ("skills",)))
    # 王建国's return fed in upside down: the QR code says which way up it is.
    degrade(filled[1].rotate(180), 1.0, seed=12).save(folder / "倒置.jpg", quality=80)
    pages.append(Page("倒置.jpg", "zz-b1", "SJ-2025-0102", pages[1].expected, ("skills",)))

    grid = _batch("yp-a5", GRID_ROSTER, work)
    grid_pages, grid_ids = grid.pages, grid.ids
    grid_scan = fill(Image.open(grid_pages[0]), layout_of("yp-a5").pages[0], GRID_WRITTEN)
    degrade(grid_scan, -1.7, seed=13).save(folder / "项目表.png")
    options = get_form("yp-a5").spec.field("project_categories").options
    pages.append(
        Page(
            "项目表.png",
            "yp-a5",
            grid_ids[0],
            {
                "name": "曹阳",
                "gender": "男",
                "age": 35,
                "phone": "13916520147",
                "specialty": "财税政策咨询",
                "available_time": "双休日上午，工作日19:00以后",
                "project_categories": [o for o in options if o in GRID_WRITTEN.ticks],
                "other_projects": "为居民区微信群编辑发布活动信息",
            },
            ("project_categories",),
        )
    )
    # A scanner's PDF of one form with the blank back of its page, and one of two forms stacked.
    back = degrade(Image.new("RGB", filled[1].size, (255, 255, 255)), 0.0, seed=16)
    front = degrade(filled[1], 0.6, seed=17)
    front.convert("L").save(
        folder / "双面.pdf", save_all=True, append_images=[back.convert("L")], resolution=300
    )
    pages.append(Page("双面.pdf", "zz-b1", "SJ-2025-0102", pages[1].expected, ("skills",)))
    stack = [Image.open(folder / "李晓燕.jpg").convert("L"), Image.open(folder / "活动卡.tiff").convert("L")]
    stack[0].save(folder / "两份.pdf", save_all=True, append_images=stack[1:], resolution=300)
    # A photo that missed the bottom of the form: it cannot be laid over its template, so nothing read
    # from it is trusted.
    cut = filled[0].crop((0, 0, filled[0].width, int(filled[0].height * 0.42)))
    degrade(cut, 0.5, seed=14).save(folder / "半页.jpg", quality=80)
    noise = np.random.default_rng(1).integers(0, 255, (1200, 900), dtype=np.uint8)
    Image.fromarray(noise).save(folder / "看不清.jpg")
    # A form with a page of something else behind it (no code, not blank).
    extra = Image.open(folder / "看不清.jpg").convert("L").resize(front.size)
    front.convert("L").save(folder / "多一页.pdf", save_all=True, append_images=[extra], resolution=300)
    (folder / "半截.jpg").write_bytes((folder / "李晓燕.jpg").read_bytes()[:3000])
    engine = connect(str(work / "db.sqlite3"))
    return Scans(folder, pages, intake([folder], engine), engine)


def zz_layout_options() -> list[str]:
    return list(option_boxes(layout_of("zz-b1").pages[0]))


def _records(scans: Scans) -> dict[str, ReadRecord]:
    return {r.source.name: r for r in scans.report.records}


def test_every_scan_is_identified_with_its_id(scans: Scans) -> None:
    got = _records(scans)
    files = sorted([p.file for p in scans.pages] + ["半页.jpg"])
    assert sorted(got) == files, [r.reason for r in scans.report.rejected]
    for page in scans.pages:
        assert (got[page.file].form, got[page.file].form_id) == (page.form, page.form_id), page.file


def test_ticks_are_all_read_right(scans: Scans) -> None:
    got = _records(scans)
    for page in scans.pages:
        for name in page.ticks:
            assert got[page.file].fields[name] == page.expected[name], page.file


def test_written_values_are_read_and_no_wrong_value_goes_unflagged(scans: Scans) -> None:
    got = _records(scans)
    right = total = 0
    for page in scans.pages:
        record = got[page.file]
        flagged = {i.field for i in record.issues}
        for name, want in page.expected.items():
            total += 1
            if record.fields[name] == want:
                right += 1
            else:
                assert name in flagged, f"{page.file} {name}: {record.fields[name]!r} ≠ {want!r}, no flag"
    assert right / total >= 0.95, f"{right}/{total} fields right"


def test_returned_scans_mark_their_register_entries(scans: Scans) -> None:
    returned: dict[tuple[str, str | None], str] = {
        (e.form_key, e.form_id): e.status for e in list_issued(scans.engine)
    }
    for page in scans.pages:
        assert returned[(page.form, page.form_id)] == "returned", page.file


def test_unreadable_images_are_rejected_with_a_reason_and_kept(scans: Scans) -> None:
    reasons = {r.source.name: r.reason for r in scans.report.rejected}
    assert set(reasons) == {"看不清.jpg", "半截.jpg", "两份.pdf", "多一页.pdf"}
    assert reasons["多一页.pdf"] == "扫描件有 2 页，表单 zz-b1 只有 1 页；第 2 页不是空白，未读取"
    assert "这是多份表单扫描在一个文件里（2 页，另有 1 份的二维码）" in reasons["两份.pdf"]
    assert "认不出是哪一种表单" in reasons["看不清.jpg"]
    assert "图片已损坏" in reasons["半截.jpg"]
    assert all((scans.folder / name).exists() for name in reasons)


def test_doubtful_scan_values_go_to_review(scans: Scans) -> None:
    """Every issue of a current scanned record reaches `baodao review` (of a form returned twice, the
    newer file is current)."""
    newest: dict[tuple[str, str | None], ReadRecord] = {}
    for record in scans.report.records:
        key = (record.form, record.form_id)
        if key not in newest or record.source.stat().st_mtime >= newest[key].source.stat().st_mtime:
            newest[key] = record
    expected = {(r.source.name, i.field, i.message) for r in newest.values() for i in r.issues}
    listed = {(d.source.name, d.field, d.message) for d in doubtful(scans.engine)}
    assert expected and listed == expected


def test_a_rare_character_the_recognizer_dropped_is_flagged(scans: Scans) -> None:
    """蕰 is not in the recognizer's alphabet: the address reads 川路3999号, and review is told."""
    record = _records(scans)["活动卡.tiff"]
    [issue] = [i for i in record.issues if i.field == "unit_address"]
    assert record.fields["unit_address"] != "蕰川路3999号"
    assert "扫描识别把握不足（置信度" in issue.message and "请核对：川路3999号" in issue.message


def test_a_faint_mark_in_a_box_goes_to_review(scans: Scans) -> None:
    record = _records(scans)["淡痕.jpg"]
    assert record.fields["performance"] == "良好"
    [issue] = [i for i in record.issues if i.field == "performance"]
    assert issue.message.startswith("驻地单位参与社区服务的表现：有勾选框看不清是否勾选（框内墨迹占")


def test_a_page_that_cannot_be_laid_over_its_template_is_all_flagged(scans: Scans) -> None:
    record = _records(scans)["半页.jpg"]
    assert (record.form, record.form_id) == ("zz-b1", "SJ-2025-0101")
    flagged = {i.field: i.message for i in record.issues}
    read = [name for name, value in record.fields.items() if value not in (None, [])]
    assert read, "the cut page still gives values, to be checked"
    for name in read:
        if name != "number":  # the id, from the QR code, is sure
            assert name in flagged, name
    assert any("页面未能与模板对齐" in message for message in flagged.values())


def test_every_value_read_from_a_scan_carries_its_confidence(scans: Scans) -> None:
    got = _records(scans)
    for page in scans.pages:
        record = got[page.file]
        for name in page.expected:
            assert 0.0 <= record.confidence[name] <= 1.0, (page.file, name)
        for issue in record.issues:
            if "置信度" in issue.message:
                assert record.confidence[issue.field] < OCR_CONFIDENCE_MIN
    assert got["活动卡.tiff"].confidence["unit_address"] < OCR_CONFIDENCE_MIN
    assert got["淡痕.jpg"].confidence["performance"] == 0.0  # the faint mark
    assert got["李晓燕.jpg"].as_json()["confidence"] == got["李晓燕.jpg"].confidence


def test_the_cli_reads_a_scan_and_review_lists_its_doubts(scans: Scans, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from baodao.cli import main

    db = str(tmp_path / "cli.sqlite3")
    result = CliRunner().invoke(main, ["intake", str(scans.folder / "活动卡.tiff"), "--db", db, "--json"])
    assert result.exit_code == 0, result.output
    [record] = json.loads(result.stdout)["records"]
    assert (record["form"], record["fields"]["performance"]) == ("yp-a3", "良好")
    assert record["confidence"]["unit_address"] < OCR_CONFIDENCE_MIN
    listed = CliRunner().invoke(main, ["review", "--db", db]).stdout
    assert "单位地址：扫描识别把握不足（置信度 0." in listed and "请核对：川路3999号" in listed
