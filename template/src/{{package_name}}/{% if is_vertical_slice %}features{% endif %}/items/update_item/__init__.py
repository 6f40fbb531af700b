"""Slice ``PATCH /items/{item_id}``: change some fields of an item."""
