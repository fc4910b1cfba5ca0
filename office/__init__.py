"""The office programs and files baodao works with: LibreOffice, poppler, spreadsheets."""
