"""Slice ``DELETE /items/{item_id}``: delete an item."""
