"""Rebuild the bundled templates: every form, or the keys named on the command line."""

from __future__ import annotations

import importlib
import sys

from form_templates.builder.dsl import FormBuilder
from form_templates.builder.xlsx_kit import build_table_xlsx
from form_templates.catalog import Form, forms


def build(form: Form) -> None:
    layout = importlib.import_module(f"form_templates.builder.layouts.{form.key.replace('-', '_')}")
    builder = FormBuilder(form.spec, **getattr(layout, "SIZES", {}))
    layout.build(builder)
    builder.save(form.docx)
    if form.xlsx is not None:
        custom = getattr(layout, "build_xlsx", None)
        if custom is not None:
            custom(form.spec, form.xlsx)
        else:
            build_table_xlsx(form.spec, form.xlsx, **getattr(layout, "XLSX", {}))


def main(keys: list[str]) -> None:
    for form in forms():
        if not keys or form.key in keys:
            build(form)
            print(f"built {form.key}")


if __name__ == "__main__":
    main(sys.argv[1:])
