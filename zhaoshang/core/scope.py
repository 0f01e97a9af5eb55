"""Data scope (DESIGN.md §4): who may see or change which business records.

- 招商专员 / 部门经办人: records of their own unit and the units below it, plus records shared with
  them (with their unit or a unit above it) — for ``change`` only shares that allow changing.
- 领导: view everything in their region (the root unit, a county); change as an officer of their unit.
- 统筹单位 officers (a unit with ``is_coordinating``, e.g. the 投资促进中心): view everything in their region;
  change as an officer of their unit, except models with ``coordinated_changes`` (statistics), which they
  change for every unit of the region. What else they may do (assign leads, 督办) the services ask of
  ``coordinates(user)``.
- 专家: only what is assigned to them (``Model.scope_for_expert``).
- 系统管理员 / 安全管理员 / 审计管理员 and users without a role or unit: no business data (三员分立).

Every selector calls ``Model.objects.restrict(user, action)``; a record outside scope is then simply
absent, which the views and the API answer with 404.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

from . import context
from .roles import Cap

VIEW = "view"
CHANGE = "change"
DELETE = "delete"
ACTIONS = (VIEW, CHANGE, DELETE)


class RestrictedQuerySet(models.QuerySet):
    def restrict(self, user, action: str = VIEW):
        if action not in ACTIONS:
            raise ValueError(f"unknown action {action!r}")
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.has_capability(Cap.VIEW_ASSIGNED_ONLY):
            return self.model.scope_for_expert(self, user, action)
        if not user.has_capability(Cap.BUSINESS_VIEW) or user.org_unit_id is None:
            return self.none()
        unit = user.org_unit
        if action == VIEW and (user.has_capability(Cap.VIEW_REGION) or coordinates(user)):
            # Shares never cross counties, so the region already holds every shared record.
            return self.filter(region_id=unit.region_id)
        if getattr(self.model, "coordinated_changes", False) and coordinates(user):
            return self.filter(region_id=unit.region_id)
        condition = Q(org_unit_id__in=unit.subtree_ids())
        # An OR with the shares subquery keeps the database from using the org_unit index; add it only
        # when this user actually has shares of this model (one look-up per request, see _has_shares).
        if _has_shares(self.model, user, action):
            condition |= Q(pk__in=_shares_for(self.model, user, action).values("object_id"))
        return self.filter(condition)


def unit_scope(model, user) -> Q | None:
    """What ``restrict(user)`` lets ``user`` view, as a condition on ``region_id`` / ``org_unit_id`` — for
    roll-up tables that keep those two columns of ``model``'s rows (e.g. the FDI monthly totals).

    None when the scope cannot be said in units: an expert's assignments, or shares of single records
    with this user; the caller then aggregates the records themselves."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    if user.has_capability(Cap.VIEW_ASSIGNED_ONLY):
        return None
    if not user.has_capability(Cap.BUSINESS_VIEW) or user.org_unit_id is None:
        return Q(pk__in=[])
    unit = user.org_unit
    if user.has_capability(Cap.VIEW_REGION) or coordinates(user):
        return Q(region_id=unit.region_id)
    if _has_shares(model, user, VIEW):
        return None
    return Q(org_unit_id__in=unit.subtree_ids())


def coordinates(user) -> bool:
    """Whether the user is an officer of a 统筹单位: views the region, assigns leads, raises 督办, records
    statistics for every unit of the region."""
    return (
        user is not None
        and user.is_authenticated
        and user.org_unit_id is not None
        and user.has_capability(Cap.COORDINATE)
        and bool(getattr(user.org_unit, "is_coordinating", False))
    )


def sees_region(user) -> bool:
    """Whether the user views the whole region (a leader, a 统筹单位 officer): their numbers are about the county."""
    return user.org_unit_id is not None and (user.has_capability(Cap.VIEW_REGION) or coordinates(user))


def forget_shares() -> None:
    """Drop what the current request read of shares (nothing to do outside a request). Every writer of
    ``ObjectShare`` calls it (the core signals do for saves and deletes), so that a share made during a
    request is honoured by the next ``restrict`` of that request."""
    memo = context.request_memo()
    if memo is not None:
        memo.pop(_SHARES, None)


_SHARES = "core.scope.shares"


def _has_shares(model, user, action) -> bool:
    """Whether ``user`` has shares of ``model``'s records (that allow changing, unless ``action`` is view).

    In a request the kinds of records shared with each user are read once, in one query, and reused by
    every ``restrict`` of the request (the 工作台 restricts every business model); outside a request
    (services called directly, tasks, commands) one look-up of this model, as before."""
    memo = context.request_memo()
    if memo is None:
        return _shares_for(model, user, action).exists()
    by_user = memo.setdefault(_SHARES, {})
    key = (user.pk, user.org_unit_id)
    kinds = by_user.get(key)
    if kinds is None:
        kinds = by_user[key] = set(
            _user_shares(user).values_list("content_type_id", "can_change").distinct().order_by()
        )
    ct_id = ContentType.objects.get_for_model(model, for_concrete_model=True).pk
    return (ct_id, True) in kinds or (action == VIEW and (ct_id, False) in kinds)


def _user_shares(user):
    from .models import ObjectShare  # cycle: core.models imports this module for RestrictedQuerySet

    return ObjectShare.objects.filter(Q(user=user) | Q(org_unit_id__in=user.org_unit.ancestor_ids()))


def _shares_for(model, user, action):
    shares = _user_shares(user).filter(content_type=ContentType.objects.get_for_model(model, for_concrete_model=True))
    if action != VIEW:
        shares = shares.filter(can_change=True)
    return shares
