"""The shared contract for ``Carrier``, with the 载体库's own data scope: every unit of the county reads every
carrier (prices included), only the owner unit — and the county's land authority — changes it."""

from decimal import Decimal

from tests.base import BusinessModelContract
from tests.factories import make_user
from zhaoshang.carriers import services
from zhaoshang.carriers.models import Carrier


class TestCarrier(BusinessModelContract):
    model = Carrier
    url_namespace = "carriers"
    api_path = "/api/v1/carriers"
    list_queries = 13  # + the 所在镇街 choices of the town filter

    def create_data(self):
        return {
            "kind": Carrier.Kind.PARCEL,
            "name": "店口镇工业地块",
            "area_mu": Decimal("80.00"),
            "latitude": Decimal("29.80"),
            "longitude": Decimal("120.20"),
            "price_wan_per_mu": Decimal("32.00"),
        }

    def form_data(self):
        return {"kind": "parcel", "name": "湄池工业地块", "status": "available", "area_mu": "52", "org_unit": ""}

    def api_create_data(self):
        return {"kind": "parcel", "name": "浣东工业地块", "area_mu": "60", "contact_phone": "13812345678"}

    def api_update_data(self):
        return {"name": "浣东工业地块（二期）"}

    def service_create(self, actor, data):
        return services.carrier_create(actor=actor, data=data)

    def service_update(self, actor, obj, data, version):
        return services.carrier_update(actor=actor, carrier=obj, data=data, version=version)

    def service_delete(self, actor, obj, version=None):
        return services.carrier_delete(actor=actor, carrier=obj, version=version)

    def service_restore(self, actor, pk):
        return services.carrier_restore(actor=actor, pk=pk)

    # --- the 载体库's scope: read by every unit of the county, changed by the owner and the land authority ---

    def test_officer_sees_own_unit_only(self, users):
        """Overridden: every unit of the county reads every carrier, another county's are absent."""
        own = self.make(users["diankou"], 1)
        other = self.make(users["datang"], 2)
        for name in ("diankou", "datang", "office_sh", "zrzy"):
            assert self.visible_ids(users[name], [own, other]) == {own.pk, other.pk}, name
        assert self.visible_ids(users["expert1"], [own, other]) == set()

    def test_other_towns_record_never_appears_on_any_read_path(self, users, other_county):
        """Overridden: every unit of the county reads every carrier, so the record kept out is another
        county's."""
        own = self.make(users["diankou"], 1)
        foreign_officer = make_user("foreign", "officer", other_county.diankou)
        foreign = self.make(foreign_officer, 2)
        self.assert_never_read(users["diankou"], own, foreign, owner=foreign_officer)

    def test_list_shows_only_own_scope(self, users, other_county):
        own = self.make(users["diankou"], 1)
        other = self.make(users["datang"], 2)
        foreign = self.make(make_user("foreign", "officer", other_county.diankou), 3)
        response = self.client_for(users["diankou"]).get(self.list_url())
        assert sorted(self.listed_ids(response)) == sorted([own.pk, other.pk])
        assert foreign.name not in response.content.decode()

    def test_detail_outside_scope_is_404(self, users, other_county):
        other = self.make(users["datang"], 1)
        foreign = self.make(make_user("foreign", "officer", other_county.diankou), 2)
        client = self.client_for(users["diankou"])
        response = client.get(self.url("detail", other.pk))
        assert response.status_code == 200
        assert response.context["can_change"] is False
        assert self.url("edit", other.pk) not in response.content.decode()
        assert client.get(self.url("detail", foreign.pk)).status_code == 404

    def test_api_detail_outside_scope_is_404(self, users, other_county):
        other = self.make(users["datang"], 1)
        foreign = self.make(make_user("foreign", "officer", other_county.diankou), 2)
        api = self.api_for(users["diankou"])
        assert api.get(f"{self.api_path}/{other.pk}").json()["id"] == other.pk
        response = api.get(f"{self.api_path}/{foreign.pk}")
        assert response.status_code == 404 and response.json()["code"] == "not_found"

    def test_api_list_is_scoped_and_paginated(self, users):
        for i in range(3):
            self.make(users["diankou"], i + 1)
        self.make(users["datang"], 9)
        api = self.api_for(users["diankou"])
        body = api.get(self.api_path, {"page_size": 2}).json()
        assert body["count"] == 4 and len(body["results"]) == 2
        too_big = api.get(self.api_path, {"page_size": 201})
        assert too_big.status_code == 422
        assert too_big.json()["fields"] == {"page_size": ["每页条数应在 1 到 200 之间"]}

    def test_land_authority_changes_every_units_carrier(self, users):
        obj = self.make(users["diankou"], 1)
        updated = self.service_update(users["zrzy"], obj, {"name": "自然资源局修正"}, obj.version)
        assert updated.name == "自然资源局修正" and updated.org_unit_id == users["diankou"].org_unit_id
        assert self.actions(obj) == ["create", "update"]

    def test_api_create_masks_phone(self, users):
        api = self.api_for(users["diankou"])
        body = api.post(self.api_path, self.api_create_data(), content_type="application/json").json()
        assert body["contact_phone"] == "138****5678"
        carrier = Carrier.objects.get(pk=body["id"])
        assert carrier.contact_phone_cipher.startswith("sm4gcm2:") and "13812345678" not in carrier.contact_phone_cipher
        assert carrier.reveal_phone() == "13812345678"
