"""Shared test cases for business models (STYLE.md habit 6), as NetBox-style mixins.

A model's test class combines the mixins that apply to it and supplies data and its app's services::

    class TestEnterprise(ListPageContract, DetailPageContract, EditPagesContract, ApiContract,
                         ScopeContract, CreateContract, UpdateContract, DeleteRestoreContract):
        # (that is ``BusinessModelContract``; without restore, ``PagesAndServicesContract``)
        model = Enterprise
        url_namespace = "enterprises"
        api_path = "/api/v1/enterprises"
        list_queries = 15                  # pinned; must not grow with the page size

        def create_data(self): return {"name": "海亮集团有限公司", ...}   # model fields
        def form_data(self): return {"name": "...", ...}                 # POST data of the add page
        def api_create_data(self): return {"name": "..."}
        def api_update_data(self): return {"name": "..."}

        def service_create(self, actor, data):
            return services.enterprise_create(actor=actor, data=data, tags=[])
        ...                                # service_update / service_delete / service_restore

``BusinessModelContract`` combines them all. Every write the contract makes goes through the
``service_*`` hooks, so the tests exercise the app's own services (search index, events, checks);
the defaults are ``core.services.object_*``, for a model whose app writes with those directly.

Every test states exactly what it expects, including that a refused action changed nothing.
"""

import difflib
import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, Resolver404, resolve, reverse

from zhaoshang.core import services
from zhaoshang.core.errors import NotFound, PermissionDenied, VersionConflict
from zhaoshang.core.models import ObjectChange

ADMIN_ROLES = ("sysadmin", "secadmin", "auditor")


class ContractBase:
    """Data, service hooks and helpers the mixins share; it holds no tests itself."""

    model = None
    url_namespace = ""
    api_path = ""
    list_queries: int | None = None
    # The text field whose change the update tests make visible.
    text_field = "name"
    # What the model's create service raises for an actor without the right to write (an expert).
    refused_create_error: type[Exception] = PermissionDenied

    @pytest.fixture(autouse=True)
    def _contract_clients(self, client_for, api_for):
        self.client_for, self.api_for = client_for, api_for

    # --- data supplied by the subclass --------------------------------------------------------
    def create_data(self) -> dict:
        raise NotImplementedError

    def parent_data(self, owner) -> dict:
        """Model fields that place a new record under a parent of ``owner``'s scope (for records
        that belong to another, e.g. a contact to an enterprise); none by default."""
        return {}

    def form_data(self) -> dict:
        raise NotImplementedError

    def api_create_data(self) -> dict:
        raise NotImplementedError

    def api_update_data(self) -> dict:
        raise NotImplementedError

    # --- the app's services (defaults: the generic core writes) -------------------------------
    def service_create(self, actor, data: dict):
        return services.object_create(model=self.model, actor=actor, data=data)

    def service_update(self, actor, obj, data: dict, version: int):
        return services.object_update(obj=obj, actor=actor, data=data, version=version)

    def service_delete(self, actor, obj, version: int | None = None):
        return services.object_delete(obj=obj, actor=actor, version=version)

    def service_restore(self, actor, pk: int):
        return services.object_restore(model=self.model, actor=actor, pk=pk)

    # --- helpers ------------------------------------------------------------------------------
    def make(self, actor, n: int = 0, owner=None, **overrides):
        """A record created by ``actor`` through the model's create service (its parent, if any,
        created by ``owner``, default ``actor``)."""
        data = {**self.create_data(), **self.parent_data(owner or actor), **overrides}
        if n:
            data[self.text_field] = f"{data[self.text_field]}{n}"
        return self.service_create(actor, data)

    def url(self, suffix: str, *args) -> str:
        return reverse(f"{self.url_namespace}:{self.model._meta.model_name}_{suffix}", args=args)

    def list_url(self) -> str:
        return self.url("list")

    def listed_ids(self, response) -> list[int]:
        """Ids of the records a list page shows (rows are objects or (object, values) pairs)."""
        return [(row[0] if isinstance(row, tuple) else row).pk for row in response.context["rows"]]

    def api_ids(self, user) -> set[int] | None:
        """Ids the API's list gives ``user`` (None: the model has no API list)."""
        if not self.api_path:
            return None
        response = self.api_for(user).get(self.api_path, {"page_size": 200})
        assert response.status_code in (200, 403, 404), response.content
        if response.status_code in (403, 404):  # refused, as on the page (404: the expert-only guard)
            return set()
        return {row["id"] for row in response.json()["results"]}

    def visible_ids(self, user, among) -> set[int]:
        """The records ``user`` can see, read the way users read them: the list page (a refused
        page shows nothing), which must agree with the API's list. ``among``: the records made."""
        response = self.client_for(user).get(self.list_url())
        assert response.status_code in (200, 403, 404), response.status_code  # 404: the expert-only guard
        shown = set(self.listed_ids(response)) if response.status_code == 200 else set()
        api = self.api_ids(user)
        assert api is None or api == shown, (api, shown)
        return shown

    def changes(self, obj=None):
        rows = ObjectChange.objects.filter(content_type=ContentType.objects.get_for_model(self.model))
        return rows.filter(object_id=obj.pk) if obj is not None else rows

    def actions(self, obj) -> list[str]:
        return list(self.changes(obj).order_by("id").values_list("action", flat=True))

    def state(self) -> tuple:
        """Everything a refused write must leave as it was: every record's version, deletion and
        text, and the model's change log."""
        rows = self.model.all_objects.order_by("pk").values_list("pk", "version", "deleted_at", self.text_field)
        return list(rows), list(self.changes().values_list("id", flat=True))

    def colleague(self, users):
        """A second officer in the 店口镇 officer's unit (the 中心 officer, moved there)."""
        users["center"].org_unit = users["diankou"].org_unit
        users["center"].save()
        return users["center"]


# --- reading ----------------------------------------------------------------------------------------


class ScopeContract(ContractBase):
    """Who sees which records (STYLE.md habit 4), read through the model's pages or API."""

    def export_url(self) -> str | None:
        """The model's xlsx export (``<namespace>:<model>_export``), None when it has none."""
        try:
            return self.url("export")
        except NoReverseMatch:
            return None

    def read_paths(self, own, other) -> dict[str, tuple[str, dict]]:
        """Every way a user reads records of the model: the list, its search, the detail page, the export,
        the API's list and detail (those the model has). Name -> (address, query)."""
        paths = {}
        for name, make_url, query in (
            ("list", self.list_url, {}),
            ("search", self.list_url, {"q": getattr(other, self.text_field)}),
            ("detail", lambda: self.url("detail", other.pk), {}),
            ("export", self.export_url, {}),
        ):
            try:
                address = make_url()
            except (NoReverseMatch, NotImplementedError):
                continue
            if address:
                paths[name] = (address, query)
        if self.api_path:
            paths["api list"] = (self.api_path, {"page_size": 200})
            detail = f"{self.api_path}/{other.pk}"
            try:
                resolve(detail)
                paths["api detail"] = (detail, {})
            except Resolver404:
                pass  # the API has no detail of the model
        return paths

    def _read(self, user, name: str, address: str, query: dict):
        client = self.api_for if name.startswith("api") else self.client_for
        return client(user).get(address, query)

    def _shown(self, name: str, response, record) -> bool:
        """Whether ``record`` is on the page read (ids for lists, since a search box echoes its query)."""
        if response.status_code != 200:
            return False
        if name in ("list", "search"):
            return record.pk in self.listed_ids(response)
        if name == "api list":
            return record.pk in {row["id"] for row in response.json()["results"]}
        if name == "api detail":
            return response.json().get("id") == record.pk
        return str(getattr(record, self.text_field)) in _readable(response)

    def test_other_towns_record_never_appears_on_any_read_path(self, users):
        """SECURITY.md item 6: a 大唐 record is on no read path of the 店口 officer (a refusal and an answer
        without it both pass), and is on each of them for 大唐 itself (so that the check can fail)."""
        own = self.make(users["diankou"], 1)
        other = self.make(users["datang"], 2)
        self.assert_never_read(users["diankou"], own, other, owner=users["datang"])

    def assert_never_read(self, reader, own, other, *, owner) -> None:
        """``other`` is on no read path of ``reader`` and on every one of ``owner``'s."""
        assert str(getattr(other, self.text_field)) not in str(getattr(own, self.text_field))
        paths = self.read_paths(own, other)
        for name, (address, query) in paths.items():
            response = self._read(reader, name, address, query)
            assert response.status_code in (200, 403, 404), (name, response.status_code)
            assert not self._shown(name, response, other), name
            if name in ("detail", "api detail"):
                assert response.status_code == 404, name
            elif name != "search":
                assert str(getattr(other, self.text_field)) not in _readable(response), name
        missing = [
            name
            for name, (address, query) in paths.items()
            if not self._shown(name, self._read(owner, name, address, query), other)
        ]
        assert missing == [], f"the record's own unit does not see it on {missing}"


class ListPageContract(ContractBase):
    """The model's list page: login, refused roles, the rows of the user's scope, pinned queries."""

    def test_list_requires_login(self, users):
        response = Client().get(self.list_url())
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))

    def test_list_refuses_admin_roles(self, users):
        obj = self.make(users["diankou"], 1)
        for role in ADMIN_ROLES:
            response = self.client_for(users[role]).get(self.list_url())
            assert response.status_code == 403, role
            assert getattr(obj, self.text_field) not in response.content.decode()

    def test_list_shows_only_own_scope(self, users):
        own = self.make(users["diankou"], 1)
        other = self.make(users["datang"], 2)
        response = self.client_for(users["diankou"]).get(self.list_url())
        assert response.status_code == 200
        assert self.listed_ids(response) == [own.pk]
        assert getattr(other, self.text_field) not in response.content.decode()

    def test_list_query_count_is_pinned_and_independent_of_rows(self, users):
        client = self.client_for(users["diankou"])
        self.make(users["diankou"], 1)
        client.get(self.list_url())  # warm caches (content types, session)
        counts = []
        for n in (2, 20):
            for i in range(len(counts) * 100 + 2, len(counts) * 100 + n + 1):
                self.make(users["diankou"], i)
            with CaptureQueriesContext(connection) as queries:
                assert client.get(self.list_url()).status_code == 200
            counts.append(len(queries))
        assert counts[0] == counts[1], counts
        if self.list_queries is not None:
            assert counts[0] == self.list_queries, counts


class DetailPageContract(ContractBase):
    """The model's detail page: 404 outside scope, the record's history, flat query count."""

    def test_detail_shows_record_and_its_history(self, users):
        obj = self.make(users["diankou"], 1)
        obj = self.service_update(users["diankou"], obj, {self.text_field: "详情页修改"}, obj.version)
        response = self.client_for(users["diankou"]).get(self.url("detail", obj.pk))
        assert response.status_code == 200
        assert "详情页修改" in response.content.decode()
        history = [change.pk for change in response.context["history"]]
        assert history == list(self.changes(obj).order_by("-id").values_list("id", flat=True))
        assert len(history) == 2

    def test_detail_outside_scope_is_404(self, users):
        other = self.make(users["datang"], 1)
        assert self.client_for(users["diankou"]).get(self.url("detail", other.pk)).status_code == 404
        assert self.client_for(users["datang"]).get(self.url("detail", other.pk)).status_code == 200

    def test_detail_query_count_does_not_grow_with_history(self, users):
        client = self.client_for(users["diankou"])
        obj = self.make(users["diankou"], 1)
        client.get(self.url("detail", obj.pk))
        counts = []
        for edits in (1, 10):
            for i in range(edits):
                data = {self.text_field: f"修改{len(counts)}-{i}"}
                obj = self.service_update(users["diankou"], obj, data, obj.version)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(self.url("detail", obj.pk))
                assert response.status_code == 200
                assert len(response.context["history"]) == 1 + (1 if not counts else 11)
            counts.append([q["sql"] for q in queries.captured_queries])
        assert len(counts[0]) == len(counts[1]), "\n".join(difflib.unified_diff(*counts, lineterm=""))


# --- writing through the pages ------------------------------------------------------------------------


class EditPagesContract(ContractBase):
    """The add, edit and delete pages."""

    def test_create_page_writes_record_and_one_change_row(self, users):
        response = self.client_for(users["diankou"]).post(self.url("add"), self.form_data())
        assert response.status_code == 302, getattr(response, "context", {}) and response.context["form"].errors
        obj = self.model.objects.get()
        assert response["Location"] == self.url("detail", obj.pk)
        assert obj.org_unit_id == users["diankou"].org_unit_id
        assert obj.region_id == users["diankou"].org_unit.region_id
        assert obj.created_by == users["diankou"]
        change = self.changes(obj).get()
        assert change.action == ObjectChange.Action.CREATE
        assert change.actor == users["diankou"]
        assert change.after[self.text_field] == getattr(obj, self.text_field)

    def test_create_page_refused_without_permission_changes_nothing(self, users):
        # a role without the right to write: 403; an expert, confined to his assigned reviews: 404
        response = self.client_for(users["auditor"]).post(self.url("add"), self.form_data())
        assert response.status_code == 403
        response = self.client_for(users["expert1"]).post(self.url("add"), self.form_data())
        assert response.status_code == 404
        assert self.state() == ([], [])

    def test_edit_page_refuses_stale_version_and_keeps_first_save(self, users):
        obj = self.make(users["diankou"], 1)
        first, second = self.client_for(users["diankou"]), self.client_for(self.colleague(users))
        data = {**self.form_data(), "version": obj.version}
        ok = first.post(self.url("edit", obj.pk), {**data, self.text_field: "第一次修改"})
        assert ok.status_code == 302
        before = self.state()
        stale = second.post(self.url("edit", obj.pk), {**data, self.text_field: "第二次修改"})
        assert stale.status_code == 200
        assert "已被diankou修改" in stale.content.decode()
        assert self.state() == before
        obj.refresh_from_db()
        assert getattr(obj, self.text_field) == "第一次修改"
        assert obj.version == 2

    def test_edit_page_outside_scope_is_404_and_changes_nothing(self, users):
        obj = self.make(users["datang"], 1)
        client = self.client_for(users["diankou"])
        before = self.state()
        assert client.get(self.url("edit", obj.pk)).status_code == 404
        data = {**self.form_data(), "version": obj.version, self.text_field: "越权修改"}
        assert client.post(self.url("edit", obj.pk), data).status_code == 404
        assert self.state() == before

    def test_delete_page_is_soft(self, users):
        obj = self.make(users["diankou"], 1)
        response = self.client_for(users["diankou"]).post(self.url("delete", obj.pk), {"version": obj.version})
        assert response.status_code == 302
        assert not self.model.objects.filter(pk=obj.pk).exists()
        assert self.model.all_objects.get(pk=obj.pk).deleted_by == users["diankou"]
        assert self.actions(obj) == ["create", "delete"]

    def test_delete_page_outside_scope_is_404_and_changes_nothing(self, users):
        obj = self.make(users["datang"], 1)
        before = self.state()
        response = self.client_for(users["diankou"]).post(self.url("delete", obj.pk), {"version": obj.version})
        assert response.status_code == 404
        assert self.state() == before


# --- writing through the services ---------------------------------------------------------------------


class CreateContract(ContractBase):
    """The model's create service: placement, one change row, refusal without the right to write."""

    def test_create_service_writes_one_change_row(self, users):
        obj = self.make(users["diankou"], 1)
        assert obj.org_unit_id == users["diankou"].org_unit_id
        assert obj.region_id == users["diankou"].org_unit.region_id
        assert obj.created_by == users["diankou"] and obj.version == 1
        change = self.changes(obj).get()
        assert change.action == ObjectChange.Action.CREATE
        assert change.actor == users["diankou"]
        assert change.before is None
        assert change.after[self.text_field] == getattr(obj, self.text_field)

    def test_create_service_refused_without_permission_changes_nothing(self, users):
        with pytest.raises(self.refused_create_error):
            self.make(users["expert1"], 1, owner=users["diankou"])
        assert self.state() == ([], [])


class UpdateContract(ContractBase):
    """The model's update service: one change row naming the change, optimistic locking, scope."""

    def test_update_service_writes_one_change_row_with_before_and_after(self, users):
        obj = self.make(users["diankou"], 1)
        old = getattr(obj, self.text_field)
        updated = self.service_update(users["diankou"], obj, {self.text_field: "修改后"}, obj.version)
        assert updated.version == 2 and updated.updated_by == users["diankou"]
        assert getattr(self.model.objects.get(pk=obj.pk), self.text_field) == "修改后"
        assert self.actions(obj) == ["create", "update"]
        change = self.changes(obj).latest("id")
        assert (change.before[self.text_field], change.after[self.text_field]) == (old, "修改后")

    def test_update_service_refuses_stale_version_and_changes_nothing(self, users):
        obj = self.make(users["diankou"], 1)
        self.service_update(users["diankou"], obj, {self.text_field: "第一次修改"}, obj.version)
        before = self.state()
        with pytest.raises(VersionConflict) as conflict:
            self.service_update(self.colleague(users), obj, {self.text_field: "第二次修改"}, obj.version)
        assert conflict.value.message.startswith("该记录已被diankou修改")
        assert conflict.value.extra["current_version"] == 2
        assert self.state() == before

    def test_update_service_outside_scope_is_not_found_and_changes_nothing(self, users):
        obj = self.make(users["datang"], 1)
        before = self.state()
        with pytest.raises(NotFound):
            self.service_update(users["diankou"], obj, {self.text_field: "越权修改"}, obj.version)
        assert self.state() == before


class DeleteContract(ContractBase):
    """The model's delete service: soft, change-logged, versioned, scoped."""

    def test_delete_service_is_soft(self, users):
        obj = self.make(users["diankou"], 1)
        self.service_delete(users["diankou"], obj, obj.version)
        assert not self.model.objects.filter(pk=obj.pk).exists()
        gone = self.model.all_objects.get(pk=obj.pk)
        assert gone.deleted_by == users["diankou"] and gone.deleted_at is not None and gone.version == 2
        assert self.actions(obj) == ["create", "delete"]

    def test_delete_service_refuses_stale_version_and_changes_nothing(self, users):
        obj = self.make(users["diankou"], 1)
        self.service_update(users["diankou"], obj, {self.text_field: "删除前修改"}, obj.version)
        before = self.state()
        with pytest.raises(VersionConflict):
            self.service_delete(self.colleague(users), obj, obj.version)
        assert self.state() == before

    def test_delete_service_outside_scope_is_not_found_and_changes_nothing(self, users):
        obj = self.make(users["datang"], 1)
        before = self.state()
        with pytest.raises(NotFound):
            self.service_delete(users["diankou"], obj, obj.version)
        assert self.state() == before


class DeleteRestoreContract(DeleteContract):
    """Deleted records come back through the model's restore service."""

    def test_restore_service_brings_record_back(self, users):
        obj = self.make(users["diankou"], 1)
        self.service_delete(users["diankou"], obj, obj.version)
        restored = self.service_restore(users["diankou"], obj.pk)
        assert restored.version == 3 and restored.deleted_at is None and restored.deleted_by is None
        assert self.model.objects.filter(pk=obj.pk).exists()
        assert self.actions(obj) == ["create", "delete", "restore"]

    def test_restore_service_outside_scope_is_not_found_and_changes_nothing(self, users):
        obj = self.make(users["datang"], 1)
        self.service_delete(users["datang"], obj, obj.version)
        before = self.state()
        with pytest.raises(NotFound):
            self.service_restore(users["diankou"], obj.pk)
        assert self.state() == before


# --- API ----------------------------------------------------------------------------------------------


class ApiListContract(ContractBase):
    """The API's list of the model: token required, scoped, paginated within bounds."""

    def test_api_list_requires_token(self, users):
        response = Client().get(self.api_path)
        assert response.status_code == 401
        assert response.json()["code"] == "unauthenticated"

    def test_api_list_is_scoped_and_paginated(self, users):
        for i in range(3):
            self.make(users["diankou"], i + 1)
        self.make(users["datang"], 9)
        api = self.api_for(users["diankou"])
        body = api.get(self.api_path, {"page_size": 2}).json()
        assert body["count"] == 3 and len(body["results"]) == 2
        too_big = api.get(self.api_path, {"page_size": 201})
        assert too_big.status_code == 422
        assert too_big.json()["fields"] == {"page_size": ["每页条数应在 1 到 200 之间"]}

    def test_api_list_gives_admin_roles_nothing(self, users):
        self.make(users["diankou"], 1)
        for role in ADMIN_ROLES:
            response = self.api_for(users[role]).get(self.api_path)
            # refused like the list page (api/capabilities.py), with the error shape and no rows
            assert response.status_code == 403, role
            assert response.json()["code"] == "forbidden" and "results" not in response.json()


class ApiContract(ApiListContract):
    """The API's detail, create and update of the model."""

    def test_api_detail_outside_scope_is_404(self, users):
        other = self.make(users["datang"], 1)
        response = self.api_for(users["diankou"]).get(f"{self.api_path}/{other.pk}")
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
        assert self.api_for(users["datang"]).get(f"{self.api_path}/{other.pk}").json()["id"] == other.pk

    def test_api_create_refused_without_permission_changes_nothing(self, users):
        from zhaoshang.core.middleware import assigned_only_allows

        for user in (users["auditor"], users["expert1"]):
            response = self.api_for(user).post(self.api_path, self.api_create_data(), content_type="application/json")
            # an expert outside the endpoints of his assigned reviews is told nothing exists (404)
            confined = user.role == "expert" and not assigned_only_allows(self.api_path, None)
            assert response.status_code == (404 if confined else 403), user
            assert response.json()["code"] == ("not_found" if confined else "forbidden")
        assert self.state() == ([], [])

    def test_api_create_then_stale_update_is_409(self, users):
        api = self.api_for(users["diankou"])
        created = api.post(self.api_path, self.api_create_data(), content_type="application/json")
        assert created.status_code == 201, created.content
        pk, version = created.json()["id"], created.json()["version"]
        first = api.patch(
            f"{self.api_path}/{pk}",
            {**self.api_update_data(), "version": version},
            content_type="application/json",
        )
        assert first.status_code == 200 and first.json()["version"] == version + 1
        before = self.state()
        stale = api.patch(
            f"{self.api_path}/{pk}",
            {self.text_field: "过期的修改", "version": version},
            content_type="application/json",
        )
        assert stale.status_code == 409
        assert stale.json()["code"] == "version_conflict"
        assert self.state() == before
        obj = self.model.objects.get(pk=pk)
        assert getattr(obj, self.text_field) == self.api_update_data()[self.text_field]
        assert self.changes(obj).count() == 2

    def test_api_update_outside_scope_is_404_and_changes_nothing(self, users):
        obj = self.make(users["datang"], 1)
        before = self.state()
        response = self.api_for(users["diankou"]).patch(
            f"{self.api_path}/{obj.pk}",
            {**self.api_update_data(), "version": obj.version},
            content_type="application/json",
        )
        assert response.status_code == 404
        assert self.state() == before

    def test_api_invalid_input_is_422_with_field_messages(self, users):
        response = self.api_for(users["diankou"]).post(self.api_path, {}, content_type="application/json")
        assert response.status_code == 422
        body = response.json()
        assert body["code"] == "invalid"
        assert body["fields"][self.text_field] == ["此项为必填项"]
        assert self.state() == ([], [])


class PagesAndServicesContract(
    ListPageContract,
    DetailPageContract,
    EditPagesContract,
    ApiContract,
    ScopeContract,
    CreateContract,
    UpdateContract,
    DeleteContract,
):
    """A model with its own pages, API and create/update/delete services, whose deletions are final
    for users (no restore)."""


class BusinessModelContract(PagesAndServicesContract, DeleteRestoreContract):
    """Every mixin: a model with its own pages, API and create/update/delete/restore services."""


def _readable(response) -> str:
    """A response's text; an xlsx download's cell values (read once: a download streams)."""
    if not hasattr(response, "_readable_text"):
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
            from python_calamine import CalamineWorkbook  # lazy: only exports need it

            book = CalamineWorkbook.from_filelike(io.BytesIO(body))
            sheets = [book.get_sheet_by_name(name).to_python() for name in book.sheet_names]
            response._readable_text = "\n".join(str(cell) for rows in sheets for row in rows for cell in row)
        else:
            response._readable_text = body.decode(errors="replace")
    return response._readable_text
