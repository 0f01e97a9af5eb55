"""Defect 6: every action on an object outside the caller's scope answers 404, whatever the action —
the same answer as for an id that does not exist, and nothing changes."""

import re

import pytest

from tests.security.test_api_capabilities import OPERATIONS
from zhaoshang.core.models import ObjectChange
from zhaoshang.leads import services
from zhaoshang.leads.models import Lead


@pytest.fixture
def foreign_lead(users):
    return services.lead_register(actor=users["datang"], data={"title": "大唐的线索", "source": "town"})


def test_claiming_another_units_lead_is_404_like_a_missing_id(users, api_for, client_for, foreign_lead):
    api = api_for(users["diankou"])
    missing = api.post("/api/v1/leads/99999999/claim")
    foreign = api.post(f"/api/v1/leads/{foreign_lead.pk}/claim")
    assert missing.status_code == foreign.status_code == 404
    assert foreign.json() == missing.json()
    page = client_for(users["diankou"]).post(f"/leads/{foreign_lead.pk}/claim/")
    assert page.status_code == 404
    foreign_lead.refresh_from_db()
    assert foreign_lead.org_unit == users["datang"].org_unit and foreign_lead.owner == users["datang"]


def test_a_visible_claimed_lead_still_says_it_was_claimed(users, api_for, foreign_lead):
    # the leader sees every lead of the county: for them "already claimed" is no secret
    response = api_for(users["leader"]).post(f"/api/v1/leads/{foreign_lead.pk}/claim")
    assert response.status_code == 422


def test_every_lead_action_on_another_units_lead_is_404(users, api_for, foreign_lead):
    api = api_for(users["diankou"])
    changes = ObjectChange.objects.count()
    routes = [(m, r) for m, r, _ in OPERATIONS if re.match(r"/api/v1/leads/<int:pk>", r)]
    assert len(routes) >= 6

    def answer(method, route, pk):
        url = route.replace("<int:pk>", str(pk))
        call = getattr(api, method.lower())
        response = call(url) if method == "GET" else call(url, data={}, content_type="application/json")
        return response.status_code, response.json()

    not_found = 0
    for method, route in routes:
        foreign = answer(method, route, foreign_lead.pk)
        # the same answer as for an id that does not exist: 404, or the body's 422 that comes before any look-up
        assert foreign == answer(method, route, 99999999), (method, route)
        assert foreign[0] in (404, 422), (method, route, foreign)
        not_found += foreign[0] == 404
    assert not_found >= 5
    assert ObjectChange.objects.count() == changes
    assert Lead.objects.get(pk=foreign_lead.pk).version == foreign_lead.version
