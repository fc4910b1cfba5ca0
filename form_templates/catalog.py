"""The catalog: every bundled form, found by key, with the paths of its spec and templates."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from baodao.errors import UnknownFormError
from baodao.form_templates.loader import read_spec
from baodao.form_templates.spec import FormSpec

TEMPLATES_ROOT = Path(__file__).resolve().parent
SPEC_FILE = "spec.yaml"
DOCX_FILE = "template.docx"
XLSX_FILE = "template.xlsx"


@dataclass(frozen=True)
class Form:
    """A catalog entry: its spec and where its templates live."""

    spec: FormSpec
    folder: Path

    @property
    def key(self) -> str:
        return self.spec.key

    @property
    def docx(self) -> Path:
        return self.folder / DOCX_FILE

    @property
    def xlsx(self) -> Path | None:
        path = self.folder / XLSX_FILE
        return path if self.spec.xlsx is not None else None


@cache
def forms(root: Path = TEMPLATES_ROOT) -> tuple[Form, ...]:
    """Every form under ``root``, in catalog order (by seed, then key)."""
    found = [Form(read_spec(p), p.parent) for p in sorted(root.glob(f"*/{SPEC_FILE}"))]
    return tuple(sorted(found, key=lambda f: (f.spec.seed, f.key)))


def get_form(key: str, root: Path = TEMPLATES_ROOT) -> Form:
    """The form called ``key``, or UnknownFormError listing the keys there are."""
    for form in forms(root):
        if form.key == key:
            return form
    known = "、".join(f.key for f in forms(root))
    raise UnknownFormError(f"没有名为“{key}”的表单。可用的表单：{known}")
