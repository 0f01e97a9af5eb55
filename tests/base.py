"""Shared test cases for business models (STYLE.md habit 6).

A later app gets its page and API tests by subclassing and supplying data::

    class TestEnterprise(BusinessModelContract):
        model = Enterprise
        url_namespace = "enterprises"
        api_path = "/api/v1/enterprises"
        list_queries = 9            # pinned; must not grow with the page size

        def create_data(self): return {"name": "海亮集团有限公司", ...}   # model fields
        def form_data(self): return {"name": "...", ...}                 # POST data of the add page
        def api_create_data(self): return {"name": "..."}
        def api_update_data(self): return {"name": "..."}

Every test states exactly what it expects, including that a refused action changed nothing.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zhaoshang.core import services
from zhaoshang.core.models import ObjectChange


class BusinessModelContract:
    model = None
    url_namespace = ""
    api_path = ""
    list_queries: int | None = None
    # The field whose change the update tests make visible (a text field of the model).
    text_field = "name"

    # --- data supplied by the subclass --------------------------------------------------------
    def create_data(self) -> dict:
        raise NotImplementedError

    def form_data(self) -> dict:
        raise NotImplementedError

    def api_create_data(self) -> dict:
        raise NotImplementedError

    def api_update_data(self) -> dict:
        raise NotImplementedError

    # --- helpers ------------------------------------------------------------------------------
    def make(self, actor, n: int = 0, **overrides):
        data = {**self.create_data(), **overrides}
        if n:
            data[self.text_field] = f"{data[self.text_field]}{n}"
        return services.object_create(model=self.model, actor=actor, data=data)

    def url(self, suffix: str, *args) -> str:
        return reverse(f"{self.url_namespace}:{self.model._meta.model_name}_{suffix}", args=args)

    def listed_ids(self, response) -> list[int]:
        """Ids of the records a list page shows (rows are objects or (object, values) pairs)."""
        return [(row[0] if isinstance(row, tuple) else row).pk for row in response.context["rows"]]

    def changes(self, obj=None):
        rows = ObjectChange.objects.filter(content_type=ContentType.objects.get_for_model(self.model))
        return rows.filter(object_id=obj.pk) if obj is not None else rows

    # --- pages --------------------------------------------------------------------------------
    def test_list_requires_login(self, users):
        response = Client().get(self.url("list"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))

    def test_list_shows_only_own_scope(self, users, client_for):
        own = self.make(users["diankou"], 1)
        other = self.make(users["datang"], 2)
        response = client_for(users["diankou"]).get(self.url("list"))
        assert response.status_code == 200
        assert self.listed_ids(response) == [own.pk]
        assert str(other) not in response.content.decode()

    def test_leader_sees_whole_region_but_not_other_county(self, users, other_county, client_for):
        from tests.factories import make_user

        a = self.make(users["diankou"], 1)
        b = self.make(users["datang"], 2)
        foreign = self.make(make_user("foreign", "officer", other_county.diankou), 3)
        response = client_for(users["leader"]).get(self.url("list"))
        shown = set(self.listed_ids(response))
        assert shown == {a.pk, b.pk}
        assert foreign.pk not in shown

    def test_admin_roles_see_no_business_data(self, users, client_for, api_for):
        self.make(users["diankou"], 1)
        for role in ("sysadmin", "secadmin", "auditor"):
            assert client_for(users[role]).get(self.url("list")).status_code == 403
            body = api_for(users[role]).get(self.api_path).json()
            assert body["count"] == 0 and body["results"] == []

    def test_detail_outside_scope_is_404(self, users, client_for, api_for):
        other = self.make(users["datang"], 1)
        assert client_for(users["diankou"]).get(self.url("detail", other.pk)).status_code == 404
        response = api_for(users["diankou"]).get(f"{self.api_path}/{other.pk}")
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
        assert client_for(users["datang"]).get(self.url("detail", other.pk)).status_code == 200

    def test_create_page_writes_record_and_one_change_row(self, users, client_for):
        response = client_for(users["diankou"]).post(self.url("add"), self.form_data())
        assert response.status_code == 302, getattr(response, "context", {}) and response.context["form"].errors
        obj = self.model.objects.get()
        assert obj.org_unit_id == users["diankou"].org_unit_id
        assert obj.region_id == users["diankou"].org_unit.region_id
        assert obj.created_by == users["diankou"]
        change = self.changes(obj).get()
        assert change.action == ObjectChange.Action.CREATE
        assert change.actor == users["diankou"]
        assert change.after[self.text_field] == getattr(obj, self.text_field)

    def test_create_refused_without_permission_changes_nothing(self, users, client_for):
        response = client_for(users["expert1"]).post(self.url("add"), self.form_data())
        assert response.status_code == 403
        assert self.model.all_objects.count() == 0
        assert self.changes().count() == 0

    def test_edit_page_refuses_stale_version_and_keeps_first_save(self, users, client_for):
        obj = self.make(users["diankou"], 1)
        first, second = client_for(users["diankou"]), client_for(users["center"])
        users["center"].org_unit = users["diankou"].org_unit  # a colleague in the same town
        users["center"].save()
        data = {**self.form_data(), "version": obj.version}
        ok = first.post(self.url("edit", obj.pk), {**data, self.text_field: "第一次修改"})
        assert ok.status_code == 302
        stale = second.post(self.url("edit", obj.pk), {**data, self.text_field: "第二次修改"})
        assert stale.status_code == 200
        assert "已被diankou修改" in stale.content.decode()
        obj.refresh_from_db()
        assert getattr(obj, self.text_field) == "第一次修改"
        assert obj.version == 2

    def test_delete_is_soft_and_restorable(self, users, client_for):
        obj = self.make(users["diankou"], 1)
        response = client_for(users["diankou"]).post(self.url("delete", obj.pk), {"version": obj.version})
        assert response.status_code == 302
        assert not self.model.objects.filter(pk=obj.pk).exists()
        assert self.model.all_objects.get(pk=obj.pk).deleted_by == users["diankou"]
        services.object_restore(model=self.model, actor=users["diankou"], pk=obj.pk)
        assert self.model.objects.filter(pk=obj.pk).exists()
        assert list(self.changes(obj).order_by("id").values_list("action", flat=True)) == [
            "create",
            "delete",
            "restore",
        ]

    def test_delete_outside_scope_is_404_and_changes_nothing(self, users, client_for):
        obj = self.make(users["datang"], 1)
        response = client_for(users["diankou"]).post(self.url("delete", obj.pk), {"version": obj.version})
        assert response.status_code == 404
        assert self.model.objects.filter(pk=obj.pk).exists()
        assert self.changes(obj).count() == 1

    def test_list_query_count_is_pinned_and_independent_of_rows(self, users, client_for):
        client = client_for(users["diankou"])
        self.make(users["diankou"], 1)
        client.get(self.url("list"))  # warm caches (content types, session)
        counts = []
        for n in (2, 20):
            for i in range(len(counts) * 100 + 2, len(counts) * 100 + n + 1):
                self.make(users["diankou"], i)
            with CaptureQueriesContext(connection) as queries:
                assert client.get(self.url("list")).status_code == 200
            counts.append(len(queries))
        assert counts[0] == counts[1], counts
        if self.list_queries is not None:
            assert counts[0] == self.list_queries, counts

    def test_detail_query_count_does_not_grow_with_history(self, users, client_for):
        client = client_for(users["diankou"])
        obj = self.make(users["diankou"], 1)
        client.get(self.url("detail", obj.pk))
        counts = []
        for edits in (1, 10):
            for i in range(edits):
                obj = services.object_update(
                    obj=obj,
                    actor=users["diankou"],
                    data={self.text_field: f"修改{len(counts)}-{i}"},
                    version=obj.version,
                )
            with CaptureQueriesContext(connection) as queries:
                response = client.get(self.url("detail", obj.pk))
                assert response.status_code == 200
                assert len(response.context["history"]) == 1 + (1 if not counts else 11)
            counts.append(len(queries))
        assert counts[0] == counts[1], counts

    # --- API ----------------------------------------------------------------------------------
    def test_api_list_is_scoped_and_paginated(self, users, api_for):
        for i in range(3):
            self.make(users["diankou"], i + 1)
        self.make(users["datang"], 9)
        api = api_for(users["diankou"])
        body = api.get(self.api_path, {"page_size": 2}).json()
        assert body["count"] == 3 and len(body["results"]) == 2
        too_big = api.get(self.api_path, {"page_size": 201})
        assert too_big.status_code == 422
        assert too_big.json()["fields"] == {"page_size": ["每页条数应在 1 到 200 之间"]}

    def test_api_create_then_stale_update_is_409(self, users, api_for):
        api = api_for(users["diankou"])
        created = api.post(self.api_path, self.api_create_data(), content_type="application/json")
        assert created.status_code == 201, created.content
        pk, version = created.json()["id"], created.json()["version"]
        first = api.patch(
            f"{self.api_path}/{pk}",
            {**self.api_update_data(), "version": version},
            content_type="application/json",
        )
        assert first.status_code == 200 and first.json()["version"] == version + 1
        stale = api.patch(
            f"{self.api_path}/{pk}",
            {self.text_field: "过期的修改", "version": version},
            content_type="application/json",
        )
        assert stale.status_code == 409
        assert stale.json()["code"] == "version_conflict"
        obj = self.model.objects.get(pk=pk)
        assert getattr(obj, self.text_field) == self.api_update_data()[self.text_field]
        assert self.changes(obj).count() == 2

    def test_api_update_outside_scope_is_404_and_changes_nothing(self, users, api_for):
        obj = self.make(users["datang"], 1)
        response = api_for(users["diankou"]).patch(
            f"{self.api_path}/{obj.pk}",
            {**self.api_update_data(), "version": obj.version},
            content_type="application/json",
        )
        assert response.status_code == 404
        obj.refresh_from_db()
        assert obj.version == 1
        assert self.changes(obj).count() == 1

    def test_api_invalid_input_is_422_with_field_messages(self, users, api_for):
        response = api_for(users["diankou"]).post(self.api_path, {}, content_type="application/json")
        assert response.status_code == 422
        body = response.json()
        assert body["code"] == "invalid"
        assert body["fields"][self.text_field] == ["此项为必填项"]
        assert self.model.all_objects.count() == 0
