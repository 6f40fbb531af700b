"""Domain errors; each maps to one RFC 7807 problem in ``core.problems``."""


class AppError(Exception):
    """Base of every error the service raises on purpose.

    Attributes:
        status: HTTP status of the problem response.
        code: Stable, machine-readable error code.
        title: Short, human-readable summary of the error kind.
    """

    status = 500
    code = "internal_error"
    title = "Internal Server Error"

    def __init__(self, detail: str) -> None:
        """Create the error with a message specific to this occurrence."""
        super().__init__(detail)
        self.detail = detail


class NotFoundError(AppError):
    """The requested resource does not exist."""

    status = 404
    code = "not_found"
    title = "Not Found"


class ServiceUnavailableError(AppError):
    """A dependency the service needs is down."""

    status = 503
    code = "service_unavailable"
    title = "Service Unavailable"


class ConflictError(AppError):
    """The request conflicts with the current state of a resource."""

    status = 409
    code = "conflict"
    title = "Conflict"


class IdempotencyKeyReusedError(AppError):
    """An ``Idempotency-Key`` was sent again with a different request body."""

    status = 422
    code = "idempotency_key_reused"
    title = "Idempotency Key Reused"
