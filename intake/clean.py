"""A record's text made safe where it enters: control characters removed, invisible marks removed and
flagged for review, the form id bounded and validated.

Whatever reader made the record (DOCX, XLSX, PDF, a scan), nothing it read can later break storing, an
export or a generated file name.
"""

from __future__ import annotations

from dataclasses import replace
from typing import cast

from baodao.form_templates.spec import FieldIssue, JsonValue
from baodao.intake.model import ReadRecord, Rejected
from baodao.text import invisible_in, without_controls, without_invisible

MAX_ID_LENGTH = 120  # as the database keeps an id (issued_forms.form_id, records.form_id)


def checked(record: ReadRecord) -> ReadRecord | Rejected:
    """``record`` with clean text, each field that held invisible marks flagged; or the rejection of a
    file whose form id is not one baodao could have issued."""
    issues = [FieldIssue(without_controls(i.field), without_controls(i.message)) for i in record.issues]
    fields: dict[str, JsonValue] = {}
    for name, value in record.fields.items():
        marks: list[str] = []
        fields[name] = _clean(value, marks)
        if marks:
            issues.append(
                FieldIssue(
                    name,
                    f"含有看不见的字符（{'、'.join(dict.fromkeys(marks))}），可能使内容显示得与实际不同，"
                    "已去掉；请核对",
                )
            )
    ident = record.form_id
    if ident is not None:
        marks = invisible_in(ident)
        cleaned = without_invisible(without_controls(ident)).strip()
        if marks or cleaned != ident.strip():
            return Rejected(
                record.source,
                f"编号中含有控制字符或看不见的字符（{'、'.join(marks) or '控制字符'}），"
                "不是 baodao 发出的编号：请核对原件，或请本人重新填写",
            )
        if len(cleaned) > MAX_ID_LENGTH:
            return Rejected(
                record.source,
                f"编号长 {len(cleaned)} 个字符，超过上限 {MAX_ID_LENGTH}，不是 baodao 发出的编号："
                "请核对原件，或请本人重新填写",
            )
        ident = cleaned or None
    return replace(record, form_id=ident, fields=fields, issues=issues)


def _clean(value: JsonValue, marks: list[str]) -> JsonValue:
    if isinstance(value, str):
        return _text(value, marks)
    if isinstance(value, list):
        return cast(JsonValue, [_item(v, marks) for v in value])
    return value


def _item(value: str | dict[str, str | int | None], marks: list[str]) -> str | dict[str, str | int | None]:
    if isinstance(value, str):
        return _text(value, marks)
    return {k: _text(v, marks) if isinstance(v, str) else v for k, v in value.items()}


def _text(value: str, marks: list[str]) -> str:
    marks += invisible_in(value)
    return without_invisible(without_controls(value))
