"""Login security: audit of logins and logouts, and the response to a locked-out account."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import JsonResponse
from django.shortcuts import render

from zhaoshang.core.audit import security_event
from zhaoshang.core.models import SecurityEvent

from .forms import LoginForm

LOCKED_MESSAGE = "登录失败次数过多，账号已锁定 {minutes} 分钟，请稍后再试或联系安全管理员解锁"


def lockout_message() -> str:
    return LOCKED_MESSAGE.format(minutes=int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))


def lockout_response(request, credentials, *args, **kwargs):
    """Called by django-axes when a locked account tries to log in (the attempt is refused)."""
    username = (credentials or {}).get("username", "")
    security_event(SecurityEvent.Kind.LOCKED_OUT, username=username, success=False, request=request)
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "locked", "message": lockout_message(), "fields": {}}, status=429)
    form = LoginForm(request, data=None, initial={"username": username})
    return render(request, "accounts/login.html", {"form": form, "locked_message": lockout_message()}, status=429)


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    security_event(SecurityEvent.Kind.LOGIN, user=user, request=request)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        security_event(SecurityEvent.Kind.LOGOUT, user=user, request=request)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    username = (credentials or {}).get("username", "")
    user = get_user_model().objects.filter(username=username).first()
    security_event(SecurityEvent.Kind.LOGIN_FAILED, user=user, username=username, success=False, request=request)
