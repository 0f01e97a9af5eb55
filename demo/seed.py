"""Load the demo data. Idempotent: running it again adds what is missing and changes nothing else."""

from django.db import transaction
from django.utils import timezone

from zhaoshang.accounts.models import OrgUnit, User
from zhaoshang.accounts.services import _place
from zhaoshang.core.audit import log_change, snapshot
from zhaoshang.core.models import ObjectChange

from . import accounts


def _unit(name: str, short: str, code: str, kind: str, parent: OrgUnit | None, order: int) -> tuple[OrgUnit, bool]:
    unit = OrgUnit.objects.filter(code=code).first()
    if unit is not None:
        return unit, False
    unit = OrgUnit.objects.create(name=name, short_name=short, code=code, kind=kind, parent=parent, sort_order=order)
    _place(unit)
    unit.save(update_fields=["path", "depth", "region"])
    log_change(actor=None, obj=unit, action=ObjectChange.Action.CREATE, before=None, after=snapshot(unit))
    return unit, True


@transaction.atomic
def seed_accounts() -> dict[str, int]:
    created = {"units": 0, "users": 0}
    name, code, kind = accounts.REGION
    root, new = _unit(name, name, code, kind, None, 0)
    created["units"] += new
    units = {code: root}
    for order, (name, short, code, kind, parent_code) in enumerate(accounts.UNITS, start=1):
        units[code], new = _unit(name, short, code, kind, units[parent_code], order)
        created["units"] += new
    OrgUnit.objects.filter(code__in=accounts.COORDINATING_UNITS, is_coordinating=False).update(is_coordinating=True)
    for username, full_name, role, unit_code, title in accounts.USERS:
        if User.objects.filter(username=username).exists():
            continue
        user = User(
            username=username,
            full_name=full_name,
            role=role,
            org_unit=units[unit_code],
            title=title,
            email=f"{username}@demo.zhaoshang.invalid",
        )
        user.set_password(accounts.DEMO_PASSWORD)
        user.password_changed_at = timezone.now()
        user.save()
        created["users"] += 1
    return created


def run() -> dict[str, int]:
    from .enterprises import seed_enterprises

    created = seed_accounts()
    created["enterprises"] = seed_enterprises()
    from .projects import seed_projects

    created["projects"] = seed_projects()
    from .leads import seed_leads

    created["leads"] = seed_leads()
    from .stats import seed_fdi

    created["fdi_records"] = seed_fdi()
    from .notify import seed_notify

    created["notify"] = seed_notify()
    from .reviews import seed_reviews

    created["experts"] = seed_reviews()
    from .policies import seed_policies

    created["policy_clauses"] = seed_policies()
    from .chains import seed_chains

    created["chain_enterprises"] = seed_chains()
    from .network import seed_network

    created["network"] = seed_network()
    from .carriers import seed_carriers

    created["carriers"] = seed_carriers()
    return created
