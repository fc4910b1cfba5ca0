"""What intake makes of a file: a read record with its doubts, or a rejection with its reason."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from baodao.form_templates.spec import FieldIssue, JsonValue
from baodao.text import shown

__all__ = ["FieldIssue", "JsonValue", "ReadRecord", "Rejected"]


@dataclass
class ReadRecord:
    """One form read from one file."""

    source: Path
    form: str
    form_id: str | None
    fields: dict[str, JsonValue]
    issues: list[FieldIssue] = field(default_factory=list)
    # Scans only: each field's recognition confidence, 0 to 1 (a file's own text needs none).
    confidence: dict[str, float] = field(default_factory=dict)
    # An old format read through its LibreOffice conversion: the original's suffix (".doc").
    converted_from: str | None = None
    # A scan whose QR code could not be read: the id printed under the code as OCR read it ("" when
    # nothing was), not yet checked against the register (intake.printed_id.settle_id); None otherwise.
    printed_id: str | None = None

    @property
    def note(self) -> str | None:
        """How the file was read, when not as it is: “由 .doc 转换后读取”."""
        return f"由 {self.converted_from} 转换后读取" if self.converted_from else None

    def as_json(self) -> dict[str, object]:
        out: dict[str, object] = {
            "source": shown(self.source),
            "form": self.form,
            "id": self.form_id,
            "fields": self.fields,
            "issues": [{"field": i.field, "message": i.message} for i in self.issues],
        }
        if self.confidence:
            out["confidence"] = self.confidence
        if self.note:
            out["note"] = self.note
        return out


@dataclass(frozen=True)
class Rejected:
    """A file that could not be read as any form, left where it is, with the reason."""

    source: Path
    reason: str
    # Refused for time or memory, which depend on how busy the machine is: a later run reads it again.
    retry: bool = False

    def as_json(self) -> dict[str, object]:
        return {"source": shown(self.source), "reason": self.reason, "retry": self.retry}
