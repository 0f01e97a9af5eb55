from datetime import timedelta

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone


class TwoFactorMiddleware:
    """A session that passed the password but not yet the second factor (``two_factor.pending``) reaches
    only the enrolment and verification pages and logout; every other page sends it there, the API refuses it
    (a request with its own bearer token is the API's to authenticate; ``api.auth`` refuses the session)."""

    allowed_names = ("accounts:two_factor_verify", "accounts:two_factor_enrol", "accounts:logout")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from . import two_factor  # deferred: it imports django-otp models, not ready when middleware loads

        if two_factor.pending(request) and not request.path.startswith(settings.STATIC_URL):
            allowed = {reverse(name) for name in self.allowed_names}
            if request.path.startswith("/api/"):
                if "HTTP_AUTHORIZATION" not in request.META:
                    return JsonResponse(
                        {"code": "two_factor_required", "message": two_factor.API_MESSAGE, "fields": {}},
                        status=403,
                    )
            elif request.path not in allowed:
                return redirect(two_factor.next_step_url(request))
        return self.get_response(request)


class PasswordExpiryMiddleware:
    """A user whose password is older than the maximum age may only change it (SECURITY.md item 1)."""

    allowed_names = ("accounts:password_change", "accounts:logout")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and password_expired(user):
            allowed = {reverse(name) for name in self.allowed_names}
            if request.path not in allowed and not request.path.startswith(settings.STATIC_URL):
                if request.path.startswith("/api/"):
                    return JsonResponse(
                        {
                            "code": "password_expired",
                            "message": "密码已过期，请先登录网页修改密码",
                            "fields": {},
                        },
                        status=403,
                    )
                return redirect(f"{reverse('accounts:password_change')}?expired=1")
        return self.get_response(request)


def password_expired(user) -> bool:
    changed = user.password_changed_at
    if changed is None:
        return True
    return timezone.now() - changed > timedelta(days=settings.ZHAOSHANG_PASSWORD_MAX_AGE_DAYS)
