"""The QR payload contract between an issued form and its return: “BD1|zz-b1|SJ-2025-0001”."""

from __future__ import annotations

PAYLOAD_PREFIX = "BD1"


def payload(form_key: str, form_id: str) -> str:
    """The text a QR code carries: “BD1|zz-b1|SJ-2025-0001”."""
    return f"{PAYLOAD_PREFIX}|{form_key}|{form_id}"


def parse_payload(text: str) -> tuple[str, str] | None:
    """(form key, form id) from a scanned payload, or None when it is not one of baodao's."""
    parts = text.split("|")
    if len(parts) == 3 and parts[0] == PAYLOAD_PREFIX and parts[1] and parts[2]:
        return parts[1], parts[2]
    return None
