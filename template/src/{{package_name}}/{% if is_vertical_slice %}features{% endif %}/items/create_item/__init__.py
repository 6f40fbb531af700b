"""Slice ``POST /items``: create an item."""
