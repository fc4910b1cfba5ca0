"""Storage: the database behind the issuance register and the returned records (SQLite by default)."""
