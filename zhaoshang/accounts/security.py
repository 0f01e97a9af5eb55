"""Login security: audit of logins and logouts, the response to a locked-out account, and the limit on
failed logins per client address (password spraying: one password tried across many accounts)."""

from axes.exceptions import AxesBackendPermissionDenied
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.core.cache import cache
from django.dispatch import receiver
from django.http import JsonResponse
from django.shortcuts import render

from zhaoshang.core.audit import security_event
from zhaoshang.core.client import client_ip_or_unknown
from zhaoshang.core.models import SecurityEvent

from .forms import LoginForm

LOCKED_MESSAGE = "登录失败次数过多，账号已锁定 {minutes} 分钟，请稍后再试或联系安全管理员解锁"
ADDRESS_MESSAGE = "来自您所在网络地址的登录失败次数过多，请 {minutes} 分钟后再试"


def lockout_message() -> str:
    return LOCKED_MESSAGE.format(minutes=int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))


def _minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def lockout_response(request, credentials, *args, **kwargs):
    """Called by django-axes when a locked account (or a limited address) tries to log in (refused)."""
    username = (credentials or {}).get("username", "")
    by_address = getattr(request, "zs_address_limited", False)
    message = ADDRESS_MESSAGE.format(minutes=_minutes()) if by_address else lockout_message()
    security_event(
        SecurityEvent.Kind.LOCKED_OUT,
        username=username,
        success=False,
        request=request,
        detail={"by": "address"} if by_address else None,
    )
    if request.path.startswith("/api/"):
        code = "address_limited" if by_address else "locked"
        return JsonResponse({"code": code, "message": message, "fields": {}}, status=429)
    form = LoginForm(request, data=None, initial={"username": username})
    return render(request, "accounts/login.html", {"form": form, "locked_message": message}, status=429)


def _address_key(request) -> str:
    return f"login-failures:{client_ip_or_unknown(request)}"


class AddressLimitBackend:
    """First of ``AUTHENTICATION_BACKENDS``: refuses every login attempt from an address that has failed
    ``ZHAOSHANG_LOGIN_FAILURES_PER_ADDRESS`` times within the cool-off, whichever accounts it tried. It flags
    the request like django-axes does, so that axes records nothing more and its middleware answers 429."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        if cache.get(_address_key(request), 0) >= settings.ZHAOSHANG_LOGIN_FAILURES_PER_ADDRESS:
            request.axes_locked_out = True
            request.zs_address_limited = True
            raise AxesBackendPermissionDenied("too many failed logins from this address")
        return None


def _count_address_failure(request) -> None:
    if request is None or getattr(request, "axes_locked_out", False):
        return
    key = _address_key(request)
    timeout = int(settings.AXES_COOLOFF_TIME.total_seconds())
    if not cache.add(key, 1, timeout):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout)


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    security_event(SecurityEvent.Kind.LOGIN, user=user, request=request)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        security_event(SecurityEvent.Kind.LOGOUT, user=user, request=request)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    _count_address_failure(request)
    username = (credentials or {}).get("username", "")
    user = get_user_model().objects.filter(username=username).first()
    security_event(SecurityEvent.Kind.LOGIN_FAILED, user=user, username=username, success=False, request=request)
