"""The 工作台 composes every app's panels: its tests use the projects' fixtures (units, stages, people)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import make_user
from tests.projects.conftest import departments, make_project, people, stages  # noqa: F401
from zhaoshang.leads import services as lead_services
from zhaoshang.leads.models import Lead


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def coordinating(county):
    county.center.is_coordinating = True
    county.center.save(update_fields=["is_coordinating"])
    return county.center


@pytest.fixture
def make_lead(today):
    """A lead registered today (no clock has run out) unless ``on`` says otherwise. A next follow-up already
    past was set while it lay ahead (a service refuses a past day): the setup moves time on for it."""

    def _make(actor, title, *, on=None, next_followup_on=None, **data):
        on = on or today
        past = next_followup_on is not None and next_followup_on < on
        lead = lead_services.lead_register(
            actor=actor,
            data={"title": title, "source": "town", "next_followup_on": None if past else next_followup_on, **data},
            on=on,
        )
        if past:
            Lead.objects.filter(pk=lead.pk).update(next_followup_on=next_followup_on)
            lead.refresh_from_db()
        return lead

    return _make


@pytest.fixture
def colleague(county):
    return make_user("diankou2", "officer", county.diankou, full_name="店口同事")


def days(n: int) -> timedelta:
    return timedelta(days=n)
