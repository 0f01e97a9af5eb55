"""Defect 3: API tokens revoked on password change, deactivation and role change; listed and revoked
by their owner (profile page and API); configurable lifetime; last use recorded."""

from datetime import timedelta

import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD
from zhaoshang.accounts import services
from zhaoshang.accounts.models import ApiToken
from zhaoshang.core.models import SecurityEvent


def _bearer(token: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {token}"})


def _me(token: str) -> int:
    return _bearer(token).get("/api/v1/me").status_code


def test_password_change_revokes_every_token(users):
    user = users["diankou"]
    first, _ = services.api_token_issue(user=user)
    second, _ = services.api_token_issue(user=user)
    other, _ = services.api_token_issue(user=users["datang"])
    assert _me(first) == 200
    services.user_change_password(user=user, old_password=PASSWORD, new_password="Another@2026pw")
    assert _me(first) == 401 and _me(second) == 401
    assert _me(other) == 200
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.TOKEN_REVOKED)
    assert event.detail == {"reason": "password_changed", "count": 2} and event.object_repr == "diankou"


def test_password_change_page_revokes_tokens_too(users, client_for):
    token, _ = services.api_token_issue(user=users["diankou"])
    client_for(users["diankou"]).post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password": "Another@2026pw", "new_password2": "Another@2026pw"},
    )
    users["diankou"].refresh_from_db()
    assert users["diankou"].check_password("Another@2026pw")
    assert _me(token) == 401


def test_deactivation_revokes_tokens(users):
    token, record = services.api_token_issue(user=users["diankou"])
    services.user_update(actor=users["sysadmin"], user=users["diankou"], data={"full_name": "改名"})
    assert _me(token) == 200  # an ordinary edit keeps them
    services.user_update(actor=users["sysadmin"], user=users["diankou"], data={"is_active": False})
    record.refresh_from_db()
    assert record.revoked_at is not None
    services.user_update(actor=users["sysadmin"], user=users["diankou"], data={"is_active": True})
    assert _me(token) == 401  # reactivation does not bring the token back


def test_role_change_revokes_tokens(users):
    token, _ = services.api_token_issue(user=users["diankou"])
    services.user_assign_role(actor=users["secadmin"], user=users["diankou"], role="department")
    assert _me(token) == 401
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.TOKEN_REVOKED)
    assert event.username == "secadmin" and event.detail["reason"] == "role_changed"


def test_profile_lists_own_tokens_and_revokes_one(users, client_for):
    keep, keep_record = services.api_token_issue(user=users["diankou"])
    drop, drop_record = services.api_token_issue(user=users["diankou"])
    foreign, foreign_record = services.api_token_issue(user=users["datang"])
    client = client_for(users["diankou"])
    page = client.get(reverse("accounts:profile"))
    assert page.status_code == 200
    body = page.content.decode()
    assert keep_record.prefix in body and drop_record.prefix in body and foreign_record.prefix not in body
    response = client.post(reverse("accounts:token_revoke", args=[drop_record.pk]))
    assert response.status_code == 302
    assert _me(drop) == 401 and _me(keep) == 200
    # someone else's token: 404, and it stays valid
    assert client.post(reverse("accounts:token_revoke", args=[foreign_record.pk])).status_code == 404
    assert _me(foreign) == 200


def test_api_lists_and_revokes_own_tokens(users):
    token, record = services.api_token_issue(user=users["diankou"])
    _, foreign = services.api_token_issue(user=users["datang"])
    listed = _bearer(token).get("/api/v1/me/tokens").json()
    assert [t["prefix"] for t in listed] == [record.prefix]
    assert _bearer(token).post(f"/api/v1/me/tokens/{foreign.pk}/revoke").status_code == 404
    foreign.refresh_from_db()
    assert foreign.revoked_at is None
    assert _bearer(token).post(f"/api/v1/me/tokens/{record.pk}/revoke").json()["revoked_at"]
    assert _me(token) == 401


def test_lifetime_is_a_setting_and_last_use_is_recorded(users, settings):
    settings.ZHAOSHANG_API_TOKEN_DAYS = 3
    token, record = services.api_token_issue(user=users["diankou"])
    assert timedelta(days=3) - (record.expires_at - timezone.now()) < timedelta(minutes=1)
    assert record.last_used_at is None
    assert _me(token) == 200
    record.refresh_from_db()
    assert record.last_used_at is not None
    with time_machine.travel(timezone.now() + timedelta(days=3, minutes=1)):
        assert _me(token) == 401


def test_old_tokens_are_purged(users):
    _, old = services.api_token_issue(user=users["diankou"])
    _, fresh = services.api_token_issue(user=users["diankou"])
    ApiToken.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(days=200))
    assert services.api_tokens_purge() == 1
    assert list(ApiToken.objects.values_list("pk", flat=True)) == [fresh.pk]
