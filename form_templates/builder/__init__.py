"""Builds the bundled form templates from their layouts: `python -m form_templates.builder [KEY...]`."""
