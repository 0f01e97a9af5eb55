import re
import uuid

from django.conf import settings
from django.http import Http404
from django.shortcuts import render

from . import context
from .audit import security_event
from .client import client_ip
from .errors import ApplicationError, PermissionDenied
from .models import SecurityEvent
from .roles import Cap

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestContextMiddleware:
    """Give every request an id (``X-Request-ID`` from nginx when valid) and record the client IP
    for the audit logs (``core.client``: the same address the rate limits and django-axes use)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        ctx = context.RequestContext(
            ip=client_ip(request),
            request_id=request_id,
            user_agent=request.headers.get("User-Agent", "")[:200],
        )
        request.request_id = request_id
        token = context.activate(ctx)
        try:
            response = self.get_response(request)
        finally:
            context.deactivate(token)
        response["X-Request-ID"] = request_id
        return response


class NoStoreMiddleware:
    """Pages and API answers for a logged-in user must not be kept by browsers or proxies."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        authenticated = user is not None and user.is_authenticated
        if authenticated or request.path.startswith("/api/"):
            response["Cache-Control"] = "no-store, private"
            response["Pragma"] = "no-cache"
        return response


class ApplicationErrorMiddleware:
    """Pages: an ``ApplicationError`` that no view handled becomes an error page with its status
    and Chinese message (never a 500). The API has its own handler (``api.errors``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, ApplicationError) and not request.path.startswith("/api/"):
            if isinstance(exception, PermissionDenied):
                record_denied(request, exception)
            return render(request, "core/error.html", {"error": exception}, status=exception.status)
        return None


def record_denied(request, exception: PermissionDenied) -> None:
    """SECURITY.md item 7: every refused action leaves one audit row."""
    user = getattr(request, "user", None)
    security_event(
        SecurityEvent.Kind.ACCESS_DENIED,
        user=user if user and user.is_authenticated else None,
        success=False,
        request=request,
        detail={"method": request.method, "message": exception.message},
    )


def assigned_only_allows(path: str, url_name: str | None) -> bool:
    """Whether a user who sees only what is assigned to him (an expert) may reach this page or endpoint:
    the pages named in ``ZHAOSHANG_ASSIGNED_ONLY_PAGES`` (``namespace:name``, or ``namespace:prefix*``) and the
    API paths starting with one of ``ZHAOSHANG_ASSIGNED_ONLY_API``."""
    if path.startswith("/api/"):
        return any(path.startswith(prefix) for prefix in settings.ZHAOSHANG_ASSIGNED_ONLY_API)
    for allowed in settings.ZHAOSHANG_ASSIGNED_ONLY_PAGES:
        if url_name == allowed or (allowed.endswith("*") and (url_name or "").startswith(allowed[:-1])):
            return True
    return False


class AssignedOnlyMiddleware:
    """An expert reaches his assigned reviews and nothing else of the platform: every other page is a 404
    (not a 403: he is not told what exists), recorded as a refused access like a 403. The API applies the
    same rule after authentication (``api.auth``), since bearer tokens are read there."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.has_capability(Cap.VIEW_ASSIGNED_ONLY):
            return None
        if request.path.startswith("/api/"):
            return None
        match = request.resolver_match
        if not assigned_only_allows(request.path, match.view_name if match else None):
            record_denied(request, PermissionDenied("仅可访问分配给本人的评审"))
            raise Http404()
        return None
