"""Reads of accounts and org units, restricted to the actor's region."""

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from zhaoshang.core.errors import NotFound
from zhaoshang.core.roles import Cap

from .models import OrgUnit, User


def _region_filter(actor: User, prefix: str = "") -> Q:
    if actor.org_unit_id is None:
        return Q()
    return Q(**{f"{prefix}region_id": actor.org_unit.region_id})


def org_unit_list(*, actor: User) -> QuerySet[OrgUnit]:
    """Units an authenticated user may see: their whole region (needed for pickers and the tree)."""
    if not actor.is_authenticated or (actor.org_unit_id is None and not actor.is_admin_role):
        return OrgUnit.objects.none()
    return OrgUnit.objects.filter(_region_filter(actor)).order_by("path")


def org_unit_tree(*, actor: User) -> list[OrgUnit]:
    """The units in depth-first order (``path`` order with siblings by sort order and name)."""
    units = list(org_unit_list(actor=actor))
    children: dict[int | None, list[OrgUnit]] = {}
    ids = {u.pk for u in units}
    for unit in units:
        parent = unit.parent_id if unit.parent_id in ids else None
        children.setdefault(parent, []).append(unit)
    ordered: list[OrgUnit] = []

    def walk(parent_id: int | None) -> None:
        for unit in sorted(children.get(parent_id, []), key=lambda u: (u.sort_order, u.name)):
            ordered.append(unit)
            walk(unit.pk)

    walk(None)
    return ordered


def org_unit_get(*, actor: User, pk: int) -> OrgUnit:
    unit = org_unit_list(actor=actor).filter(pk=pk).first()
    if unit is None:
        raise NotFound()
    return unit


def user_list(*, actor: User, q: str = "", role: str = "", org_unit: int | None = None) -> QuerySet[User]:
    if not actor.has_capability(Cap.VIEW_USERS):
        return User.objects.none()
    users = User.objects.select_related("org_unit").filter(_region_filter(actor, "org_unit__"))
    if actor.org_unit_id is None:
        users = User.objects.select_related("org_unit").all()
    if q:
        users = users.filter(Q(username__icontains=q) | Q(full_name__icontains=q))
    if role == "-":
        users = users.filter(role="")
    elif role:
        users = users.filter(role=role)
    if org_unit:
        unit = OrgUnit.objects.filter(pk=org_unit).first()
        users = users.filter(org_unit__path__startswith=unit.path) if unit else users.none()
    return users.order_by("org_unit__path", "username")


def user_get(*, actor: User, pk: int) -> User:
    user = user_list(actor=actor).filter(pk=pk).first()
    if user is None:
        raise NotFound()
    return user


def locked_usernames(usernames: list[str]) -> set[str]:
    """Which of these accounts are locked out right now (django-axes)."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return set(
        AccessAttempt.objects.filter(
            username__in=usernames,
            failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
            attempt_time__gte=since,
        ).values_list("username", flat=True)
    )


def api_tokens_of(*, user: User) -> QuerySet:
    """The user's own API tokens, newest first (the profile page and ``GET /me/tokens``)."""
    return user.api_tokens.order_by("-created_at", "-id")
