"""Defect 1: one client address (core/client.py) for the API throttles, django-axes and the audit log;
counters in the shared cache; password spraying limited per address."""

from pathlib import Path

from axes.models import AccessAttempt
from django.conf import settings
from django.db import connection
from django.test import Client

from tests.factories import PASSWORD
from zhaoshang.core.models import SecurityEvent


def _token(username, password="x", **extra):
    return Client().post(
        "/api/v1/auth/token",
        {"username": username, "password": password},
        content_type="application/json",
        **extra,
    )


def test_x_forwarded_for_does_not_bypass_the_token_limit(users):
    codes = [_token(f"nobody{i}", HTTP_X_FORWARDED_FOR=f"10.9.{i}.1").status_code for i in range(12)]
    assert codes[:10] == [401] * 10
    assert codes[10:] == [429, 429]


def test_by_default_the_address_is_the_peer_and_forwarded_for_is_ignored(users):
    _token("diankou", "bad-Password1", REMOTE_ADDR="192.0.2.7", HTTP_X_FORWARDED_FOR="203.0.113.9")
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.LOGIN_FAILED)
    assert event.ip == "192.0.2.7"
    assert AccessAttempt.objects.get(username="diankou").ip_address == "192.0.2.7"


def test_behind_one_proxy_the_last_forwarded_address_counts_everywhere(users, settings):
    settings.ZHAOSHANG_NUM_PROXIES = 1
    forwarded = "6.6.6.6, 198.51.100.4"  # the client wrote 6.6.6.6 itself; nginx appended the real peer
    _token("diankou", "bad-Password1", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert SecurityEvent.objects.get(kind=SecurityEvent.Kind.LOGIN_FAILED).ip == "198.51.100.4"
    assert AccessAttempt.objects.get(username="diankou").ip_address == "198.51.100.4"
    # the token limit counts per real client: another client behind the same proxy is not limited
    for i in range(10):
        _token(f"nobody{i}", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=f"1.1.1.{i}, 198.51.100.4")
    assert _token("x", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.4").status_code == 429
    assert _token("x", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.5").status_code == 401


def test_a_garbage_forwarded_header_falls_back_to_the_peer(users, settings):
    settings.ZHAOSHANG_NUM_PROXIES = 1
    _token("diankou", "bad-Password1", REMOTE_ADDR="192.0.2.8", HTTP_X_FORWARDED_FOR="<script>")
    assert SecurityEvent.objects.get(kind=SecurityEvent.Kind.LOGIN_FAILED).ip == "192.0.2.8"


def test_rate_limit_counters_live_in_the_shared_database_cache(users):
    assert settings.CACHES["default"]["BACKEND"] in (
        "django.core.cache.backends.db.DatabaseCache",
        "django.core.cache.backends.redis.RedisCache",
    )
    _token("nobody")
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM zhaoshang_cache")
        keys = [row[0] for row in cursor.fetchall()]
    assert any("throttle_token_" in key for key in keys)  # visible to every worker process


def test_password_spraying_is_limited_per_address(users, settings):
    settings.ZHAOSHANG_LOGIN_FAILURES_PER_ADDRESS = 5
    sprayer = Client(REMOTE_ADDR="192.0.2.50")
    for name in ("sysadmin", "secadmin", "auditor", "leader", "center"):  # one password, many accounts
        assert sprayer.post("/accounts/login/", {"username": name, "password": "Spring2026!x"}).status_code == 200
    # the right password of yet another account is refused too, from that address only
    refused = sprayer.post("/accounts/login/", {"username": "diankou", "password": PASSWORD})
    assert refused.status_code == 429
    assert "网络地址" in refused.content.decode()
    assert "_auth_user_id" not in sprayer.session
    api = _token("diankou", PASSWORD, REMOTE_ADDR="192.0.2.50")
    assert api.status_code == 429 and api.json()["code"] == "address_limited"
    # the accounts themselves were not locked by the refused attempts, and other addresses log in
    assert not AccessAttempt.objects.filter(username="diankou").exists()
    other = Client(REMOTE_ADDR="192.0.2.51")
    assert other.post("/accounts/login/", {"username": "diankou", "password": PASSWORD}).status_code == 302


def test_deploy_example_overwrites_forwarded_for():
    deploy = (Path(settings.BASE_DIR) / "docs" / "deploy.md").read_text()
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in deploy
    assert "$proxy_add_x_forwarded_for" not in deploy.replace("never\n  `$proxy_add_x_forwarded_for`", "")
