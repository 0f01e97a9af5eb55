"""Two-factor login (SECURITY.md item 3): a TOTP device per user (django-otp) and ten recovery codes.

Who is asked: users whose role is in ``ZHAOSHANG_TWO_FACTOR_ROLES``. The login page marks the session it
creates (``mark_session``); a marked session that has not passed a code reaches only the enrolment and
verification pages (``middleware.TwoFactorMiddleware``) and is refused by the API (``api.auth``). The page
login is the only place the platform creates a session, so every real session of such a role is marked;
sessions made otherwise (the tests' ``force_login``) stand for verified ones.

API tokens are issued to such a user only against a valid code (``POST /api/v1/auth/token`` with ``otp``).

Wrong codes (page or token endpoint) are counted per account in the shared cache: after
``ZHAOSHANG_TWO_FACTOR_FAILURE_LIMIT`` within ``AXES_COOLOFF_TIME`` every further code is refused until the
window passes or the 安全管理员 resets the user's second factor. This module is the one writer of the
django-otp device tables.
"""

from base64 import b32encode
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils.safestring import mark_safe
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from zhaoshang.core.audit import security_event
from zhaoshang.core.errors import RateLimited, ValidationFailed
from zhaoshang.core.models import SecurityEvent
from zhaoshang.core.roles import Cap

from .models import User
from .services import _require_region, require_capability

SESSION_KEY = "zs_two_factor_required"
RECOVERY_CODES = 10
DEVICE_NAME = "身份验证器"
RECOVERY_NAME = "恢复码"
TOO_MANY = "动态口令错误次数过多，请 {minutes} 分钟后再试或联系安全管理员"
API_MESSAGE = "请先在网页登录页完成双因素认证（动态口令）"
WRONG = "动态口令不正确或已使用过，请输入身份验证器上当前的 6 位数字"


class TooManyFailures(RateLimited):
    """Codes refused without being checked: the account is over its failure limit."""

    code = "two_factor_throttled"


def required_for(user) -> bool:
    """Whether ``user``'s role must pass a second factor."""
    return bool(getattr(user, "role", "")) and user.role in settings.ZHAOSHANG_TWO_FACTOR_ROLES


def mark_session(request, user) -> bool:
    """Called by the login page after the password: marks the session of a user who must pass a code."""
    if required_for(user):
        request.session[SESSION_KEY] = True
        return True
    return False


def pending(request) -> bool:
    """A logged-in session still waiting for its code: marked at login and not verified by a device that
    still exists (a reset by the 安全管理员 drops a verified session back here)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not request.session.get(SESSION_KEY):
        return False
    return not user.is_verified()


def next_step_url(request, next_url: str = "") -> str:
    """Where a pending session goes: enrolment without a confirmed device, else the code page."""
    name = "accounts:two_factor_verify" if confirmed_device(request.user) else "accounts:two_factor_enrol"
    url = reverse(name)
    next_url = next_url or (request.get_full_path() if request.method == "GET" else "")
    if next_url and next_url not in (reverse("core:home"), url):
        url = f"{url}?{urlencode({'next': next_url})}"
    return url


# --- reads ----------------------------------------------------------------------------------------------


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def enrolled_user_ids(user_ids) -> set[int]:
    """Which of ``user_ids`` have a confirmed TOTP device (the user list's reset buttons)."""
    return set(TOTPDevice.objects.filter(user_id__in=user_ids, confirmed=True).values_list("user_id", flat=True))


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user).count()


def secret_of(device: TOTPDevice) -> str:
    """The base32 secret as authenticator apps take it when typed, in groups of four."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The provisioning URL as an inline SVG QR code, made here (no service, no image file)."""
    code = segno.make(device.config_url, error="m")
    return mark_safe(code.svg_inline(scale=4, dark="#1d273b", light="#ffffff", title="身份验证器二维码"))  # noqa: S308 - segno's own markup


# --- the failure throttle -------------------------------------------------------------------------------


def _failure_key(user: User) -> str:
    return f"two-factor-failures:{user.pk}"


def _minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def _check_not_throttled(user: User) -> None:
    if cache.get(_failure_key(user), 0) >= settings.ZHAOSHANG_TWO_FACTOR_FAILURE_LIMIT:
        raise TooManyFailures(TOO_MANY.format(minutes=_minutes()))


def _count_failure(user: User) -> None:
    key = _failure_key(user)
    timeout = int(settings.AXES_COOLOFF_TIME.total_seconds())
    if not cache.add(key, 1, timeout):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout)


def _clean(code: str) -> str:
    return "".join((code or "").split()).replace("-", "").lower()


# --- writes ---------------------------------------------------------------------------------------------


def enrol_start(*, user: User) -> TOTPDevice:
    """A new, unconfirmed TOTP device (any earlier unconfirmed one is dropped: its secret was shown once)."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        return TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def enrol_confirm(*, request, user: User, code: str) -> list[str]:
    """Confirms the pending device with a code from the app, verifies the session and returns the ten recovery
    codes (shown once; only the device keeps them). A wrong code is audited and counted."""
    _check_not_throttled(user)
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
        if device is None:
            raise ValidationFailed("绑定已过期，请重新扫描二维码", fields={"code": ["请刷新页面重新绑定"]})
        accepted = device.verify_token(_clean(code))
        if accepted:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
            StaticDevice.objects.filter(user=user).delete()
            recovery = StaticDevice.objects.create(user=user, name=RECOVERY_NAME)
            codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
            StaticToken.objects.bulk_create(StaticToken(device=recovery, token=token) for token in codes)
            security_event(SecurityEvent.Kind.TWO_FACTOR_ENROLLED, user=user, request=request)
    if not accepted:
        _refuse(request, user, "enrol")
    cache.delete(_failure_key(user))
    otp_login(request, device)
    return codes


def verify(*, request, user: User, code: str) -> None:
    """Verifies the session with the TOTP code, or with a recovery code (which is then used up)."""
    otp_login(request, check_code(request=request, user=user, code=code))


def check_code(*, request, user: User, code: str) -> TOTPDevice | StaticDevice:
    """The device that accepts ``code`` (a 6-digit TOTP code, each accepted once; or a recovery code, deleted
    on use), audited either way. Raises ``ValidationFailed`` on a wrong code and ``TooManyFailures`` past the
    limit (then the code is not even checked)."""
    _check_not_throttled(user)
    code = _clean(code)
    recovery = not code.isdigit()
    with transaction.atomic():
        model = StaticDevice if recovery else TOTPDevice
        device = model.objects.select_for_update().filter(user=user, confirmed=True).first()
        accepted = device is not None and bool(code) and device.verify_token(code)
        if accepted:
            if recovery:
                left = device.token_set.count()
                security_event(SecurityEvent.Kind.RECOVERY_CODE_USED, user=user, request=request, detail={"left": left})
            else:
                security_event(SecurityEvent.Kind.TWO_FACTOR_VERIFIED, user=user, request=request)
    if not accepted:
        _refuse(request, user, "recovery" if recovery else "totp")
    cache.delete(_failure_key(user))
    return device


def _refuse(request, user: User, method: str):
    """A wrong code: counted, audited (after the checking transaction, so the row stays), refused."""
    _count_failure(user)
    security_event(
        SecurityEvent.Kind.TWO_FACTOR_FAILED, user=user, success=False, request=request, detail={"method": method}
    )
    raise ValidationFailed("动态口令不正确", fields={"code": [WRONG]})


def reset(*, actor: User, user: User, request=None) -> int:
    """The 安全管理员 deletes ``user``'s TOTP device and recovery codes; the user enrols again at the next
    login (and a session verified by the deleted device is asked again). Returns the devices removed."""
    require_capability(actor, Cap.RESET_TWO_FACTOR)
    _require_region(actor, user.org_unit)
    with transaction.atomic():
        devices = [TOTPDevice.objects.filter(user=user), StaticDevice.objects.filter(user=user)]
        removed = sum(queryset.count() for queryset in devices)
        for queryset in devices:
            queryset.delete()
        security_event(
            SecurityEvent.Kind.TWO_FACTOR_RESET,
            user=actor,
            request=request,
            object_repr=user.username,
            detail={"user_id": user.pk, "removed": removed},
        )
    cache.delete(_failure_key(user))
    return removed
