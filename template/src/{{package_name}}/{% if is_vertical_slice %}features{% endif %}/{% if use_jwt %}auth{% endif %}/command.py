"""What the auth use cases receive: commands built from the request schemas.

The schemas are the wire format (a form, a JSON body); a command is what the
service works on, so the wire format can change without touching it.
"""

import msgspec


class SignIn(msgspec.Struct, frozen=True, kw_only=True):
    """Check these credentials and issue a token pair."""

    username: str
    password: str


class RefreshTokens(msgspec.Struct, frozen=True, kw_only=True):
    """Exchange this refresh token for a new token pair."""

    refresh_token: str
