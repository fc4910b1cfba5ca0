"""Finds a form key (“zz-b1”) among a file's keywords, where baodao writes it in XLSX and PDF files."""

from __future__ import annotations

import re

FORM_KEY_PROPERTY = "baodao.form_key"
# Catalog keys are two letters, a hyphen and lower-case parts: zz-b1, rc-a4, zs-member-slip.
_FORM_KEY = re.compile(r"[a-z]{2}(?:-[a-z0-9]+)+")
_SEPARATORS = re.compile(r"[\s,;，；、]+")


def form_key_in(keywords: str) -> str | None:
    """The first keyword that looks like a form key, or None."""
    for word in _SEPARATORS.split(keywords.strip()):
        if _FORM_KEY.fullmatch(word):
            return word
    return None
