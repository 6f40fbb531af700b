"""SQL of the list slice, as constants with positional parameters."""

COUNT_ITEMS = "SELECT count(*) FROM items"
SELECT_ITEM_PAGE = """
SELECT id, name, description, created_at, updated_at
FROM items
ORDER BY created_at DESC, id DESC
OFFSET $1 LIMIT $2
"""
