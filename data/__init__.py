"""Bundled sample data: the seed community lists, the synthetic roster and ledger, the two seed notices."""
