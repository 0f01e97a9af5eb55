"""Shares in ``restrict``: in a request the kinds of records shared with a user are read once and reused by
every ``restrict`` of the request; a share written during the request is honoured by the next one; outside a
request each ``restrict`` looks its model up, as before."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.testapp import services as dossiers
from tests.testapp.models import Dossier
from zhaoshang.core import context, selectors
from zhaoshang.core.middleware import RequestContextMiddleware
from zhaoshang.core.models import ObjectShare
from zhaoshang.core.services import object_share


def share_lookups(queries) -> int:
    """Look-ups of the share table itself (not the shares subquery inside a restricted query)."""
    return sum(1 for q in queries.captured_queries if q["sql"].split(" FROM ", 1)[-1].startswith('"core_objectshare"'))


def in_request(handler):
    """Run ``handler()`` inside a request, through the real middleware that opens the request context."""
    out = {}

    def view(request):
        out["value"] = handler()
        return HttpResponse()

    RequestContextMiddleware(view)(RequestFactory().get("/"))
    return out["value"]


@pytest.fixture
def records(users):
    return {
        "diankou": dossiers.dossier_create(actor=users["diankou"], data={"name": "店口档案"}),
        "datang": dossiers.dossier_create(actor=users["datang"], data={"name": "大唐档案"}),
    }


def visible(user, action="view") -> set[str]:
    return set(Dossier.objects.restrict(user, action).values_list("name", flat=True))


def test_a_request_reads_shares_once_whatever_the_number_of_restricts(users, records):
    officer = users["datang"]
    ObjectShare.objects.create(
        content_type=ContentType.objects.get_for_model(Dossier),
        object_id=records["diankou"].pk,
        org_unit=officer.org_unit,
        created_by=users["diankou"],
    )
    ContentType.objects.get_for_models(*selectors._business_models())  # warm, as a running server has it

    def many():
        with CaptureQueriesContext(connection) as queries:
            seen = [visible(officer) for _ in range(3)], visible(officer, "change")
            for model in selectors._business_models():
                list(model.objects.restrict(officer).values("pk")[:1])
        return seen, share_lookups(queries)

    (views, change), lookups = in_request(many)
    assert views == [{"店口档案", "大唐档案"}] * 3 and change == {"大唐档案"}  # the share does not allow changing
    assert lookups == 1
    with CaptureQueriesContext(connection) as queries:
        assert visible(officer) == {"店口档案", "大唐档案"} and visible(officer) == {"店口档案", "大唐档案"}
    assert share_lookups(queries) == 2  # outside a request: one look-up per restrict, as before


def test_changes_by_others_costs_the_same_whatever_the_number_of_business_models(users, records, monkeypatch):
    officer, models = users["datang"], selectors._business_models()
    assert len(models) > 5
    since = timezone.now() - timedelta(days=1)
    ContentType.objects.get_for_models(*models)

    def queries_with(some):
        monkeypatch.setattr(selectors, "_business_models", lambda: some)
        with CaptureQueriesContext(connection) as queries:
            in_request(lambda: selectors.changes_by_others(user=officer, since=since))
        return len(queries), share_lookups(queries)

    one = queries_with([Dossier])
    every = queries_with(models)
    assert one == every and every[1] == 1


def test_a_share_made_during_the_request_is_honoured_by_the_next_restrict(users, records):
    officer, owner = users["datang"], users["diankou"]

    def share_midway():
        before = visible(officer)
        object_share(obj=records["diankou"], org_unit=officer.org_unit.parent, actor=owner)  # a unit above
        return before, visible(officer), visible(officer, "change")

    assert in_request(share_midway) == ({"大唐档案"}, {"店口档案", "大唐档案"}, {"大唐档案"})


def test_a_share_written_by_any_path_drops_the_memo(users, records):
    officer, owner = users["datang"], users["diankou"]
    ct = ContentType.objects.get_for_model(Dossier)

    def change_midway():
        before = visible(officer, "change")
        share = ObjectShare.objects.create(
            content_type=ct, object_id=records["diankou"].pk, user=officer, created_by=owner
        )
        view_only = visible(officer, "change")
        share.can_change = True
        share.save()
        return before, view_only, visible(officer, "change")

    assert in_request(change_midway) == ({"大唐档案"}, {"大唐档案"}, {"店口档案", "大唐档案"})

    def bulk_midway():
        before = visible(users["office_sh"])
        ObjectShare.objects.bulk_create(  # skips signals: the caller drops the memo, as the services do
            [ObjectShare(content_type=ct, object_id=records["datang"].pk, user=users["office_sh"], created_by=owner)]
        )
        stale = visible(users["office_sh"])
        from zhaoshang.core.scope import forget_shares  # deferred: shown next to the call it documents

        forget_shares()
        return before, stale, visible(users["office_sh"])

    assert in_request(bulk_midway) == (set(), set(), {"大唐档案"})


def test_the_memo_is_per_user_and_ends_with_the_request(users, records):
    officer, owner = users["datang"], users["diankou"]
    ObjectShare.objects.create(
        content_type=ContentType.objects.get_for_model(Dossier),
        object_id=records["diankou"].pk,
        user=officer,
        created_by=owner,
    )

    def two_users():
        return visible(officer), visible(users["office_sh"]), context.request_memo() is not None

    assert in_request(two_users) == ({"店口档案", "大唐档案"}, set(), True)
    assert context.request_memo() is None
