"""Two-factor login (SECURITY.md item 3): TOTP (django-otp) for the roles of ZHAOSHANG_TWO_FACTOR_ROLES."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import PASSWORD
from zhaoshang.core.models import SecurityEvent
from zhaoshang.core.roles import TWO_FACTOR_ROLES

LOGIN = "/accounts/login/"
VERIFY = "/accounts/two-factor/"
ENROL = "/accounts/two-factor/enrol/"
RECOVERY = ["abcd2345", "efgh6723"]


def code_of(device: TOTPDevice, offset: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + offset
    return f"{totp.token():06d}"


def wrong_code(device: TOTPDevice) -> str:
    valid = {code_of(device, offset) for offset in (-30, 0, 30)}
    return next(c for c in ("123456", "654321", "111111", "222222") if c not in valid)


def enrol(user) -> TOTPDevice:
    device = TOTPDevice.objects.create(user=user, name="身份验证器", confirmed=True)
    recovery = StaticDevice.objects.create(user=user, name="恢复码")
    for token in RECOVERY:
        StaticToken.objects.create(device=recovery, token=token)
    return device


def password_login(username: str) -> tuple[Client, object]:
    client = Client()
    response = client.post(LOGIN, {"username": username, "password": PASSWORD})
    return client, response


def kinds(kind: str):
    return list(SecurityEvent.objects.filter(kind=kind).values_list("username", "success"))


def test_the_default_roles_are_the_administrators_and_the_leader():
    assert settings.ZHAOSHANG_TWO_FACTOR_ROLES == TWO_FACTOR_ROLES
    assert {"sysadmin", "secadmin", "auditor", "leader"} == TWO_FACTOR_ROLES


def test_a_leader_with_a_device_reaches_nothing_before_the_code(users):
    device = enrol(users["leader"])
    client, response = password_login("leader")
    assert response.status_code == 302 and response["Location"] == VERIFY
    for url in ("/", "/leads/", reverse("accounts:profile"), reverse("accounts:password_change")):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(VERIFY), url
    api = client.get("/api/v1/me")
    assert api.status_code == 403
    assert api.json()["code"] == "two_factor_required"
    # with a bearer header the session still does not count: the token (here a bad one) must carry the call
    assert client.get("/api/v1/me", headers={"Authorization": "Bearer nothing"}).status_code == 401
    assert kinds("2fa_verified") == []

    response = client.post(VERIFY, {"code": code_of(device), "next": "/leads/"})
    assert response.status_code == 302 and response["Location"] == "/leads/"
    assert client.get("/").status_code == 200
    assert client.get("/api/v1/me").status_code == 200
    assert kinds("2fa_verified") == [("leader", True)]


def test_a_wrong_code_is_refused_and_audited(users):
    device = enrol(users["leader"])
    client, _ = password_login("leader")
    response = client.post(VERIFY, {"code": wrong_code(device)})
    assert response.status_code == 200
    assert "动态口令不正确或已使用过" in response.content.decode()
    assert client.get("/")["Location"].startswith(VERIFY)
    assert kinds("2fa_failed") == [("leader", False)]
    assert kinds("2fa_verified") == []


def test_a_code_is_accepted_once(users):
    device = enrol(users["leader"])
    code = code_of(device)
    first, _ = password_login("leader")
    assert first.post(VERIFY, {"code": code}).status_code == 302
    second, _ = password_login("leader")
    response = second.post(VERIFY, {"code": code})
    assert response.status_code == 200
    assert second.get("/")["Location"].startswith(VERIFY)
    assert kinds("2fa_failed") == [("leader", False)]


def test_a_recovery_code_works_once(users):
    enrol(users["leader"])
    client, _ = password_login("leader")
    response = client.post(VERIFY, {"code": " ABCD-2345 "})  # as people type it: spaces, capitals, a dash
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    event = SecurityEvent.objects.get(kind="2fa_recovery_used")
    assert (event.username, event.detail) == ("leader", {"left": 1})
    assert list(StaticToken.objects.values_list("token", flat=True)) == ["efgh6723"]

    again, _ = password_login("leader")
    assert again.post(VERIFY, {"code": "abcd2345"}).status_code == 200
    assert again.get("/")["Location"].startswith(VERIFY)
    assert kinds("2fa_failed") == [("leader", False)]
    assert SecurityEvent.objects.filter(kind="2fa_recovery_used").count() == 1


def test_five_wrong_codes_refuse_even_the_right_one_until_the_window_passes(users):
    device = enrol(users["leader"])
    client, _ = password_login("leader")
    for _ in range(settings.ZHAOSHANG_TWO_FACTOR_FAILURE_LIMIT):
        assert client.post(VERIFY, {"code": wrong_code(device)}).status_code == 200
    response = client.post(VERIFY, {"code": code_of(device)})
    assert response.status_code == 429
    assert "动态口令错误次数过多" in response.content.decode()
    assert client.get("/")["Location"].startswith(VERIFY)
    assert kinds("2fa_verified") == []
    with time_machine.travel(timezone.now() + settings.AXES_COOLOFF_TIME + timedelta(minutes=1)):
        assert client.post(VERIFY, {"code": code_of(device)}).status_code == 302


def test_without_a_device_the_leader_enrols_and_gets_ten_recovery_codes_once(users):
    client, response = password_login("leader")
    assert response["Location"] == ENROL
    assert client.get("/")["Location"].startswith(ENROL)
    page = client.get(ENROL)
    assert page.status_code == 200
    body = page.content.decode()
    assert "<svg" in body and "身份验证器二维码" in body
    device = TOTPDevice.objects.get(user=users["leader"])
    assert device.confirmed is False
    assert page.context["secret"].replace(" ", "") in body.replace(" ", "")

    assert client.post(ENROL, {"code": wrong_code(device)}).status_code == 200
    assert TOTPDevice.objects.get(user=users["leader"]).confirmed is False
    assert kinds("2fa_failed") == [("leader", False)]

    response = client.post(ENROL, {"code": code_of(device)})
    assert response.status_code == 200
    codes = response.context["recovery_codes"]
    assert len(codes) == len(set(codes)) == 10
    assert sorted(StaticToken.objects.filter(device__user=users["leader"]).values_list("token", flat=True)) == sorted(
        codes
    )
    assert TOTPDevice.objects.get(user=users["leader"]).confirmed is True
    assert kinds("2fa_enrolled") == [("leader", True)]
    assert client.get("/").status_code == 200
    # enrolled: the enrolment page is over (no second secret shown), the next login asks for a code
    assert client.get(ENROL).status_code == 302
    assert TOTPDevice.objects.filter(user=users["leader"]).count() == 1
    _, response = password_login("leader")
    assert response["Location"] == VERIFY


def test_the_security_administrator_resets_a_leaders_second_factor(users, client_for):
    device = enrol(users["leader"])
    leader, _ = password_login("leader")
    assert leader.post(VERIFY, {"code": code_of(device)}).status_code == 302
    assert leader.get("/").status_code == 200

    secadmin = client_for(users["secadmin"])
    listing = secadmin.get(reverse("accounts:user_list")).content.decode()
    url = reverse("accounts:user_two_factor_reset", args=[users["leader"].pk])
    assert url in listing
    response = secadmin.post(url)
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=users["leader"]).exists()
    assert not StaticDevice.objects.filter(user=users["leader"]).exists()
    event = SecurityEvent.objects.get(kind="2fa_reset")
    assert (event.username, event.object_repr, event.detail) == (
        "secadmin",
        "leader",
        {"user_id": users["leader"].pk, "removed": 2},
    )
    # the verified session falls back to the second step, and the next login enrols again
    assert leader.get("/")["Location"].startswith(ENROL)
    _, response = password_login("leader")
    assert response["Location"] == ENROL


@pytest.mark.parametrize("role", ["center", "sysadmin", "leader"])
def test_only_the_security_administrator_may_reset(users, client_for, role):
    enrol(users["leader"])
    response = client_for(users[role]).post(reverse("accounts:user_two_factor_reset", args=[users["leader"].pk]))
    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=users["leader"]).count() == 1
    assert StaticToken.objects.filter(device__user=users["leader"]).count() == 2
    assert kinds("2fa_reset") == []
    assert kinds("access_denied") == [(role, False)]


def test_a_reset_outside_the_administrators_region_is_404(users, other_county, client_for):
    from tests.factories import make_user

    stranger = make_user("sl_leader", "leader", other_county.root)
    enrol(stranger)
    response = client_for(users["secadmin"]).post(reverse("accounts:user_two_factor_reset", args=[stranger.pk]))
    assert response.status_code == 404
    assert TOTPDevice.objects.filter(user=stranger).count() == 1
    assert kinds("2fa_reset") == []


@pytest.mark.parametrize("username", ["center", "zrzy", "expert1"])
def test_a_role_outside_the_setting_is_not_asked(users, username):
    client, response = password_login(username)
    assert response.status_code == 302
    assert not response["Location"].startswith(("/accounts/two-factor", ENROL))
    assert client.get(reverse("accounts:profile")).status_code == 200
    assert client.get(VERIFY).status_code == 302  # nothing owed: the code page sends it on


def test_the_setting_decides(users, settings):
    enrol(users["leader"])
    settings.ZHAOSHANG_TWO_FACTOR_ROLES = frozenset({"officer"})
    _, response = password_login("leader")
    assert response["Location"] == "/"
    enrol(users["center"])
    _, response = password_login("center")
    assert response["Location"] == VERIFY


def test_a_token_for_a_two_factor_role_needs_a_valid_code(users):
    def token(**extra):
        body = {"username": "leader", "password": PASSWORD, **extra}
        return Client().post("/api/v1/auth/token", body, content_type="application/json")

    response = token()
    assert response.status_code == 401
    assert "绑定身份验证器" in response.json()["message"]
    device = enrol(users["leader"])
    assert token().status_code == 401
    refused = token(otp=wrong_code(device))
    assert refused.status_code == 401
    assert refused.json()["message"] == "动态口令不正确"
    assert kinds("2fa_failed") == [("leader", False)]
    assert kinds("token_issued") == []
    response = token(otp=code_of(device))
    assert response.status_code == 200
    assert kinds("token_issued") == [("leader", True)]
    assert kinds("2fa_verified") == [("leader", True)]


def test_an_officer_gets_a_token_without_a_code(users):
    response = Client().post(
        "/api/v1/auth/token", {"username": "center", "password": PASSWORD}, content_type="application/json"
    )
    assert response.status_code == 200


def test_a_misspelt_role_in_the_setting_is_a_system_check_error(settings):
    from zhaoshang.accounts.checks import two_factor_roles

    assert two_factor_roles(None) == []
    settings.ZHAOSHANG_TWO_FACTOR_ROLES = frozenset({"leader", "leaders"})
    [error] = two_factor_roles(None)
    assert error.id == "zhaoshang.E201" and "leaders" in error.msg


def test_the_profile_page_shows_the_state_of_the_second_factor(users, client_for):
    enrol(users["leader"])
    status = client_for(users["leader"]).get(reverse("accounts:profile")).content.decode()
    assert "已绑定身份验证器，剩余恢复码 2 个" in status
    assert "本角色无须双因素认证" in client_for(users["center"]).get(reverse("accounts:profile")).content.decode()
