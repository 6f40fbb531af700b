"""SQL of the update slice, as constants with positional parameters."""

# $2 and $4 say whether the name ($3) and the description ($5) change.
UPDATE_ITEM = """
UPDATE items
SET name = CASE WHEN $2::boolean THEN $3 ELSE name END,
    description = CASE WHEN $4::boolean THEN $5 ELSE description END,
    updated_at = $6
WHERE id = $1
RETURNING id, name, description, created_at, updated_at
"""
