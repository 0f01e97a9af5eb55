"""The FDI records list (外资记录): the drill-down behind a figure. Page, export and API share
``stats.filters.FDIRecordFilter``; the page ignores an invalid filter value, the API answers 422 naming it."""

from datetime import date
from types import SimpleNamespace

import pytest
from django.urls import reverse

from tests.factories import make_unit
from tests.stats.test_figures import record
from zhaoshang.enterprises.services import enterprise_create
from zhaoshang.imports.files import read_rows

API = "/api/v1/fdi-records"


@pytest.fixture
def fdi(users, county):
    e = enterprise_create(actor=users["diankou"], data={"name": "甲外资有限公司", "origin": "foreign"})
    f = enterprise_create(actor=users["datang"], data={"name": "乙外资有限公司", "origin": "foreign"})
    rows = SimpleNamespace(
        a=record(county.diankou, e, date(2026, 1, 10), "actual", "100"),
        b=record(county.diankou, e, date(2026, 3, 5), "actual", "200", form="increase"),
        c=record(county.datang, f, date(2026, 3, 20), "contract", "300"),
        d=record(county.office_sh, e, date(2025, 3, 1), "actual", "50", form="reinvest"),
        e=record(county.datang, f, date(2026, 2, 1), "contract", "40", form="decrease"),
    )
    for name, country in (("a", "德国"), ("c", "德国"), ("d", "新加坡")):
        obj = getattr(rows, name)
        obj.country = country
        obj.save()
    return rows


def page_ids(client, params) -> list[int]:
    response = client.get(reverse("stats:records"), params)
    assert response.status_code == 200
    return [r.pk for r in response.context["page_obj"]]


def api_ids(api, params) -> list[int]:
    response = api.get(API, params)
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["count"] == len(body["results"])
    return [r["id"] for r in body["results"]]


CASES = [
    ({}, "bcead"),
    ({"kind": "contract"}, "ce"),
    ({"form": "new"}, "ca"),
    ({"year": 2026}, "bcea"),
    ({"year": 2026, "month": 3}, "cb"),
    ({"year": 2026, "month": 2, "cumulative": True}, "ea"),
    ({"month": 3}, "cbd"),
    ({"country": "德国"}, "ca"),
    ({"country": "未填写"}, "be"),  # the breakdown's name for records without a country
    ({"org_unit": "center"}, "d"),  # the unit and its sub-units
    ({"org_unit": "root"}, "cbead"),
    ({"org_unit": "diankou", "kind": "actual", "year": 2026}, "ba"),
]


@pytest.mark.parametrize(("params", "expected"), CASES)
def test_filters_select_the_same_records_on_page_and_api(users, county, fdi, client_for, api_for, params, expected):
    params = dict(params)
    if "org_unit" in params:
        params["org_unit"] = getattr(county, params["org_unit"]).pk
    ordered = sorted((getattr(fdi, k) for k in expected), key=lambda r: (r.date, r.pk), reverse=True)
    wanted = [r.pk for r in ordered]
    page_params = {k: ("1" if v is True else v) for k, v in params.items()}
    api_params = {k: ("true" if v is True else v) for k, v in params.items()}
    assert page_ids(client_for(users["leader"]), page_params) == wanted
    assert api_ids(api_for(users["leader"]), api_params) == wanted


def test_month_without_cumulative_flag_is_that_month_only(users, fdi, client_for, api_for):
    params = {"year": 2026, "month": 2}
    assert page_ids(client_for(users["leader"]), {**params, "cumulative": ""}) == [fdi.e.pk]
    assert api_ids(api_for(users["leader"]), {**params, "cumulative": "false"}) == [fdi.e.pk]


def test_scope_still_applies(users, fdi, client_for, api_for):
    assert page_ids(client_for(users["diankou"]), {"year": 2026}) == [fdi.b.pk, fdi.a.pk]
    assert api_ids(api_for(users["datang"]), {"kind": "contract"}) == [fdi.c.pk, fdi.e.pk]


@pytest.mark.parametrize(
    ("name", "value"),
    [("kind", "gold"), ("form", "gift"), ("month", "-1"), ("year", "-5"), ("org_unit", "foreign")],
)
def test_invalid_value_is_422_on_the_api_and_ignored_by_the_page(
    users, fdi, other_county, client_for, api_for, name, value
):
    if value == "foreign":
        value = other_county.root.pk  # a unit outside the user's county
    response = api_for(users["leader"]).get(API, {name: value, "kind": "contract"} if name != "kind" else {name: value})
    assert response.status_code == 422
    assert name in response.json()["fields"]
    # The page leaves the bad value out and keeps the other conditions.
    expected = [fdi.c.pk, fdi.e.pk] if name != "kind" else [r.pk for r in (fdi.c, fdi.b, fdi.e, fdi.a, fdi.d)]
    params = {name: value, "kind": "contract"} if name != "kind" else {name: value}
    assert page_ids(client_for(users["leader"]), params) == expected


def test_api_body_is_count_and_results(users, fdi, api_for):
    body = api_for(users["leader"]).get(API, {"kind": "contract", "page_size": 1}).json()
    assert set(body) == {"count", "results"} and body["count"] == 2
    assert body["results"] == [
        {
            "id": fdi.c.pk,
            "date": "2026-03-20",
            "enterprise_id": fdi.c.enterprise_id,
            "enterprise": "乙外资有限公司",
            "project_id": None,
            "kind": "contract",
            "form": "new",
            "amount": "300.00",
            "signed_amount": "300.00",
            "country": "德国",
            "org_unit_id": fdi.c.org_unit_id,
            "version": fdi.c.version,
        }
    ]


def test_page_total_and_export_follow_the_filters(users, fdi, client_for):
    client = client_for(users["leader"])
    response = client.get(reverse("stats:records"), {"kind": "contract", "year": 2026})
    assert str(response.context["total"]) == "260.00"  # a 减资 counts negative
    export = client.get(reverse("stats:records"), {"kind": "contract", "year": 2026, "export": 1})
    assert export.status_code == 200
    rows = list(read_rows(b"".join(export.streaming_content), "xlsx"))
    assert [(row[0], row[4], row[5]) for row in rows[1:]] == [
        (date(2026, 3, 20), "新设", 300.0),
        (date(2026, 2, 1), "减资", -40.0),
    ]


def test_page_size_is_fixed_at_50(users, county, fdi, client_for):
    response = client_for(users["leader"]).get(reverse("stats:records"), {"page_size": 100})
    assert response.context["page_obj"].paginator.per_page == 50


def test_subtree_includes_units_added_below(users, county, fdi, client_for):
    village = make_unit("店口某村", "village", county.diankou)
    below = record(village, fdi.a.enterprise, date(2026, 4, 1), "actual", "10")
    assert page_ids(client_for(users["leader"]), {"org_unit": county.diankou.pk}) == [below.pk, fdi.b.pk, fdi.a.pk]
