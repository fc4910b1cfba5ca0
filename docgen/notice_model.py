"""The data of an official document (公文): its 版头, 主体 and 版记, read from YAML and checked on load."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from baodao.errors import DataError
from baodao.form_templates.yaml_fields import Fields, load_yaml


@dataclass(frozen=True)
class Enclosure:
    """A document issued by the notice (a 方案), printed from a new page with its own title."""

    title: str
    body: tuple[str, ...]


@dataclass(frozen=True)
class Attachment:
    """An attachment: a catalog form filled with ``data`` (or its sample), a form already made (``docx``,
    an issued one as it went out, 编号 and all), or plain paragraphs."""

    title: str
    form: str | None = None
    data: Mapping[str, Any] | None = None
    body: tuple[str, ...] = ()
    docx: Path | None = None


@dataclass(frozen=True)
class Notice:
    """One 公文 in the GB/T 9704-2012 layout; ``forwarded`` is a document it forwards, printed after it."""

    issuers: tuple[str, ...]
    number: str
    title: str
    addressees: str
    body: tuple[str, ...]
    signatures: tuple[str, ...]
    date: dt.date
    mark_suffix: str = "文件"
    # The seed's “(此页无正文)”: kept as data, not printed (GB/T 9704-2012 has no such line).
    no_body_note: bool = False
    enclosures: tuple[Enclosure, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    cc: str | None = None
    printer: str | None = None
    print_date: dt.date | None = None
    forwarded: Notice | None = None


_NOTICE_KEYS = {
    "issuers",
    "number",
    "title",
    "addressees",
    "body",
    "signatures",
    "date",
    "mark_suffix",
    "no_body_note",
    "enclosures",
    "attachments",
    "cc",
    "printer",
    "print_date",
    "forwarded",
}


NOTICE_FILE_KIND = "公文数据文件"
# 发文字号 (GB/T 9704-2012 §7.2.4): 机关代字, the year in 六角括号, the number without 虚位 or “第”.
_NUMBER = re.compile(r"(?P<code>[\u4e00-\u9fff]{1,15})〔(?P<year>\d{4})〕(?P<seq>\d{1,5})号")
NUMBER_EXAMPLE = "荣社发〔2026〕3号"


def number_problem(number: str) -> str | None:
    """Why ``number`` is not a 发文字号 as GB/T 9704 writes it (in a clerk's words), or None."""
    text = number.strip()
    if not text:
        return f"发文字号不能为空，如 {NUMBER_EXAMPLE}"
    found = _NUMBER.fullmatch(text)
    if found is None:
        if any(b in text for b in "[]［］()（）【】"):
            return f"发文字号“{text}”的年份要用六角括号〔〕括起，如 {NUMBER_EXAMPLE}"
        if "第" in text:
            return f"发文字号“{text}”的序号前不加“第”，如 {NUMBER_EXAMPLE}"
        return f"发文字号“{text}”应写作 机关代字〔年份〕序号号，如 {NUMBER_EXAMPLE}"
    if found["seq"].startswith("0"):
        return f"发文字号“{text}”的序号不编虚位：写 {int(found['seq'])}号，不写 {found['seq']}号"
    if not 1949 <= int(found["year"]) <= 2100:
        return f"发文字号“{text}”的年份 {found['year']} 不对，应为四位的发文年份"
    return None


def read_notice(path: Path) -> Notice:
    """Load a notice YAML file."""
    data = load_yaml(path, NOTICE_FILE_KIND, DataError)
    return _notice(Fields(path, NOTICE_FILE_KIND, DataError, "", data, _NOTICE_KEYS))


def _notice(f: Fields) -> Notice:
    enclosures = []
    for i, raw in enumerate(f.items("enclosures")):
        e = f.nested(f"enclosures[{i}]", raw, {"title", "body"})
        enclosures.append(Enclosure(e.text("title", required=True), e.texts("body", required=True)))
    attachments = []
    for i, raw in enumerate(f.items("attachments")):
        a = f.nested(f"attachments[{i}]", raw, {"title", "form", "data", "body"})
        data_map = a.data.get("data")
        if data_map is not None and not isinstance(data_map, Mapping):
            a.fail("data", "应为字段名到值的键值表")
        title, form, body = a.text("title", required=True), a.text("form"), a.texts("body")
        attachments.append(Attachment(title, form, data_map, body))
    forwarded = f.data.get("forwarded")
    return Notice(
        issuers=f.texts("issuers", required=True),
        number=f.text("number", required=True),
        title=f.text("title", required=True),
        addressees=f.text("addressees", required=True),
        body=f.texts("body", required=True),
        signatures=f.texts("signatures", required=True),
        date=f.day("date", required=True),
        mark_suffix=f.text("mark_suffix", default="文件"),
        no_body_note=f.flag("no_body_note"),
        enclosures=tuple(enclosures),
        attachments=tuple(attachments),
        cc=f.text("cc"),
        printer=f.text("printer"),
        print_date=f.day("print_date"),
        forwarded=_notice(f.nested("forwarded", forwarded, _NOTICE_KEYS)) if forwarded is not None else None,
    )
