"""What the network services share: the capability checks and the change log of child rows."""

from zhaoshang.core.audit import log_change, snapshot
from zhaoshang.core.errors import PermissionDenied
from zhaoshang.core.models import ObjectChange
from zhaoshang.core.roles import Cap
from zhaoshang.core.scope import coordinates


def require_change(actor) -> None:
    if not actor.has_capability(Cap.BUSINESS_CHANGE) or actor.org_unit_id is None:
        raise PermissionDenied()


def require_center(actor) -> None:
    """Targets, the 考核办法 and reward approvals are the center's (a 统筹单位 officer) or a leader's."""
    if not (coordinates(actor) or actor.has_capability(Cap.SET_TARGETS)):
        raise PermissionDenied("只有投资促进中心或领导可以进行此操作")


def log_row(actor, obj, before: dict | None, action: str = ObjectChange.Action.UPDATE) -> None:
    """One change-log row for a child or configuration row (targets, indicators, participants, rewards)."""
    after = None if action == ObjectChange.Action.DELETE else snapshot(obj)
    log_change(actor=actor, obj=obj, action=action, before=before, after=after)
