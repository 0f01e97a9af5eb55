"""Writes to accounts and the organisation tree, each restricted per 三员分立 and audited.

- 系统管理员: org units, accounts (create, edit, deactivate) — never roles.
- 安全管理员: roles and lockouts — never creates accounts.
An administrator acts within their own region (the root of their unit); one without a unit acts on
the whole deployment (a province-level administrator).
"""

from datetime import timedelta

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from zhaoshang.core import parsers
from zhaoshang.core.audit import log_change, security_event, snapshot
from zhaoshang.core.errors import NotFound, PermissionDenied, ValidationFailed
from zhaoshang.core.models import ObjectChange, SecurityEvent
from zhaoshang.core.roles import Cap, Role
from zhaoshang.core.services import validate_or_raise

from .models import ApiToken, OrgUnit, User

USER_EDITABLE_FIELDS = ("full_name", "email", "org_unit", "phone", "title", "is_active")


def require_capability(actor: User, capability: str) -> None:
    if actor is None or not actor.is_authenticated or not actor.has_capability(capability):
        raise PermissionDenied()


def _require_region(actor: User, unit: OrgUnit | None) -> None:
    """An administrator with a unit may only act inside that unit's region."""
    if actor.org_unit_id is None or unit is None:
        return
    if unit.region_id != actor.org_unit.region_id:
        raise NotFound()


# --- org units ------------------------------------------------------------------------------------


def _place(unit: OrgUnit) -> None:
    """Set path, depth and region from the parent (the unit must have an id)."""
    if unit.parent_id:
        parent = OrgUnit.objects.get(pk=unit.parent_id)
        unit.path = f"{parent.path}{unit.pk}/"
        unit.depth = parent.depth + 1
        unit.region_id = parent.region_id
    else:
        unit.path = f"/{unit.pk}/"
        unit.depth = 0
        unit.region_id = unit.pk


def org_unit_create(
    *,
    actor: User,
    name: str,
    code: str,
    kind: str,
    parent: OrgUnit | None = None,
    short_name: str = "",
    sort_order: int = 0,
) -> OrgUnit:
    require_capability(actor, Cap.MANAGE_ORG_UNITS)
    if parent is None and actor.org_unit_id is not None:
        raise ValidationFailed("只有全平台的系统管理员可以新建地区（根单位）", fields={"parent": ["请选择上级单位"]})
    _require_region(actor, parent)
    with transaction.atomic():
        unit = OrgUnit(name=name, code=code, kind=kind, parent=parent, short_name=short_name, sort_order=sort_order)
        validate_or_raise(unit, exclude=["region", "path"])
        unit.save()
        _place(unit)
        unit.save(update_fields=["path", "depth", "region"])
        log_change(actor=actor, obj=unit, action=ObjectChange.Action.CREATE, before=None, after=snapshot(unit))
    return unit


def org_unit_update(*, actor: User, unit: OrgUnit, data: dict) -> OrgUnit:
    require_capability(actor, Cap.MANAGE_ORG_UNITS)
    _require_region(actor, unit)
    with transaction.atomic():
        unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
        before = snapshot(unit)
        old_path = unit.path
        for name, value in data.items():
            setattr(unit, name, value)
        parent = unit.parent
        if parent is not None:
            _require_region(actor, parent)
            if parent.path.startswith(old_path):
                raise ValidationFailed("不能把单位移动到它自己或它的下级单位之下", fields={"parent": ["上级单位无效"]})
            if parent.region_id != unit.region_id:
                raise ValidationFailed("不能把单位移动到其他地区", fields={"parent": ["上级单位无效"]})
        elif before["parent"] is not None:
            raise ValidationFailed("不能把下级单位改为地区根单位", fields={"parent": ["请选择上级单位"]})
        validate_or_raise(unit, exclude=["region", "path"])
        _place(unit)
        unit.save()
        if unit.path != old_path:
            for child in OrgUnit.objects.filter(path__startswith=old_path).exclude(pk=unit.pk).order_by("depth"):
                _place(child)
                child.save(update_fields=["path", "depth", "region"])
        after = snapshot(unit)
        if before != after:
            log_change(actor=actor, obj=unit, action=ObjectChange.Action.UPDATE, before=before, after=after)
    return unit


# --- accounts -------------------------------------------------------------------------------------


def _check_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except DjangoValidationError as exc:
        raise ValidationFailed("密码不符合要求", fields={"password": list(exc.messages)}) from exc


def user_create(
    *,
    actor: User,
    username: str,
    password: str,
    org_unit: OrgUnit | None,
    full_name: str = "",
    email: str = "",
    phone: str = "",
    title: str = "",
) -> User:
    """Create an account without a role (the security administrator assigns it). The initial
    password must be changed at first login."""
    require_capability(actor, Cap.MANAGE_USERS)
    _require_region(actor, org_unit)
    phone = parsers.require({"phone": lambda: parsers.phone(phone)})["phone"]
    with transaction.atomic():
        user = User(username=username, full_name=full_name, email=email, org_unit=org_unit, phone=phone, title=title)
        validate_or_raise(user, exclude=["password"])
        _check_password(password, user)
        user.set_password(password)
        user.password_changed_at = None  # forces a change at first login
        user.save()
        log_change(actor=actor, obj=user, action=ObjectChange.Action.CREATE, before=None, after=_user_snapshot(user))
        security_event(
            SecurityEvent.Kind.ACCOUNT_CHANGED,
            user=actor,
            object_repr=user.username,
            detail={"action": "create"},
        )
    return user


def user_update(*, actor: User, user: User, data: dict) -> User:
    require_capability(actor, Cap.MANAGE_USERS)
    unknown = set(data) - set(USER_EDITABLE_FIELDS)
    if unknown:
        raise PermissionDenied("系统管理员不能修改这些字段：" + "、".join(sorted(unknown)))
    _require_region(actor, user.org_unit)
    if user.pk == actor.pk and data.get("is_active") is False:
        raise ValidationFailed("不能停用自己的账号", fields={"is_active": ["不能停用自己的账号"]})
    if "phone" in data:
        data = {**data, "phone": parsers.require({"phone": lambda: parsers.phone(data["phone"])})["phone"]}
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        before = _user_snapshot(user)
        for name, value in data.items():
            setattr(user, name, value)
        _require_region(actor, user.org_unit)
        validate_or_raise(user, exclude=["password"])
        user.save()
        after = _user_snapshot(user)
        if before != after:
            log_change(actor=actor, obj=user, action=ObjectChange.Action.UPDATE, before=before, after=after)
            security_event(
                SecurityEvent.Kind.ACCOUNT_CHANGED,
                user=actor,
                object_repr=user.username,
                detail={"action": "update", "fields": sorted(k for k in after if before[k] != after[k])},
            )
        if before["is_active"] and not after["is_active"]:
            api_tokens_revoke_all(user=user, reason="deactivated", actor=actor)
    return user


def user_assign_role(*, actor: User, user: User, role: str) -> User:
    require_capability(actor, Cap.ASSIGN_ROLES)
    _require_region(actor, user.org_unit)
    if user.pk == actor.pk:
        raise PermissionDenied("不能修改自己的角色")
    if role and role not in Role.values:
        raise ValidationFailed(fields={"role": ["角色无效"]})
    if role in Role.business_roles() | {Role.EXPERT} and user.org_unit_id is None:
        raise ValidationFailed(
            "业务角色必须属于某个单位，请先由系统管理员设置所属单位", fields={"role": ["该账号没有所属单位"]}
        )
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        previous = user.role
        if previous == role:
            return user
        before = _user_snapshot(user)
        user.role = role
        user.save(update_fields=["role"])
        log_change(
            actor=actor,
            obj=user,
            action=ObjectChange.Action.UPDATE,
            before=before,
            after=_user_snapshot(user),
        )
        security_event(
            SecurityEvent.Kind.ROLE_CHANGED,
            user=actor,
            object_repr=user.username,
            detail={"from": previous, "to": role},
        )
        api_tokens_revoke_all(user=user, reason="role_changed", actor=actor)
    return user


def user_unlock(*, actor: User, user: User) -> int:
    """Clear a lockout before the cool-off ends; returns the number of failure records removed."""
    require_capability(actor, Cap.UNLOCK_ACCOUNTS)
    _require_region(actor, user.org_unit)
    removed = axes_reset(username=user.username)
    security_event(SecurityEvent.Kind.UNLOCK, user=actor, object_repr=user.username, detail={"removed": removed})
    return removed


def user_change_password(*, user: User, old_password: str, new_password: str) -> User:
    if not user.check_password(old_password):
        raise ValidationFailed(fields={"old_password": ["原密码不正确"]})
    if old_password == new_password:
        raise ValidationFailed(fields={"new_password": ["新密码不能与原密码相同"]})
    _check_password(new_password, user)
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password", "password_changed_at"])
        security_event(SecurityEvent.Kind.PASSWORD_CHANGED, user=user)
        api_tokens_revoke_all(user=user, reason="password_changed")
    return user


def _user_snapshot(user: User) -> dict:
    data = snapshot(user)
    data.pop("password", None)
    data.pop("last_login", None)
    return data


# --- API tokens -----------------------------------------------------------------------------------


def api_token_issue(*, user: User, name: str = "") -> tuple[str, ApiToken]:
    token = ApiToken.generate()
    record = ApiToken.objects.create(
        user=user,
        name=name,
        digest=ApiToken.digest_of(token),
        prefix=token[3:11],
        expires_at=timezone.now() + timedelta(days=settings.ZHAOSHANG_API_TOKEN_DAYS),
    )
    security_event(SecurityEvent.Kind.TOKEN_ISSUED, user=user, object_repr=record.prefix)
    return token, record


def api_tokens_revoke_all(*, user: User, reason: str, actor: User | None = None) -> int:
    """Revoke every live token of ``user`` (password change, deactivation, role change); one audit row."""
    revoked = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    if revoked:
        security_event(
            SecurityEvent.Kind.TOKEN_REVOKED,
            user=actor or user,
            object_repr=user.username,
            detail={"reason": reason, "count": revoked},
        )
    return revoked


def api_token_revoke(*, actor: User, pk: int) -> ApiToken:
    """Revoke one of the actor's own tokens; another user's token, or none, is 404."""
    with transaction.atomic():
        record = ApiToken.objects.select_for_update().filter(user=actor, pk=pk).first()
        if record is None:
            raise NotFound()
        if record.revoked_at is None:
            record.revoked_at = timezone.now()
            record.save(update_fields=["revoked_at"])
            security_event(
                SecurityEvent.Kind.TOKEN_REVOKED,
                user=actor,
                object_repr=record.prefix,
                detail={"reason": "revoked_by_owner", "count": 1},
            )
    return record


def api_tokens_purge(*, now=None, keep_days: int = 180) -> int:
    """Delete tokens expired or revoked more than ``keep_days`` ago (they authenticate nothing; the
    audit log keeps their issue and revocation). For the daily scheduler; returns the number deleted."""
    cutoff = (now or timezone.now()) - timedelta(days=keep_days)
    deleted, _ = ApiToken.objects.filter(Q(expires_at__lt=cutoff) | Q(revoked_at__lt=cutoff)).delete()
    return deleted


def api_token_authenticate(token: str) -> User | None:
    record = ApiToken.objects.select_related("user", "user__org_unit").filter(digest=ApiToken.digest_of(token)).first()
    if record is None or not record.is_valid:
        return None
    now = timezone.now()
    if record.last_used_at is None or now - record.last_used_at > timedelta(minutes=5):
        ApiToken.objects.filter(pk=record.pk).update(last_used_at=now)
    return record.user
