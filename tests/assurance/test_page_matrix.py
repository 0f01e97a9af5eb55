"""Role × URL matrix generated from the URL configuration (see ``matrix.py``)."""

import pytest
from django.http import HttpResponse
from django.urls import path
from django.views import View

from tests.urls import urlpatterns as platform_urls
from zhaoshang.core.permissions import CapabilityRequiredMixin
from zhaoshang.core.roles import Cap, Role

from . import matrix


@pytest.fixture
def role_users(module_role_users, db):
    """The module's users, built once (``module_db``: each test runs in a savepoint rolled back after it)."""
    return module_role_users


def test_every_page_declares_its_access_rule():
    found = matrix.pages()
    assert len(found) > 50  # the platform's pages, not an empty walk
    assert matrix.declaration_problems(found) == []


@pytest.mark.parametrize("role", [None, *Role.values])
def test_role_url_matrix(role, role_users):
    user = role_users[role] if role else None
    client = matrix.client_for(user) if user else None
    problems = [problem for page in matrix.pages() for problem in matrix.probe(page, user, client)]
    assert problems == []


# --- the generator proves itself: a page that loses its capability check is found -------------------


class _Settings(CapabilityRequiredMixin, View):
    capability = Cap.MANAGE_SETTINGS

    def get(self, request, *args, **kwargs):
        return HttpResponse("设置")

    post = get


class _LostCheck(_Settings):
    """Declares the capability but dispatches around the check (the bug the matrix must catch)."""

    def dispatch(self, request, *args, **kwargs):
        return View.dispatch(self, request, *args, **kwargs)


def _ok(request):  # a function view: states no access rule
    raise AssertionError("never called")


urlpatterns = [
    *platform_urls,
    path("settings/<int:pk>/", _Settings.as_view(), name="kept"),
    path("leaky/<int:pk>/", _LostCheck.as_view(), name="leaky"),
    path("bare/", _ok, name="bare"),
]


@pytest.mark.urls(__name__)
def test_generator_fails_when_a_page_loses_its_capability_check(role_users):
    found = {page.name: page for page in matrix.pages() if page.name in {"kept", "leaky", "bare"}}
    assert set(found) == {"kept", "leaky", "bare"}
    [bare] = matrix.declaration_problems(list(found.values()))
    assert bare.startswith("bare: no access rule")
    officer = role_users[Role.OFFICER]
    assert matrix.probe(found["kept"], officer) == []
    problems = matrix.probe(found["leaky"], officer)
    assert problems and all("expected 403" in p or "expected one denied row" in p for p in problems), problems
    # the holder of the capability is not refused by either page
    assert matrix.probe(found["leaky"], role_users[Role.SYSADMIN]) == []
