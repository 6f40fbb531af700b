"""Idempotency keys: what makes a retried create return the first response."""
