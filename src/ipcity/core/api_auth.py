"""API authentication: the browser's session (with CSRF on unsafe methods) or a Bearer token."""
from __future__ import annotations

from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer


class SessionAuthWithCSRF(APIKeyCookie):
    """Django session cookie; ninja's APIKeyCookie enforces CSRF for unsafe methods when csrf=True."""

    param_name = "sessionid"

    def __init__(self):
        super().__init__(csrf=True)

    def _get_key(self, request):
        # CSRF protects a logged-in session only. A request the session does not authenticate has nothing for a
        # forged cross-site request to borrow, and checking it anyway refused every Bearer-token POST (this scheme
        # runs first, so BearerTokenAuth never got its turn).
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        try:
            return super()._get_key(request)
        except HttpError as exc:  # ninja's "CSRF check Failed": give it the API's stable code and a Chinese message
            error = HttpError(403, "CSRF 校验失败：请刷新页面后重试（浏览器会话的写操作须携带 CSRF 令牌）")
            error.code = "csrf_failed"
            raise error from exc

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
