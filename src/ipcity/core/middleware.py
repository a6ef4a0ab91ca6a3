from ipcity.core.context import client_ip


class RequestContextMiddleware:
    """Remember the client's address for audit rows written while this request runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = client_ip.set(request.META.get("REMOTE_ADDR", ""))
        try:
            return self.get_response(request)
        finally:
            client_ip.reset(token)
