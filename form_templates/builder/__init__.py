"""Builds the bundled form templates from their layouts: `python -m baodao.form_templates.builder [KEY]`."""
