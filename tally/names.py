"""How a person, a unit and a community are known across forms that spell them differently."""

from __future__ import annotations

import re
from functools import lru_cache

from baodao.form_templates.text import squash

_ORG_PREFIX = re.compile(r"^中共")
# “…党支部”, “…支部委员会” and the like name a unit's Party organization, not another unit.
_ORG_SUFFIX = re.compile(r"(机关党委|党总支|党支部|总支部委员会|支部委员会|党组织|党委)$")
# “委员会” ends a Party committee's name (“中共…社区委员会”) but also a unit's (“…卫生健康委员会”).
_COMMITTEE = re.compile(r"(机关)?委员会$")
_COMMUNITY = re.compile(r"[^区县市镇道]*(社区|村|居委会)$")


def unit_of(employer_and_post: str) -> str:
    """The unit of “工作单位及职务”: the part before the first space (“郑州市中心血站 副科长”)."""
    parts = employer_and_post.replace("\u3000", " ").split()
    return parts[0] if parts else ""


@lru_cache(maxsize=1 << 16)  # the same few units and communities, named on every row
def unit_key(unit: str) -> str:
    """A unit as compared: no spaces, no leading 中共, no trailing 党支部/党委 (nor 委员会 after 中共)."""
    squeezed = squash(unit)
    text = _ORG_PREFIX.sub("", squeezed)
    stripped = _ORG_SUFFIX.sub("", text)
    if stripped == text and text != squeezed:
        stripped = _COMMITTEE.sub("", text)
    return stripped or text


@lru_cache(maxsize=1 << 16)
def community_key(community: str) -> str:
    """A community as compared: “中共上街区济源路街道新安社区委员会” and “新安社区” are both 新安社区."""
    text = unit_key(community)
    found = _COMMUNITY.search(text)
    return found.group(0) if found else text


@lru_cache(maxsize=1 << 16)
def member_key(name: str, unit: str) -> str:
    """A member is known by unit and name: the same name in two units is two people."""
    return f"{unit_key(unit)}|{squash(name)}"
