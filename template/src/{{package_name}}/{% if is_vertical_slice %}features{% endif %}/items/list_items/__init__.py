"""Slice ``GET /items``: list items, one page at a time."""
