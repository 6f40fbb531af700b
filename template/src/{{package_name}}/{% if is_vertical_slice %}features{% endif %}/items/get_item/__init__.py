"""Slice ``GET /items/{item_id}``: read one item."""
