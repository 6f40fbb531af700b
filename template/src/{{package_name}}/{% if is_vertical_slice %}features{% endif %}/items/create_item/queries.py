"""SQL of the create slice, as constants with positional parameters."""

# Returns the key when this request stored it, no row when another request holds
# it: PostgreSQL waits for that request's transaction before answering.
CLAIM_IDEMPOTENCY_KEY = """
INSERT INTO idempotency_keys (key, request_hash, response_body)
VALUES ($1, $2, $3)
ON CONFLICT (key) DO NOTHING
RETURNING key
"""
SELECT_IDEMPOTENCY_KEY = """
SELECT key, request_hash, response_body, created_at
FROM idempotency_keys
WHERE key = $1
"""
INSERT_ITEM = """
INSERT INTO items (id, name, description, created_at, updated_at)
VALUES ($1, $2, $3, $4, $4)
"""
