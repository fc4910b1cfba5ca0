"""Ids of issued forms: the form's own 编号 where it has one, else a stable digest of the record."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from datetime import date

from baodao.form_templates.qr_payload import DIGEST_ID_LENGTH, MAX_ID_LENGTH
from baodao.form_templates.spec import FormSpec, Record
from baodao.text import clean, invisible_in

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\s]+')
ID_LENGTH = DIGEST_ID_LENGTH
# A name is at most 255 bytes (ext4, NTFS in UTF-16 units); atomic writes add “.”, “.xxxxxxxx” and
# “.docx.part”, so a stem keeps well below that. Chinese takes three bytes a character.
MAX_STEM_BYTES = 200


def form_id(spec: FormSpec, record: Record) -> str:
    """The id printed on the form and kept in the register; the same record always gets the same id."""
    if spec.id_field is not None:
        given = record.get(spec.id_field)
        if isinstance(given, str) and given.strip():
            return given.strip()
    canonical = json.dumps(record, ensure_ascii=False, sort_keys=True, default=_plain)
    digest = hashlib.sha1(f"{spec.key}\n{canonical}".encode()).digest()
    return base64.b32encode(digest).decode("ascii")[:ID_LENGTH]


def _plain(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def recipient(spec: FormSpec, record: Record) -> str:
    """Whom the form is for: its 姓名, else a text field named “…name”, else its first required text."""
    candidates = ["name"] + [f.name for f in spec.fields if f.name.endswith("name") and f.type == "text"]
    candidates += [f.name for f in spec.fields if f.required and f.type == "text"]
    for name in candidates:
        value = record.get(name)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


def file_stem(key: str, ident: str, who: str) -> str:
    """“zz-b1-SJ-2025-0001-李晓燕”: safe on Windows and in zip archives, with no control character or
    invisible mark (a right-to-left override would make the name read reversed), and short enough in
    bytes for any file system (255 bytes a name) with room for a suffix and a temporary file's prefix."""
    parts = [key, _UNSAFE.sub("_", clean(ident))] + ([_UNSAFE.sub("_", clean(who))] if who else [])
    stem = "-".join(parts)
    while len(stem.encode()) > MAX_STEM_BYTES:
        stem = stem[:-1]
    return stem.rstrip(". ")


def check_id(ident: str) -> str | None:
    """Why ``ident`` cannot be a form's id, or None: it must fit the register and hold no hidden text."""
    if len(ident) > MAX_ID_LENGTH:
        return f"编号长 {len(ident)} 个字符，超过上限 {MAX_ID_LENGTH}"
    if clean(ident) != ident:
        marks = "、".join(invisible_in(ident)) or "控制字符"
        return f"编号中含有看不见的字符（{marks}），请删去后重试"
    return None
