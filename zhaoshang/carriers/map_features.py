"""The map's text of one carrier, built when the carrier is saved so that the whole county's GeoJSON is one query
and a join of stored text (selectors.map_geojson), with no per-row formatting at read time.

``feature_body`` is a GeoJSON Feature without its id and without the owner's and town's names (those are
other units' names, read at request time so that a renamed unit shows its new name) and without its closing
braces: ``"geometry":{…},"properties":{"name":…,…,"lng":…``. ``map_geojson`` adds ``{"type":"Feature","id":…``
in front and ``,"id":…,"town":…,"owner":…}}`` behind.
"""

import json
from decimal import Decimal

# The fields the body is built from: a save that names some of them (``update_fields``) rebuilds the body too.
SOURCE_FIELDS = frozenset(
    (
        "name",
        "kind",
        "status",
        "boundary",
        "latitude",
        "longitude",
        "area_mu",
        "power_kva",
        "price_wan_per_mu",
        "rent_yuan_m2_month",
        "floor_area_m2",
        "is_standard_land",
    )
)


def _number(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        raise TypeError("a flag is not a number")
    if isinstance(value, int):
        return str(value)
    return f"{float(Decimal(str(value))):.6f}".rstrip("0").rstrip(".")


def _text(value) -> str:
    return json.dumps(value or "", ensure_ascii=False)


def _label(carrier, field: str) -> str:
    # From the field's choices, so that the migration filling the column (historical model) builds the same text.
    return dict(carrier._meta.get_field(field).flatchoices)[getattr(carrier, field)]


def feature_body(carrier) -> str:
    """The stored map text of ``carrier`` ("" without a position: such a carrier is not on the map)."""
    if carrier.latitude is None or carrier.longitude is None:
        return ""
    lat, lng = _number(carrier.latitude), _number(carrier.longitude)
    if carrier.boundary:
        geometry = json.dumps(carrier.boundary, ensure_ascii=False, separators=(",", ":"))
    else:
        geometry = f'{{"type":"Point","coordinates":[{lng},{lat}]}}'
    kind_label = _label(carrier, "kind")
    status_label = _label(carrier, "status")
    return (
        f'"geometry":{geometry},"properties":{{'
        f'"name":{_text(carrier.name)},"kind":"{carrier.kind}","kind_label":"{kind_label}",'
        f'"status":"{carrier.status}","status_label":"{status_label}",'
        f'"area_mu":{_number(carrier.area_mu)},"power_kva":{_number(carrier.power_kva)},'
        f'"price":{_number(carrier.price_wan_per_mu)},"rent":{_number(carrier.rent_yuan_m2_month)},'
        f'"floor_area_m2":{_number(carrier.floor_area_m2)},'
        f'"standard":{"true" if carrier.is_standard_land else "false"},"lat":{lat},"lng":{lng}'
    )
