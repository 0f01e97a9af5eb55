"""Faults (issue 19): a database that cannot do its work answers a clear 503 — pages and API, no trace page,
nothing half-saved — and Redis being down falls back to the database cache with no 500s."""

import os
import subprocess
import sys

import pytest
import redis
from django.core.cache import cache
from django.db import IntegrityError, OperationalError
from django.test import Client, override_settings
from django.urls import reverse

from zhaoshang.accounts.models import User
from zhaoshang.core import services as core_services
from zhaoshang.core.errors import DATABASE_UNAVAILABLE
from zhaoshang.enterprises import selectors as enterprise_selectors
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.enterprises.views import EnterpriseListView


def _failing(message):
    def fail(*args, **kwargs):
        raise OperationalError(message)

    return fail


@pytest.mark.parametrize("message", ["database or disk is full", "attempt to write a readonly database",
                                     "server closed the connection unexpectedly"])  # fmt: skip
def test_a_page_answers_503_with_a_clear_message_when_the_database_cannot_work(users, message, monkeypatch):
    client = Client(raise_request_exception=False)
    client.force_login(users["diankou"])
    monkeypatch.setattr(EnterpriseListView, "selector", staticmethod(_failing(message)))
    response = client.get(reverse("enterprises:enterprise_list"))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert DATABASE_UNAVAILABLE in page and "Traceback" not in page and message not in page


def test_an_api_call_answers_503_in_the_error_shape(users, api_for, monkeypatch):
    monkeypatch.setattr(enterprise_selectors, "enterprise_get", _failing("database or disk is full"))
    api = api_for(users["diankou"])
    api.raise_request_exception = False
    response = api.get("/api/v1/enterprises/1")
    assert response.status_code == 503
    assert response.json() == {"code": "database_unavailable", "message": DATABASE_UNAVAILABLE, "fields": {}} | {
        k: v for k, v in response.json().items() if k == "request_id"
    }


def test_a_write_that_fails_half_way_leaves_nothing(users, client_for, monkeypatch):
    """A full disk at the change-log row of a create: the enterprise row is rolled back with it."""
    before = Enterprise.all_objects.count()
    form = {
        "name": "诸暨市磁盘满测试有限公司",
        "credit_code": "",
        "kind": "local",
        "origin": "domestic",
        "org_unit": "",
    }
    monkeypatch.setattr(core_services, "log_change", _failing("database or disk is full"))
    client = client_for(users["diankou"])
    client.raise_request_exception = False
    response = client.post(
        reverse("enterprises:enterprise_add"),
        form,
    )
    assert response.status_code == 503
    assert Enterprise.all_objects.count() == before


def test_a_bug_is_still_a_500_not_reported_as_an_outage(users, monkeypatch):
    client = Client(raise_request_exception=False)
    client.force_login(users["diankou"])

    def bug(*args, **kwargs):
        raise IntegrityError("duplicate key")

    monkeypatch.setattr(EnterpriseListView, "selector", staticmethod(bug))
    response = client.get(reverse("enterprises:enterprise_list"))
    assert response.status_code == 500
    assert DATABASE_UNAVAILABLE not in response.content.decode()


REDIS_DOWN = {"default": {"BACKEND": "zhaoshang.core.cache.FallbackRedisCache", "LOCATION": "redis://127.0.0.1:1/0"}}


@override_settings(CACHES=REDIS_DOWN)
def test_with_redis_down_the_cache_answers_from_the_database(db):
    cache.set("k", 1, 60)
    assert cache.get("k") == 1
    assert cache.add("k", 5) is False
    assert cache.incr("k") == 2
    cache.delete("k")
    assert cache.get("k") is None


@override_settings(CACHES=REDIS_DOWN, ZHAOSHANG_LOGIN_FAILURES_PER_ADDRESS=3)
def test_with_redis_down_login_failures_are_still_counted_and_no_500(users):
    client = Client(raise_request_exception=False)
    statuses = [
        client.post(reverse("accounts:login"), {"username": name, "password": "wrong"}).status_code
        for name in ("diankou", "datang", "zrzy", "office_sh")
    ]
    assert 500 not in statuses
    assert statuses[-1] == 429  # the address limit held, counted in the database cache
    assert User.objects.get(username="diankou").is_active


def _redis_up() -> bool:
    try:
        return redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=0.5).ping()
    except redis.exceptions.RedisError:
        return False


@pytest.mark.skipif(not _redis_up(), reason="no Redis on 127.0.0.1:6379 (the CI machine has one)")
@override_settings(
    CACHES={"default": {"BACKEND": "zhaoshang.core.cache.FallbackRedisCache", "LOCATION": "redis://127.0.0.1:6379/7"}}
)
def test_with_redis_up_values_go_to_redis_not_the_database(db):
    cache.set("fault-test", "在", 60)
    assert redis.Redis(host="127.0.0.1", port=6379, db=7).exists(":1:fault-test")
    assert cache.fallback.get("fault-test") is None
    cache.delete("fault-test")


def test_connections_are_checked_before_reuse(settings):
    """After a database restart the first request reconnects (Django's health check on a kept connection)."""
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True


def test_the_redis_fallback_is_what_redis_url_selects():
    code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    env = {**os.environ, "REDIS_URL": "redis://127.0.0.1:6379/0", "DJANGO_SETTINGS_MODULE": "zhaoshang.settings.test"}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)  # noqa: S603
    assert result.stdout.strip() == "zhaoshang.core.cache.FallbackRedisCache", result.stderr
