"""What a scan's reading leaves to check: each value's confidence, and an issue for each doubtful one.

Values are traced to what was read through the probe: the same page with a marker in place of each text
OCR read, put through the extractor, shows which field each text became.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from baodao.form_templates.catalog import Form
from baodao.intake.grid import Block
from baodao.intake.model import FieldIssue, JsonValue, ReadRecord

# Below this a recognized value is sent to review rather than trusted. The confidence is the recognizer's
# least sure step along the line (intake.ocr); measured on the test scans: right lines 0.89–1.00, a line
# that lost a rare character (蕰) 0.26.
OCR_CONFIDENCE_MIN = 0.85
UNALIGNED = "页面未能与模板对齐"


@dataclass(frozen=True)
class Doubt:
    """Something read that must be checked: the text it stands in, and why, in Chinese."""

    text: str
    reason: str


@dataclass
class Reading:
    """The pages' blocks as read, and again with a marker for each text OCR read (the probe), to learn
    which field each read text became; with the doubts, by marker, and the doubtful boxes."""

    blocks: list[Block] = field(default_factory=list)
    probe: list[Block] = field(default_factory=list)
    texts: dict[str, Doubt] = field(default_factory=dict)
    boxes: list[Doubt] = field(default_factory=list)
    markers: int = 0
    sure: dict[str, float] = field(default_factory=dict)  # every marker's confidence
    box_texts: list[tuple[str, float]] = field(default_factory=list)  # every box: the text it is in, 1 or 0


def confidences(
    form: Form, probe: dict[str, JsonValue], reading: Reading, read: dict[str, JsonValue]
) -> dict[str, float]:
    """Each field's confidence, as far as a scan gave it: its text's (the least of its lines), or for
    a choice by boxes 1 when every box was clearly empty or clearly marked and 0 when one was not."""
    out: dict[str, float] = {}
    for f in form.spec.fields:
        shown = str(probe.get(f.name))
        found = [sure for marker, sure in reading.sure.items() if marker in shown]
        if f.type in ("choice", "choices"):
            found += [sure for text, sure in reading.box_texts if any(o in text for o in f.options)]
        if found:
            out[f.name] = round(min(found), 3)
    # A value the extractor found without passing a marker through (a date line under a seal, picked out
    # of a cell's text) cannot be traced to its line: it gets the least confidence of the page's text.
    lowest = round(min(reading.sure.values(), default=1.0), 3)
    for f in form.spec.fields:
        if f.name not in out and read.get(f.name) not in (None, [], "") and f.type != "table":
            out[f.name] = lowest
    return out


def review(form: Form, probe: dict[str, JsonValue], reading: Reading, record: ReadRecord) -> list[FieldIssue]:
    """An issue for each field a doubtful text went into, each choice a doubtful box belongs to, and
    each value that could not be traced to its line when the page's least sure line is doubtful."""
    flagged = {i.field for i in record.issues}
    out = []
    for f in form.spec.fields:
        if f.name in flagged:
            continue  # already in review, with the reason found first
        shown = str(probe.get(f.name))
        doubt = next((d for marker, d in reading.texts.items() if marker in shown), None)
        if doubt is not None:
            out.append(
                FieldIssue(f.name, f"{f.label}：扫描识别把握不足（{doubt.reason}），请核对：{doubt.text}")
            )
            continue
        if f.type in ("choice", "choices"):
            box = next((d for d in reading.boxes if any(o in d.text for o in f.options)), None)
            if box is not None:
                out.append(FieldIssue(f.name, f"{f.label}：有勾选框看不清是否勾选（{box.reason}），请核对"))
                continue
        confidence = record.confidence.get(f.name, 1.0)
        if confidence < OCR_CONFIDENCE_MIN:  # untraced, or read on a page laid over nothing
            value = record.fields.get(f.name)
            out.append(
                FieldIssue(f.name, f"{f.label}：扫描识别把握不足（置信度 {confidence:.2f}），请核对：{value}")
            )
    return out
