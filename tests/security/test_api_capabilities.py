"""Defect 5: API operations require capabilities as the pages do. The role × operation matrix is generated
from the API's URL configuration, so an operation another app adds is covered without a change here."""

import re

from django.conf import settings
from django.test import Client

from zhaoshang.api.capabilities import operation_capabilities, satisfies
from zhaoshang.api.main import api
from zhaoshang.core.models import SecurityEvent
from zhaoshang.core.roles import Cap

ROLES = ("sysadmin", "secadmin", "auditor", "leader", "center", "zrzy", "expert1")


def _operations():
    """(method, path, operation) of every operation that needs a user."""
    found = []
    for pattern in api.urls[0]:
        closure = getattr(pattern.callback, "__closure__", None) or ()
        path_view = next((c.cell_contents for c in closure if hasattr(c.cell_contents, "operations")), None)
        if path_view is None:  # the schema and the docs
            continue
        route = "/api/v1/" + str(pattern.pattern)
        for operation in path_view.operations:
            if not operation.auth_callbacks:
                continue
            for method in operation.methods:
                found.append((method, route, operation))
    return found


def _url(route: str) -> str:
    return re.sub(r"<[^>]+>", "999999", route)


OPERATIONS = _operations()


def test_the_matrix_covers_every_operation():
    assert len(OPERATIONS) >= 40
    assert {(m, p) for m, p, _ in OPERATIONS} >= {("GET", "/api/v1/stats/rankings"), ("POST", "/api/v1/leads/extract")}


def test_role_by_operation(users):
    """Every role, every operation: refused (403 with the error shape, one audit row, before the body is read)
    exactly when the role lacks a required capability; otherwise never refused by the capability check."""
    clients = {}
    for role in ROLES:
        clients[role] = Client()
        clients[role].force_login(users[role])
    failures = []
    for method, route, operation in OPERATIONS:
        required = operation_capabilities(operation.view_func, method)
        for role in ROLES:
            before = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.ACCESS_DENIED).count()
            call = getattr(clients[role], method.lower())
            if method in ("GET", "DELETE"):
                response = call(_url(route))
            else:
                response = call(_url(route), data="{}", content_type="application/json")
            denied_rows = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.ACCESS_DENIED).count() - before
            if _outside_assignments(users[role], route):
                # an expert reaches only his reviews: everything else answers as if it did not exist
                ok = response.status_code == 404
            elif satisfies(users[role], required):
                ok = response.status_code < 500 and not (response.status_code == 403 and denied_rows)
            else:
                ok = response.status_code == 403 and response.json()["code"] == "forbidden" and denied_rows == 1
            if not ok:
                failures.append((role, method, route, response.status_code))
    assert failures == []


def _outside_assignments(user, route: str) -> bool:
    return user.has_capability(Cap.VIEW_ASSIGNED_ONLY) and not any(
        _url(route).startswith(prefix) for prefix in settings.ZHAOSHANG_ASSIGNED_ONLY_API
    )


def test_non_business_roles_cannot_read_rankings_or_extract(users, api_for):
    for role in ("sysadmin", "auditor", "expert1", "secadmin"):
        client = api_for(users[role])
        refused = 404 if role == "expert1" else 403  # an expert sees only his reviews: the rest does not exist
        assert client.get("/api/v1/stats/rankings", {"year": 2026, "month": 1}).status_code == refused
        extract = client.post(
            "/api/v1/leads/extract", {"text": "德国某公司拟投资1亿元"}, content_type="application/json"
        )
        assert extract.status_code == refused
    assert api_for(users["center"]).get("/api/v1/stats/rankings", {"year": 2026, "month": 1}).status_code == 200
    assert (
        api_for(users["center"])
        .post("/api/v1/leads/extract", {"text": "德国某公司拟投资1亿元"}, content_type="application/json")
        .status_code
        == 200
    )


def test_an_undeclared_operation_gets_the_business_default():
    def view(request):
        return None

    assert operation_capabilities(view, "GET") == (Cap.BUSINESS_VIEW,)
    assert operation_capabilities(view, "POST") == (Cap.BUSINESS_CHANGE,)
    assert operation_capabilities(view, "DELETE") == (Cap.BUSINESS_CHANGE,)
