"""Test data built through the platform's own code paths (services and the tree placement)."""

from types import SimpleNamespace

from zhaoshang.accounts.models import OrgUnit, User
from zhaoshang.accounts.services import _place

PASSWORD = "Test@2026pass"


def make_unit(name: str, kind: str, parent: OrgUnit | None = None, code: str | None = None) -> OrgUnit:
    unit = OrgUnit.objects.create(
        name=name, kind=kind, parent=parent, code=code or f"u{OrgUnit.objects.count() + 1}-{kind}"
    )
    _place(unit)
    unit.save(update_fields=["path", "depth", "region"])
    return unit


def make_county(name: str = "诸暨市", prefix: str = "zj") -> SimpleNamespace:
    root = make_unit(name, "city", code=prefix)
    center = make_unit(f"{name}投资促进中心", "center", root, f"{prefix}-center")
    office_sh = make_unit("上海办事处", "office", center, f"{prefix}-office-sh")
    diankou = make_unit("店口镇", "town", root, f"{prefix}-diankou")
    datang = make_unit("大唐街道", "town", root, f"{prefix}-datang")
    zrzy = make_unit("自然资源和规划局", "department", root, f"{prefix}-zrzy")
    return SimpleNamespace(root=root, center=center, office_sh=office_sh, diankou=diankou, datang=datang, zrzy=zrzy)


def make_user(username: str, role: str, unit: OrgUnit | None, password: str = PASSWORD, **extra) -> User:
    user = User(username=username, role=role, org_unit=unit, full_name=extra.pop("full_name", username), **extra)
    user.set_password(password)
    user.save()
    return user


def make_users(county: SimpleNamespace) -> dict[str, User]:
    """One user per role, in the units the demo uses (the ``users`` fixture)."""
    return {
        "sysadmin": make_user("sysadmin", "sysadmin", county.center),
        "secadmin": make_user("secadmin", "secadmin", county.center),
        "auditor": make_user("auditor", "auditor", county.center),
        "leader": make_user("leader", "leader", county.root),
        "center": make_user("center", "officer", county.center),
        "diankou": make_user("diankou", "officer", county.diankou),
        "datang": make_user("datang", "officer", county.datang),
        "office_sh": make_user("office_sh", "officer", county.office_sh),
        "zrzy": make_user("zrzy", "department", county.zrzy),
        "expert1": make_user("expert1", "expert", county.center),
    }
