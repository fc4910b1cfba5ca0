"""Rebuild the bundled templates: every form, or the keys named on the command line."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

from baodao.form_templates.builder.dsl import FormBuilder
from baodao.form_templates.builder.xlsx_kit import build_table_xlsx
from baodao.form_templates.catalog import DOCX_FILE, XLSX_FILE, Form, forms


def build(form: Form, folder: Path | None = None) -> list[Path]:
    """Build ``form``'s templates into ``folder`` (its own folder by default); returns what was written."""
    folder = folder or form.folder
    layout = importlib.import_module(f"form_templates.builder.layouts.{form.key.replace('-', '_')}")
    builder = FormBuilder(form.spec, **getattr(layout, "SIZES", {}))
    layout.build(builder)
    made = [folder / DOCX_FILE]
    builder.save(made[0])
    if form.xlsx is not None:
        made.append(folder / XLSX_FILE)
        custom = getattr(layout, "build_xlsx", None)
        if custom is not None:
            custom(form.spec, made[1])
        else:
            build_table_xlsx(form.spec, made[1], **getattr(layout, "XLSX", {}))
    return made


def main(keys: list[str]) -> None:
    for form in forms():
        if not keys or form.key in keys:
            build(form)
            print(f"built {form.key}")


if __name__ == "__main__":
    main(sys.argv[1:])
