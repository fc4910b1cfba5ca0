"""The 公文 layout: seed 000's notice reproduced with its attachments, in GB/T 9704 form."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from importlib import resources
from pathlib import Path

import pdfplumber
import pytest

from baodao.docgen.notice_model import Attachment, Notice, number_problem, read_notice
from baodao.docgen.official import build_notice
from baodao.docgen.render import render_docx
from baodao.errors import DataError
from baodao.form_templates.catalog import get_form
from baodao.form_templates.spec import Record
from baodao.office.pdf import convert_to_pdf
from tests.conftest import MAPPED_FACES, pdf_fonts, pdf_text

DATA_DIR = Path(str(resources.files("baodao.data")))
RONGCHENG = DATA_DIR / "notices" / "rongcheng-2019-3.yaml"
ZHENGZHOU = DATA_DIR / "notices" / "zhengzhou-weijian-2019-31.yaml"


@pytest.fixture(scope="module")
def notices(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("notices")
    docs = [build_notice(read_notice(p), out / f"{p.stem}.docx") for p in (RONGCHENG, ZHENGZHOU)]
    pdfs = convert_to_pdf(docs, out, blank_pages=True)
    return {"rongcheng": pdfs[0], "zhengzhou": pdfs[1], "rongcheng-docx": docs[0]}


def test_rongcheng_notice_carries_its_parts(notices: dict[str, Path]) -> None:
    text = pdf_text(notices["rongcheng"])
    for part in [
        "中共荣成市委组织部",
        "荣成市城市社区服务中心",
        "文件",
        "荣社发〔2019〕3号",
        "关于印发《关于推进机关企事业单位党组织、在职党员到社区报到工作实施方案》的通知",
        "经济开发区、石岛管理区、好运角旅游度假区党工委，市直各工委、上级驻荣单位：",
        "2019年6月11日",
        "附件：1.机关企事业单位党组织到社区报到“三张清单”",
        "附件1",
        "附件2",
        "附件3",
        "附件4",
        "蜊江社区",
        "荣成市城市社区服务中心2019年6月11日印发",
    ]:
        assert part in text, part


def test_pages_are_numbered_odd_right_even_left(notices: dict[str, Path]) -> None:
    with pdfplumber.open(notices["rongcheng"]) as pdf:
        for number, page in enumerate(pdf.pages[:4], start=1):
            words = [w for w in page.extract_words() if w["text"] == str(number)]
            footer = [w for w in words if w["top"] > page.height * 0.85]
            assert footer, f"page {number} has no number at its foot"
            centre = (footer[0]["x0"] + footer[0]["x1"]) / 2
            assert (centre > page.width / 2) == (number % 2 == 1), f"page {number} number on the wrong side"
            line = page.extract_text().splitlines()[-1]
            assert re.fullmatch(rf"—\s*{number}\s*—", line.strip())


def test_three_lists_print_landscape(notices: dict[str, Path]) -> None:
    with pdfplumber.open(notices["rongcheng"]) as pdf:
        landscape = [p for p in pdf.pages if p.width > p.height]
        texts = [re.sub(r"\s+", "", p.extract_text() or "") for p in landscape]
    assert any("附件1" in t for t in texts)
    assert any("附件2" in t for t in texts)


def test_body_is_fangsong_at_three_hao_with_exact_spacing(notices: dict[str, Path]) -> None:
    xml = zipfile.ZipFile(notices["rongcheng-docx"]).read("word/document.xml").decode()
    assert 'w:lineRule="exact"' in xml and 'w:line="579"' in xml
    body_run = (
        '<w:rFonts w:ascii="仿宋_GB2312" w:hAnsi="仿宋_GB2312" w:cs="仿宋_GB2312" w:eastAsia="仿宋_GB2312"/>'
    )
    assert body_run in xml and '<w:sz w:val="32"/>' in xml and '<w:spacing w:val="-5"/>' in xml
    assert 'w:color w:val="FF0000"' in xml


def test_notices_use_only_mapped_faces(notices: dict[str, Path]) -> None:
    for key in ("rongcheng", "zhengzhou"):
        for name, embedded in pdf_fonts(notices[key]):
            assert MAPPED_FACES.match(name) and embedded, (key, name)


def test_forwarding_notice_prints_the_forwarded_one(notices: dict[str, Path]) -> None:
    text = pdf_text(notices["zhengzhou"])
    for part in [
        "中共郑州市卫生健康委员会直属机关委员会文件",
        "郑卫直机党〔2019〕31号",
        "郑直〔2019〕47号",
        "中共郑州市委市直机关工作委员会",
        "推进市直机关与驻在街道社区党组织共驻共建工作方案",
        "备选志愿服务岗位目录",
        "党建工作指导岗",
    ]:
        assert part in text, part


def test_bad_notice_data_names_file_and_key(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        RONGCHENG.read_text(encoding="utf-8").replace("date: 2019-06-11", "date: 6月11日"), encoding="utf-8"
    )
    with pytest.raises(DataError, match=r"bad\.yaml 的 date 有误：“6月11日”不是日期"):
        read_notice(bad)


def test_a_notice_attaches_an_issued_form_as_made_and_a_blank_form(tmp_path: Path) -> None:
    form = get_form("zz-b1")
    record: Record = {"name": "王立新", "number": "SJ-2026-0007", "community": "新安社区"}
    issued = render_docx(form.docx, form.spec, record, tmp_path / "issued.docx", "SJ-2026-0007")
    notice = Notice(
        issuers=("中共新安社区委员会",),
        number="新社发〔2026〕3号",
        title="关于做好在职党员报到工作的通知",
        addressees="辖区各单位党组织：",
        body=("请按附件做好报到工作。",),
        signatures=("中共新安社区委员会",),
        date=dt.date(2026, 3, 2),
        attachments=(
            Attachment(form.spec.title, docx=issued),
            Attachment("积分评星登记表", form="zz-d1", data={}),
        ),
    )
    [pdf] = convert_to_pdf([build_notice(notice, tmp_path / "notice.docx")], tmp_path, blank_pages=True)
    text = pdf_text(pdf)
    for part in (
        "新社发〔2026〕3号",
        "关于做好在职党员报到工作的通知",
        f"附件：1.{form.spec.title}",
        "2.积分评星登记表",
        "附件1",
        "附件2",
        "王立新",
        "SJ-2026-0007",
    ):
        assert part in text, part


@pytest.mark.parametrize(
    ("number", "problem"),
    [
        ("荣社发〔2026〕3号", None),
        ("", "发文字号不能为空"),
        ("荣社发[2026]3号", "年份要用六角括号〔〕括起"),
        ("荣社发（2026）3号", "年份要用六角括号〔〕括起"),
        ("荣社发〔2026〕第3号", "序号前不加“第”"),
        ("荣社发〔2026〕03号", "写 3号，不写 03号"),
        ("荣社发〔26〕3号", "应写作 机关代字〔年份〕序号号"),
        ("荣社发〔1026〕3号", "年份 1026 不对"),
    ],
)
def test_number_problem_says_what_is_wrong_with_a_number(number: str, problem: str | None) -> None:
    found = number_problem(number)
    assert found == problem if problem is None else problem in (found or "")
