"""The QR payload contract between an issued form and its return: “BD1|zz-b1|SJ-2025-0001”, and the
shape of the id printed under the code."""

from __future__ import annotations

import re

PAYLOAD_PREFIX = "BD1"
DIGEST_ID_LENGTH = 10  # a form with no 编号 of its own is known by this many base32 letters of a digest
MAX_ID_LENGTH = 120  # as the register keeps an id (issued_forms.form_id)
_DIGEST_ID = re.compile(f"[A-Z2-7]{{{DIGEST_ID_LENGTH}}}")
# A form's own 编号 as rosters give them (SJ-2025-0001, 新安-07): letters, digits, CJK and joiners, no space.
_OWN_ID = re.compile(r"[0-9A-Za-z\u3400-\u9fff][0-9A-Za-z\u3400-\u9fff._\-/#]*")


def fits_id(text: str, own_number: bool) -> bool:
    """Whether ``text`` has the shape of an id baodao prints: a digest id, or (``own_number``: the form
    has a 编号 field) an 编号 of letters, digits and joiners."""
    if own_number:
        return len(text) <= MAX_ID_LENGTH and _OWN_ID.fullmatch(text) is not None
    return _DIGEST_ID.fullmatch(text) is not None


def payload(form_key: str, form_id: str) -> str:
    """The text a QR code carries: “BD1|zz-b1|SJ-2025-0001”."""
    return f"{PAYLOAD_PREFIX}|{form_key}|{form_id}"


def parse_payload(text: str) -> tuple[str, str] | None:
    """(form key, form id) from a scanned payload, or None when it is not one of baodao's."""
    parts = text.split("|")
    if len(parts) == 3 and parts[0] == PAYLOAD_PREFIX and parts[1] and parts[2]:
        return parts[1], parts[2]
    return None
