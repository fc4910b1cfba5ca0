"""Form specs and templates: the bottom layer that generation and intake both read."""
