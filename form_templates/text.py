"""How a label's printed text is compared: bracketed instructions and spacing do not count."""

from __future__ import annotations

import re

# Instructions printed after a label (“技能特长（请在“□”内打√选择，可多选）”) may be left off.
_BRACKETS = re.compile(r"[（(【\[][^）)】\]]*[）)】\]]")
_SPACE = re.compile(r"[\s\u3000]+")
# A column header may carry a colon or a “required” asterisk the printed label does not.
_MARKS = str.maketrans("", "", ":：*＊")


def squash(text: str) -> str:
    """``text`` without any whitespace, full-width spaces included."""
    return _SPACE.sub("", text)


def bare_label(text: str) -> str:
    """``text`` without bracketed instructions or whitespace: the part two printings of a label share."""
    return squash(_BRACKETS.sub("", text))


def normalize_header(text: str) -> str:
    """A spreadsheet column's title as it is matched against labels, field names and aliases.

    The one comparison every reader of users' tables uses (generation's rosters, the tally's rosters
    and ledgers): “联系方式：”, “*联系方式” and “联系方式（手机）” all read as “联系方式”; Latin letters
    as lower case.
    """
    return bare_label(text).translate(_MARKS).lower()
