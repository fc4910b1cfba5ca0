"""Form specs and templates: the bottom layer that generation and intake both read."""

from form_templates import docx_compat  # noqa: F401  (must run before any python-docx document is made)
