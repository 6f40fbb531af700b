"""SQL of the delete slice, as constants with positional parameters."""

DELETE_ITEM = "DELETE FROM items WHERE id = $1 RETURNING id"
