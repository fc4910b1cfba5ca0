"""What a value read by OCR should look like, beyond the spec's own rules: a person's name is a few
Chinese characters. A recognizer that read a neighbouring line, or a rule as a character, gives values
the spec allows (a text of 12 characters) that no person would write there; they go to review.
"""

from __future__ import annotations

import re

from baodao.form_templates.spec import FormSpec
from baodao.intake.model import FieldIssue, JsonValue

PERSON_LABELS = ("姓名", "经办人", "共产党员", "联系人", "负责人", "签名")
PERSON_NAME = re.compile(r"[\u3400-\u9fff]{2,5}(?:[·•][\u3400-\u9fff]{1,6})?")


def implausible(spec: FormSpec, fields: dict[str, JsonValue], flagged: set[str]) -> list[FieldIssue]:
    """An issue for each value read that does not look like what its label asks for."""
    out = []
    for f in spec.fields:
        value = fields.get(f.name)
        if f.name in flagged or not isinstance(value, str) or not value:
            continue
        if f.type == "text" and f.label.endswith(PERSON_LABELS) and not PERSON_NAME.fullmatch(value):
            out.append(FieldIssue(f.name, f"{f.label}：识别出的“{value[:20]}”不像人名，请核对"))
    return out
