"""Generation: typed records in, filled DOCX/XLSX/PDF forms and official notices out."""
