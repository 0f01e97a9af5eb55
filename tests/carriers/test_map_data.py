"""The map's data is stored text built when a carrier is saved (``Carrier.map_feature``): every write path must
rebuild it, and the units' names are read at request time."""

import json
from decimal import Decimal

from zhaoshang.accounts.models import OrgUnit
from zhaoshang.carriers import selectors, services
from zhaoshang.carriers.models import Carrier

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[120.3, 29.88], [120.301, 29.88], [120.301, 29.881], [120.3, 29.881], [120.3, 29.88]]],
}


def features(user, **filters) -> dict:
    data = json.loads(selectors.map_geojson(user=user, filters=filters))
    assert data["type"] == "FeatureCollection"
    return {f["id"]: f for f in data["features"]}


def test_feature_holds_the_card_and_follows_every_write(users, county, make_carrier):
    carrier = make_carrier(
        town=county.diankou, power_kva=2000, price_wan_per_mu=Decimal("42.50"), is_standard_land=True
    )
    no_position = make_carrier(name="无坐标地块", latitude=None, longitude=None)
    leader = users["leader"]
    assert features(leader) == {
        carrier.pk: {
            "type": "Feature",
            "id": carrier.pk,
            "geometry": {"type": "Point", "coordinates": [120.3, 29.88]},
            "properties": {
                "id": carrier.pk,
                "name": "店口镇工业地块",
                "kind": "parcel",
                "kind_label": "工业用地",
                "status": "available",
                "status_label": "可供",
                "area_mu": 80,
                "power_kva": 2000,
                "price": 42.5,
                "rent": None,
                "floor_area_m2": None,
                "standard": True,
                "town": "店口镇",
                "owner": "店口镇",
                "lat": 29.88,
                "lng": 120.3,
            },
        }
    }
    assert no_position.map_feature == ""

    carrier = services.carrier_update(
        actor=users["diankou"],
        carrier=carrier,
        data={"name": "店口镇“智造”地块", "area_mu": Decimal("52.5")},
        version=carrier.version,
    )
    props = features(leader)[carrier.pk]["properties"]
    assert (props["name"], props["area_mu"]) == ("店口镇“智造”地块", 52.5)

    carrier, warning = services.carrier_set_boundary(
        actor=users["diankou"], carrier=carrier, boundary=SQUARE, version=carrier.version
    )
    assert features(leader)[carrier.pk]["geometry"] == SQUARE

    services.carrier_set_status(actor=users["diankou"], carrier=carrier, status=Carrier.Status.RESERVED)
    props = features(leader)[carrier.pk]["properties"]
    assert (props["status"], props["status_label"]) == ("reserved", "已预留")
    assert set(features(leader, status=["available"])) == set()

    OrgUnit.objects.filter(pk=county.diankou.pk).update(name="店口镇（新）")  # a renamed unit shows its new name
    props = features(leader)[carrier.pk]["properties"]
    assert (props["town"], props["owner"]) == ("店口镇（新）", "店口镇（新）")

    carrier.refresh_from_db()
    services.carrier_delete(actor=users["diankou"], carrier=carrier, version=carrier.version)
    assert features(leader) == {}
    services.carrier_restore(actor=users["diankou"], pk=carrier.pk)
    assert features(leader)[carrier.pk]["properties"]["status"] == "reserved"


def test_a_save_naming_some_fields_rebuilds_the_text(users, make_carrier):
    carrier = make_carrier()
    carrier.status = Carrier.Status.TAKEN
    carrier.save(update_fields=["status"])
    stored = Carrier.objects.get(pk=carrier.pk).map_feature
    assert '"status":"taken","status_label":"已出让/已出租"' in stored
    carrier.note = "备注"
    carrier.save(update_fields=["note"])  # a field the map does not show: the text is left as it is
    assert Carrier.objects.get(pk=carrier.pk).map_feature == stored
