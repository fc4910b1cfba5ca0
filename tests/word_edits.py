"""Templates edited the way a clerk edits them in Word: a sentence changed, a tag split across runs.

Word splits a run wherever an edit, a spelling mark or a change of formatting falls, so a ``{{ party_a }}``
that was partly re-typed is saved as several runs (``{{ par`` / ``ty_`` in bold / ``a }}``) with proofing
marks between them. The helpers below do that to a bundled template's XML with lxml.
"""

from __future__ import annotations

import copy
import zipfile
from pathlib import Path

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def split_tag(body: etree._Element, tag: str) -> None:
    """The run holding ``tag`` split in three inside it, the middle piece bold, with proofing marks."""
    for t in body.iter(_w("t")):
        text = t.text or ""
        at = text.find(tag)
        if at < 0:
            continue
        run = t.getparent()
        assert run is not None
        cut = [at + 6, at + 9]  # “{{ par” | “ty_” | “a }}”
        pieces = [text[: cut[0]], text[cut[0] : cut[1]], text[cut[1] :]]
        runs = []
        for n, piece in enumerate(pieces):
            new = copy.deepcopy(run)
            new_t = new.find("w:t", NS)
            assert new_t is not None
            new_t.text = piece
            new_t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            if n == 1:
                props = new.find("w:rPr", NS)
                if props is None:
                    props = etree.SubElement(new, _w("rPr"))
                    new.insert(0, props)
                props.insert(0, etree.Element(_w("b")))
            runs.append(new)
        parent = run.getparent()
        assert parent is not None
        index = parent.index(run)
        parent.remove(run)
        start = etree.Element(_w("proofErr"))
        start.set(_w("type"), "spellStart")
        end = etree.Element(_w("proofErr"))
        end.set(_w("type"), "spellEnd")
        for offset, node in enumerate([runs[0], start, runs[1], end, runs[2]]):
            parent.insert(index + offset, node)
        return
    raise AssertionError(f"{tag} not found")


def replace_text(body: etree._Element, old: str, new: str) -> None:
    for t in body.iter(_w("t")):
        if t.text and old in t.text:
            t.text = t.text.replace(old, new)
            return
    raise AssertionError(f"{old} not found")


def add_paragraph_after(body: etree._Element, anchor: str, text: str) -> None:
    """A new paragraph after the one holding ``anchor``, formatted as it is: the page below moves down."""
    for p in body.iter(_w("p")):
        if anchor in "".join(t.text or "" for t in p.iter(_w("t"))):
            new = copy.deepcopy(p)
            for run in new.findall("w:r", NS)[1:]:
                new.remove(run)
            t = new.find("w:r/w:t", NS)
            assert t is not None
            t.text = text
            parent = p.getparent()
            assert parent is not None
            parent.insert(parent.index(p) + 1, new)
            return
    raise AssertionError(f"{anchor} not found")


# What the 社区 added: enough to push the signatures onto a fourth page.
NEW_CLAUSES = (
    "本协议依据《关于在职党员到社区报到为群众服务的实施意见》制定，经社区党委会议讨论通过，"
    "报街道党工委备案后施行；联建期间双方每半年互通一次情况。",
    "乙方在职党员到社区报到后，由社区党委登记造册，纳入网格管理，按季度向乙方党组织反馈参加活动情况；"
    "乙方党组织将反馈情况作为党员民主评议的重要依据。",
    "甲乙双方各确定一名联络员，负责联建项目的日常沟通、活动记录和资料归档，联络员变动时及时告知对方。",
    "联建项目完成后，双方共同总结成效，形成书面材料，报街道党工委和乙方上级党组织。",
)


def edited_zzc(src: Path, dst: Path) -> Path:
    """zz-c 联建协议书 as a 社区 edits it: clauses of its own added near the top (003 §3.3.1 lets a 社区
    amend the model agreement), so it prints on four pages, not three; and the tag ``{{ party_a … }}``
    split by Word where it was re-typed."""
    with zipfile.ZipFile(src) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
        infos = {n: zf.getinfo(n) for n in zf.namelist()}
    root = etree.fromstring(members["word/document.xml"])
    body = root.find("w:body", NS)
    assert body is not None
    split_tag(body, "{{ party_a")
    for clause in reversed(NEW_CLAUSES):
        add_paragraph_after(body, "达成如下协议", clause)
    replace_text(
        body, "本协议一式贰份，甲乙双方各执壹份。", "本协议一式叁份，甲乙双方各执壹份，报街道党工委备案壹份。"
    )
    members["word/document.xml"] = etree.tostring(
        root, xml_declaration=True, encoding="UTF-8", standalone=True
    )
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in members.items():
            out.writestr(infos[name], data, zipfile.ZIP_DEFLATED)
    return dst
