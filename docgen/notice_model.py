"""The data of an official document (公文): its 版头, 主体 and 版记, read from YAML and checked on load."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from baodao.errors import DataError


@dataclass(frozen=True)
class Enclosure:
    """A document issued by the notice (a 方案), printed from a new page with its own title."""

    title: str
    body: tuple[str, ...]


@dataclass(frozen=True)
class Attachment:
    """An attachment: a catalog form filled with ``data`` (or its sample), or plain paragraphs."""

    title: str
    form: str | None = None
    data: Mapping[str, Any] | None = None
    body: tuple[str, ...] = ()


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


class _Fields:
    def __init__(self, source: Path, where: str, data: object, allowed: set[str]) -> None:
        self.source, self.where = source, where
        if not isinstance(data, Mapping):
            self.fail("", "应为键值表")
        self.data: Mapping[str, Any] = data  # type: ignore[assignment]
        unknown = sorted(set(self.data) - allowed)
        if unknown:
            self.fail(unknown[0], f"不认识的键（可用：{'、'.join(sorted(allowed))}）")

    def fail(self, key: str, reason: str) -> Any:
        where = ".".join(p for p in (self.where, key) if p) or "顶层"
        raise DataError(f"公文数据文件 {self.source} 的 {where} 有误：{reason}")

    def text(self, key: str, required: bool = True) -> Any:
        value = self.data.get(key)
        if value is None:
            return self.fail(key, "缺少此项") if required else None
        if not isinstance(value, str):
            self.fail(key, "应为文字")
        return value.strip()

    def texts(self, key: str, required: bool = True) -> tuple[str, ...]:
        value = self.data.get(key)
        if value is None:
            return self.fail(key, "缺少此项") if required else ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(key, "应为一段或多段文字的列表")
        return tuple(v.strip() for v in value)

    def day(self, key: str, required: bool = True) -> Any:
        value = self.data.get(key)
        if value is None:
            return self.fail(key, "缺少此项") if required else None
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            return self.fail(key, f"“{value}”不是日期（应写成 2019-06-11）")

    def items(self, key: str) -> list[Any]:
        value = self.data.get(key) or []
        if not isinstance(value, list):
            self.fail(key, "应为列表")
        return value


def read_notice(path: Path) -> Notice:
    """Load a notice YAML file."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise DataError(f"无法读取公文数据文件 {path}：{exc}") from exc
    return _notice(path, "", data)


def _notice(path: Path, where: str, data: object) -> Notice:
    f = _Fields(path, where, data, _NOTICE_KEYS)
    enclosures = []
    for i, raw in enumerate(f.items("enclosures")):
        e = _Fields(path, f"{where}enclosures[{i}]", raw, {"title", "body"})
        enclosures.append(Enclosure(e.text("title"), e.texts("body")))
    attachments = []
    for i, raw in enumerate(f.items("attachments")):
        a = _Fields(path, f"{where}attachments[{i}]", raw, {"title", "form", "data", "body"})
        data_map = a.data.get("data")
        if data_map is not None and not isinstance(data_map, Mapping):
            a.fail("data", "应为字段名到值的键值表")
        attachments.append(
            Attachment(
                a.text("title"), a.text("form", required=False), data_map, a.texts("body", required=False)
            )
        )
    forwarded = f.data.get("forwarded")
    no_body = f.data.get("no_body_note", False)
    if not isinstance(no_body, bool):
        f.fail("no_body_note", "应为 true 或 false")
    return Notice(
        issuers=f.texts("issuers"),
        number=f.text("number"),
        title=f.text("title"),
        addressees=f.text("addressees"),
        body=f.texts("body"),
        signatures=f.texts("signatures"),
        date=f.day("date"),
        mark_suffix=f.text("mark_suffix", required=False) or "文件",
        no_body_note=no_body,
        enclosures=tuple(enclosures),
        attachments=tuple(attachments),
        cc=f.text("cc", required=False),
        printer=f.text("printer", required=False),
        print_date=f.day("print_date", required=False),
        forwarded=_notice(path, "forwarded.", forwarded) if forwarded is not None else None,
    )
