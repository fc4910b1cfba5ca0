"""What kind of activity a record row is, from the words the form or ledger uses."""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

Category = Literal[
    "service",  # 志愿服务, 为民服务: the activity every minimum counts
    "party_life",  # a member's 组织生活 or 主题活动 in the community (003 §4.2)
    "joint_meeting",  # 街道党建联席会 / 社区联合党委会 (004 方案一 三、1)
    "theme_day",  # 联合主题党日 (004 方案一 三、2)
    "practical_matter",  # 帮办实事、解决问题 (000 三（三）)
    "project",  # 共建项目, with its score (003 §3.5.1)
    "team",  # 组建党员志愿服务队 (000 三（三）)
    "study",  # 党组（党委）研究“双报到”工作 (000 二（二）)
    "extra",  # 一事一记: points as written, beyond the ±3 band (003 §3.5.3)
]

# First match wins; the words are those the seeds use.
_WORDS: tuple[tuple[tuple[str, ...], Category], ...] = (
    (("一事一记", "见义勇为", "急难险重"), "extra"),
    (("联席会", "联席工作会", "联合党委会"), "joint_meeting"),
    (("研究“双报到”", "研究双报到", "党组会", "党委会", "专题研究"), "study"),
    (("主题党日",), "theme_day"),
    (("组织生活", "主题活动", "党课"), "party_life"),
    (("实事", "解决问题", "办实事"), "practical_matter"),
    (("志愿服务队", "服务队"), "team"),
    (("项目",), "project"),
)

UNIT_MONTHLY: frozenset[Category] = frozenset({"service", "practical_matter", "project", "extra"})
PARTY_LIFE: frozenset[Category] = frozenset({"party_life", "theme_day"})
# What is not volunteer service (004 二（二）counts only service toward “志愿服务不少于2次”).
NOT_SERVICE: frozenset[Category] = PARTY_LIFE | {"joint_meeting", "study"}


def categorize(*texts: str | None) -> Category:
    """The category named by the first text that names one (a 类别 column before the content)."""
    for text in texts:
        if text:
            found = _named(text)
            if found is not None:
                return found
    return "service"


@lru_cache(maxsize=1 << 14)  # ledgers repeat the same few 类别 and contents
def _named(text: str) -> Category | None:
    for words, category in _WORDS:
        if any(w in text for w in words):
            return category
    return None
