"""Intake: returned filled forms (DOCX, XLSX, PDF) back into validated records."""
