"""SQL of the read slice, as constants with positional parameters."""

SELECT_ITEM = """
SELECT id, name, description, created_at, updated_at
FROM items
WHERE id = $1
"""
