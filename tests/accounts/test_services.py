import pytest

from tests.factories import make_user
from zhaoshang.accounts import selectors, services
from zhaoshang.accounts.models import OrgUnit, User
from zhaoshang.core.errors import NotFound, PermissionDenied, ValidationFailed
from zhaoshang.core.models import ObjectChange, SecurityEvent


def test_org_unit_create_places_unit_in_tree_and_logs(users, county):
    unit = services.org_unit_create(
        actor=users["sysadmin"], name="枫桥镇", code="zj-fengqiao", kind="town", parent=county.root
    )
    assert unit.path == f"{county.root.path}{unit.pk}/"
    assert unit.depth == 1 and unit.region_id == county.root.pk
    change = ObjectChange.objects.get(object_id=unit.pk, content_type__model="orgunit")
    assert change.action == "create" and change.actor == users["sysadmin"]


def test_moving_a_unit_moves_its_subtree(users, county):
    sub = services.org_unit_create(
        actor=users["sysadmin"], name="店口工业园", code="zj-dk-park", kind="zone", parent=county.diankou
    )
    services.org_unit_update(actor=users["sysadmin"], unit=county.diankou, data={"parent": county.center})
    sub.refresh_from_db()
    county.diankou.refresh_from_db()
    assert county.diankou.path == f"{county.center.path}{county.diankou.pk}/"
    assert sub.path == f"{county.diankou.path}{sub.pk}/"
    assert sub.depth == 3


def test_a_unit_cannot_move_below_itself(users, county):
    sub = services.org_unit_create(
        actor=users["sysadmin"], name="下级", code="zj-sub", kind="zone", parent=county.diankou
    )
    with pytest.raises(ValidationFailed) as excinfo:
        services.org_unit_update(actor=users["sysadmin"], unit=county.diankou, data={"parent": sub})
    assert excinfo.value.fields == {"parent": ["上级单位无效"]}
    county.diankou.refresh_from_db()
    assert county.diankou.parent_id == county.root.pk


def test_duplicate_code_is_a_field_error(users, county):
    with pytest.raises(ValidationFailed) as excinfo:
        services.org_unit_create(
            actor=users["sysadmin"], name="重复", code=county.diankou.code, kind="town", parent=county.root
        )
    assert "code" in excinfo.value.fields


def test_only_the_system_admin_manages_units_and_accounts(users, county):
    for role in ("secadmin", "auditor", "leader", "center"):
        with pytest.raises(PermissionDenied):
            services.org_unit_create(actor=users[role], name="x", code=f"x-{role}", kind="town", parent=county.root)
        with pytest.raises(PermissionDenied):
            services.user_create(
                actor=users[role], username=f"n-{role}", password="Zj!tou2026cu", org_unit=county.diankou
            )
    assert not OrgUnit.objects.filter(code__startswith="x-").exists()
    assert not User.objects.filter(username__startswith="n-").exists()


def test_system_admin_cannot_set_roles_through_edit(users):
    with pytest.raises(PermissionDenied):
        services.user_update(actor=users["sysadmin"], user=users["diankou"], data={"role": "leader"})
    users["diankou"].refresh_from_db()
    assert users["diankou"].role == "officer"


def test_security_admin_assigns_roles_but_not_their_own(users):
    services.user_assign_role(actor=users["secadmin"], user=users["diankou"], role="leader")
    users["diankou"].refresh_from_db()
    assert users["diankou"].role == "leader"
    event = SecurityEvent.objects.get(kind="role_changed")
    assert event.detail == {"from": "officer", "to": "leader"} and event.object_repr == "diankou"
    with pytest.raises(PermissionDenied):
        services.user_assign_role(actor=users["secadmin"], user=users["secadmin"], role="sysadmin")
    users["secadmin"].refresh_from_db()
    assert users["secadmin"].role == "secadmin"


def test_business_role_needs_a_unit(users):
    loose = make_user("loose", "", None)
    with pytest.raises(ValidationFailed):
        services.user_assign_role(actor=users["secadmin"], user=loose, role="officer")
    loose.refresh_from_db()
    assert loose.role == ""


def test_administrators_act_only_in_their_own_county(users, other_county):
    foreign = make_user("foreign", "officer", other_county.diankou)
    assert foreign not in selectors.user_list(actor=users["sysadmin"])
    with pytest.raises(NotFound):
        selectors.user_get(actor=users["secadmin"], pk=foreign.pk)
    with pytest.raises(NotFound):
        services.user_assign_role(actor=users["secadmin"], user=foreign, role="leader")
    with pytest.raises(NotFound):
        services.org_unit_create(actor=users["sysadmin"], name="x", code="x", kind="town", parent=other_county.root)
    assert [u.region_id for u in selectors.org_unit_tree(actor=users["sysadmin"])] == [
        users["sysadmin"].org_unit.region_id
    ] * 6


def test_user_list_filters(users):
    assert [u.username for u in selectors.user_list(actor=users["secadmin"], role="expert")] == ["expert1"]
    names = {u.username for u in selectors.user_list(actor=users["secadmin"], org_unit=users["center"].org_unit_id)}
    assert names == {"sysadmin", "secadmin", "auditor", "center", "office_sh", "expert1"}
