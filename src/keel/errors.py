"""The one exception type keel raises on purpose; the CLI prints its message."""


class KeelError(Exception):
    """Something keel was asked to do cannot be done; the message says why and what to do."""
