"""One module per form (key with “-” as “_”): ``build(b)`` lays out the DOCX, ``build_xlsx`` the XLSX."""
