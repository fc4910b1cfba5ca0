"""Ids of issued forms: the form's own 编号 where it has one, else a stable digest of the record."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from datetime import date

from baodao.form_templates.spec import FormSpec, Record

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\s]+')
ID_LENGTH = 10


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
    """“zz-b1-SJ-2025-0001-李晓燕”: safe on Windows and in zip archives, at most 120 characters."""
    parts = [key, _UNSAFE.sub("_", ident)] + ([_UNSAFE.sub("_", who)] if who else [])
    return "-".join(parts)[:120].rstrip(". ")
