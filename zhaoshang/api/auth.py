"""API authentication: ``Authorization: Bearer <token>`` or the page session (with CSRF)."""

from django.conf import settings
from ninja.security import APIKeyCookie, HttpBearer

from zhaoshang.accounts import two_factor
from zhaoshang.accounts.services import api_token_authenticate
from zhaoshang.core.errors import NotFound, PermissionDenied
from zhaoshang.core.middleware import assigned_only_allows, record_denied
from zhaoshang.core.roles import Cap


def confine(request, user):
    """An expert reaches only the endpoints of his assigned reviews: anything else is a 404, recorded as a
    refused access."""
    if (
        user is not None
        and user.has_capability(Cap.VIEW_ASSIGNED_ONLY)
        and not assigned_only_allows(request.path, None)
    ):
        request.user = user
        record_denied(request, PermissionDenied("仅可访问分配给本人的评审"))
        raise NotFound()
    return user


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        user = api_token_authenticate(token)
        if user is not None:
            request.user = user
        return confine(request, user)


class SessionAuth(APIKeyCookie):
    """The logged-in page session; unsafe methods need the CSRF token like any form. A session that still owes
    its second factor is not a session here (``accounts.two_factor``)."""

    param_name = "sessionid"

    def __init__(self) -> None:
        self.param_name = settings.SESSION_COOKIE_NAME
        super().__init__(csrf=True)

    def authenticate(self, request, key):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not two_factor.pending(request):
            return confine(request, user)
        return None


API_AUTH = [BearerToken(), SessionAuth()]
