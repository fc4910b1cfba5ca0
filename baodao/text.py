"""Text from outside, made safe where it enters: control characters, lone surrogates, invisible marks.

Control characters break XML and XLSX (Word's Shift+Enter leaves \\x0b in pasted text), lone surrogates
cannot be encoded at all, and right-to-left overrides or zero-width characters make a name read other
than it is (“李‮晓燕” prints reversed). Values keep their line breaks and tabs; the rest is removed, and
the invisible marks are named so the caller can flag them. Names shown on a terminal are escaped.
"""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

# Characters a reader cannot see that change how the text around them reads, by name.
INVISIBLE: dict[str, str] = {
    "\u061c": "阿拉伯文字母标记",
    "\u200b": "零宽空格",
    "\u200c": "零宽不连字",
    "\u200d": "零宽连字",
    "\u200e": "从左到右标记",
    "\u200f": "从右到左标记",
    "\u202a": "从左到右嵌入",
    "\u202b": "从右到左嵌入",
    "\u202c": "方向格式结束",
    "\u202d": "从左到右覆盖",
    "\u202e": "从右到左覆盖",
    "\u2060": "零宽不折行",
    "\u2066": "从左到右隔离",
    "\u2067": "从右到左隔离",
    "\u2068": "首强隔离",
    "\u2069": "方向隔离结束",
    "\ufeff": "零宽不折行空格（BOM）",
}
LINE_BREAKS = {
    "\x0b": "\n",
    "\x0c": "\n",
    "\r\n": "\n",
    "\r": "\n",
    "\x85": "\n",
    "\u2028": "\n",
    "\u2029": "\n",
}


def is_control(char: str) -> bool:
    """True for a character no text value should hold: C0/C1 controls (but tab and line feed), lone
    surrogates, and the non-characters U+FFFE and U+FFFF (none of them may stand in XML 1.0)."""
    code = ord(char)
    if char in "\t\n":
        return False
    return code < 0x20 or 0x7F <= code <= 0x9F or 0xD800 <= code <= 0xDFFF or code in (0xFFFE, 0xFFFF)


def without_controls(text: str) -> str:
    """``text`` with its line breaks made ``\\n`` and every other control character removed."""
    if text.isprintable() or not any(is_control(c) or c in LINE_BREAKS for c in text):
        return text
    for old, new in LINE_BREAKS.items():
        text = text.replace(old, new)
    return "".join(c for c in text if not is_control(c))


def invisible_in(text: str) -> list[str]:
    """The names of the invisible marks ``text`` holds, each once, in order."""
    found = dict.fromkeys(INVISIBLE[c] for c in text if c in INVISIBLE)
    return list(found)


def without_invisible(text: str) -> str:
    return "".join(c for c in text if c not in INVISIBLE)


def clean(text: str) -> str:
    """``text`` with no control character and no invisible mark: fit for a file name or an id."""
    return without_invisible(without_controls(text))


def escaped(text: str, lines: bool = False) -> str:
    """``text`` fit to print on a terminal: control characters, invisible marks and lone surrogates as
    \\x1b, \\u202e, \\udcb0 escapes, so a name cannot move the cursor, clear the screen or read reversed.
    ``lines``: line breaks and tabs stay (a message of several lines); in a name they are escaped too."""
    if text.isprintable():
        return text
    out = []
    for c in text:
        if (lines and c in "\n\t") or c.isprintable() or _visible(c):
            out.append(c)
        elif ord(c) <= 0xFF:
            out.append(f"\\x{ord(c):02x}")
        else:
            out.append(f"\\u{ord(c):04x}")
    return "".join(out)


def _visible(c: str) -> bool:
    """Not printable to Python but harmless on a terminal: spaces of other widths, and the like (no
    control, format, surrogate, private-use or unassigned code, U+FFFE included, is)."""
    return c not in INVISIBLE and not unicodedata.category(c).startswith("C")


def shown(path: Path | str) -> str:
    """A file name as it may be printed and stored: bytes that are not UTF-8 (a zip made on Windows
    leaves GBK names) as \\xb0 escapes, and control characters and invisible marks escaped."""
    raw = os.fsencode(path)
    return escaped(raw.decode("utf-8", "backslashreplace"))
