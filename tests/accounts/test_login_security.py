from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD
from zhaoshang.accounts.models import User
from zhaoshang.core.models import SecurityEvent

LOGIN = "/accounts/login/"


def _login(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password})


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Ab1!short", "密码长度太短"),
        ("abcdefghijk", "至少 3 类"),
        ("abcdefgh12", "至少 3 类"),
        ("Password123", "太常见"),
        ("Xdiankou!2026", "用户名"),
    ],
)
def test_weak_passwords_are_rejected(password, message):
    user = User(username="diankou", full_name="何海峰")
    with pytest.raises(ValidationError) as excinfo:
        validate_password(password, user)
    assert any(message in m for m in excinfo.value.messages), excinfo.value.messages


def test_a_strong_password_passes():
    validate_password("Zj!tou2026cu", User(username="diankou"))


def test_login_logout_write_exactly_one_audit_row_each(users):
    client = Client()
    response = _login(client, "diankou", PASSWORD)
    assert response.status_code == 302
    events = list(SecurityEvent.objects.values_list("kind", "username", "success"))
    assert events == [("login", "diankou", True)]
    client.post(reverse("accounts:logout"))
    assert list(SecurityEvent.objects.order_by("id").values_list("kind", flat=True)) == ["login", "logout"]
    assert SecurityEvent.objects.get(kind="login").ip == "127.0.0.1"


def test_five_failures_lock_the_account_for_fifteen_minutes(users):
    client = Client()
    for _ in range(5):
        response = _login(client, "diankou", "wrong-Password1")
        assert response.status_code in (200, 429)
    assert SecurityEvent.objects.filter(kind="login_failed", username="diankou").count() == 5
    locked = _login(client, "diankou", PASSWORD)
    assert locked.status_code == 429
    assert "已锁定 15 分钟" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # another account is not affected
    assert _login(Client(), "datang", PASSWORD).status_code == 302
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        assert _login(Client(), "diankou", PASSWORD).status_code == 302


def test_security_admin_can_unlock_early(users, client_for):
    for _ in range(5):
        _login(Client(), "diankou", "wrong-Password1")
    assert _login(Client(), "diankou", PASSWORD).status_code == 429
    listing = client_for(users["secadmin"]).get(reverse("accounts:user_list"))
    locked = {u.username for u in listing.context["page_obj"] if u.is_locked}
    assert locked == {"diankou"}
    response = client_for(users["secadmin"]).post(reverse("accounts:user_unlock", args=[users["diankou"].pk]))
    assert response.status_code == 302
    assert SecurityEvent.objects.filter(kind="unlock", object_repr="diankou").count() == 1
    assert _login(Client(), "diankou", PASSWORD).status_code == 302


def test_idle_session_goes_back_to_login(users):
    client = Client()
    assert _login(client, "diankou", PASSWORD).status_code == 302
    assert client.get("/").status_code == 200
    with time_machine.travel(timezone.now() + timedelta(minutes=29)):
        assert client.get("/").status_code == 200  # activity extends the session
    with time_machine.travel(timezone.now() + timedelta(minutes=29 + 31)):
        response = client.get("/")
        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN)


def test_expired_password_redirects_to_the_change_page(users):
    user = users["diankou"]
    User.objects.filter(pk=user.pk).update(password_changed_at=timezone.now() - timedelta(days=91))
    client = Client()
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_change") + "?expired=1"
    assert client.get(reverse("testapp:dossier_list")).status_code == 302
    page = client.get(reverse("accounts:password_change") + "?expired=1")
    assert "您的密码已超过有效期" in page.content.decode()
    changed = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password": "Zj!tou2026cu", "new_password2": "Zj!tou2026cu"},
    )
    assert changed.status_code == 302
    assert client.get("/").status_code == 200  # still logged in, no longer redirected
    assert SecurityEvent.objects.filter(kind="password_changed", username="diankou").count() == 1


def test_new_accounts_must_change_the_initial_password(users, client_for):
    client_for(users["sysadmin"]).post(
        reverse("accounts:user_add"),
        {
            "username": "newbie",
            "full_name": "新人",
            "org_unit": users["diankou"].org_unit_id,
            "password": "Zj!tou2026cu",
            "email": "",
            "phone": "",
            "title": "",
        },
    )
    newbie = User.objects.get(username="newbie")
    assert newbie.role == ""
    client = Client()
    assert _login(client, "newbie", "Zj!tou2026cu").status_code == 302
    assert client.get("/")["Location"].startswith(reverse("accounts:password_change"))


def test_password_change_rejects_a_weak_new_password(users, client_for):
    client = client_for(users["diankou"])
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password": "abcdefgh12", "new_password2": "abcdefgh12"},
    )
    assert response.status_code == 200
    assert "至少 3 类" in response.content.decode()
    users["diankou"].refresh_from_db()
    assert users["diankou"].check_password(PASSWORD)


def test_production_hasher_is_argon2():
    from zhaoshang.settings import base

    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
