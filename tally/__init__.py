"""Tallies: each jurisdiction's rules (policy profiles) applied to the stored records."""
