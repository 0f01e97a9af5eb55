"""Defect 4: 422 (or 413) where a 500 was answered, and the generic query guard every FilterSet gets."""

import django_filters
import pytest
from django.apps import apps

from zhaoshang.core.filters import GuardedFilterSet
from zhaoshang.enterprises import services as enterprise_services
from zhaoshang.enterprises.models import Enterprise

BIG = "9" * 20


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/v1/fdi-records?year=0", "year"),
        ("/api/v1/fdi-records?year=10000", "year"),
        ("/api/v1/fdi-records?month=" + BIG, "month"),
        ("/api/v1/projects?stage=" + BIG, "stage.0"),
        ("/api/v1/enterprises?tag=" + BIG, "tag.0"),
        ("/api/v1/enterprises?page=" + BIG, "page"),
        ("/api/v1/enterprises?org_unit=" + BIG, "org_unit"),
        ("/api/v1/enterprises?created_after=0001-01-01", "created_after"),
    ],
)
def test_api_query_parameters_out_of_range_are_422(users, api_for, url, field):
    response = api_for(users["center"]).get(url)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid" and field in body["fields"]


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/stats/records/?year=0", "year"),
        ("/stats/records/?year=10000", "year"),
        ("/projects/?stage=" + BIG, "stage"),
        ("/enterprises/?tag=" + BIG, "tag"),
        ("/enterprises/?created_before=9999-12-31", "created_before"),
    ],
)
def test_pages_show_out_of_range_filters_on_the_form(users, client_for, url, field):
    response = client_for(users["center"]).get(url)
    assert response.status_code in (200, 422)
    form = response.context["filter"].form if "filter" in response.context else None
    assert form is not None and field in form.errors


def test_page_number_far_beyond_the_end_is_clamped_on_pages(users, client_for):
    assert client_for(users["center"]).get("/enterprises/?page=" + BIG).status_code == 200


def test_patch_former_names_null_clears_them(users, api_for):
    enterprise = enterprise_services.enterprise_create(
        actor=users["diankou"], data={"name": "空曾用名测试有限公司", "former_names": "旧名一"}
    )
    response = api_for(users["diankou"]).patch(
        f"/api/v1/enterprises/{enterprise.pk}",
        {"version": enterprise.version, "former_names": None},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["former_names"] == []
    enterprise.refresh_from_db()
    assert enterprise.former_names == ""


def test_json_body_over_the_limit_is_413_with_the_error_shape(users, api_for, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = api_for(users["diankou"]).post(
        "/api/v1/enterprises", {"name": "大" * 2000}, content_type="application/json"
    )
    assert response.status_code == 413
    body = response.json()
    assert body["code"] == "too_large" and body["fields"] == {} and "上限" in body["message"]
    assert not Enterprise.all_objects.exists()


@pytest.mark.parametrize("survivor", [None, "abc", BIG, "-1"])
def test_merge_form_without_or_with_a_bad_survivor_is_422(users, client_for, survivor):
    one = enterprise_services.enterprise_create(actor=users["diankou"], data={"name": "合并甲有限公司"})
    two = enterprise_services.enterprise_create(actor=users["diankou"], data={"name": "合并乙有限公司"})
    data = {"merged": two.pk}
    if survivor is not None:
        data["survivor"] = survivor
    response = client_for(users["diankou"]).post(f"/enterprises/{one.pk}/merge/", data)
    assert response.status_code == 422
    assert "survivor" in response.context["error"].fields
    assert Enterprise.objects.count() == 2  # nothing merged


def _filtersets():
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("zhaoshang."):
            continue
        try:
            module = __import__(f"{config.name}.filters", fromlist=["*"])
        except ModuleNotFoundError:
            continue
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, django_filters.FilterSet)
                and value.__module__ == module.__name__
            ):
                found.append(value)
    return found


def test_every_filterset_of_every_app_is_guarded():
    filtersets = _filtersets()
    assert len(filtersets) >= 6
    assert [f.__name__ for f in filtersets if not issubclass(f, GuardedFilterSet)] == []


def test_the_guard_refuses_huge_ids_and_dates_in_every_filterset(users):
    """Each FilterSet, each id/integer/date filter, fed a 20-digit number or year 0001: a form error, no query."""
    checked = 0
    for filterset_class in _filtersets():
        if filterset_class._meta.model is None:
            continue
        for name, flt in filterset_class.base_filters.items():
            ids = django_filters.ModelChoiceFilter | django_filters.ModelMultipleChoiceFilter
            if isinstance(flt, ids | django_filters.NumberFilter):
                value = BIG
            elif isinstance(flt, django_filters.DateFilter):
                value = "0001-01-01"
            else:
                continue
            kwargs = (
                {"user": users["center"]}
                if issubclass(filterset_class, GuardedFilterSet)
                and "user" in (filterset_class.__init__.__code__.co_varnames)
                else {}
            )
            filterset = filterset_class({name: value}, queryset=filterset_class._meta.model.objects.none(), **kwargs)
            assert not filterset.is_valid(), (filterset_class.__name__, name)
            assert name in filterset.errors, (filterset_class.__name__, name, filterset.errors)
            checked += 1
    assert checked >= 10


def test_unguarded_lookups_would_have_failed(users):
    """The check above is not vacuous: without the guard, Django's own field sends the 20-digit id to the database."""
    from django import forms  # deferred: only for this check
    from django.core.exceptions import ValidationError
    from django.db import connection  # deferred: as above

    from zhaoshang.core.models import Tag

    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL answers an out-of-range id with no rows; SQLite raises OverflowError")
    with pytest.raises(Exception) as info:
        forms.ModelMultipleChoiceField(queryset=Tag.objects.all()).clean([BIG])
    assert not isinstance(info.value, ValidationError)
