"""How a label's printed text is compared: bracketed instructions and spacing do not count."""

from __future__ import annotations

import re

# Instructions printed after a label (“技能特长（请在“□”内打√选择，可多选）”) may be left off.
_BRACKETS = re.compile(r"[（(【\[][^）)】\]]*[）)】\]]")
_SPACE = re.compile(r"[\s\u3000]+")


def squash(text: str) -> str:
    """``text`` without any whitespace, full-width spaces included."""
    return _SPACE.sub("", text)


def bare_label(text: str) -> str:
    """``text`` without bracketed instructions or whitespace: the part two printings of a label share."""
    return squash(_BRACKETS.sub("", text))
