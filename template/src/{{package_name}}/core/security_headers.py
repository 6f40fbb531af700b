"""Security headers on every HTTP response, as pure ASGI middleware."""

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# API responses load nothing; the interactive docs pages need their CDN assets.
API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'"
DOCS_PATHS = ("/docs", "/redoc")
HSTS = "max-age=31536000; includeSubDomains"


class SecurityHeadersMiddleware:
    """Add nosniff, frame, referrer and content-security policies (HSTS when asked).

    Headers the application set itself are left as they are.
    """

    def __init__(self, app: ASGIApp, *, hsts: bool) -> None:
        """Wrap ``app``; send ``Strict-Transport-Security`` when ``hsts`` is on."""
        self.app = app
        self.headers = {
            "X-Content-Type-Options": "nosniff",
            "X-Frame-Options": "DENY",
            "Referrer-Policy": "strict-origin-when-cross-origin",
            "Cross-Origin-Opener-Policy": "same-origin",
        }
        if hsts:
            self.headers["Strict-Transport-Security"] = HSTS

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one ASGI connection."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        is_docs = str(scope["path"]).startswith(DOCS_PATHS)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self.headers.items():
                    headers.setdefault(name, value)
                if not is_docs:
                    headers.setdefault(
                        "Content-Security-Policy", API_CONTENT_SECURITY_POLICY
                    )
            await send(message)

        await self.app(scope, receive, send_with_headers)
