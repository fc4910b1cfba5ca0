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
