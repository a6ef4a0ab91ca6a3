"""API authentication: the browser's session (with CSRF on unsafe methods) or a Bearer token."""
from __future__ import annotations

from ninja.security import APIKeyCookie, HttpBearer


class SessionAuthWithCSRF(APIKeyCookie):
    """Django session cookie; ninja's APIKeyCookie enforces CSRF for unsafe methods when csrf=True."""

    param_name = "sessionid"

    def __init__(self):
        super().__init__(csrf=True)

    def authenticate(self, request, key):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return user
        return None


class BearerTokenAuth(HttpBearer):
    openapi_scheme = "bearer"

    def authenticate(self, request, token):
        from ipcity.accounts.actions import authenticate_token

        user = authenticate_token(token)
        if user is not None:
            request.user = user  # so scoping and permissions see the token's user
        return user
