"""About 200 demo carriers of 诸暨市: parcels (a few 标准地 with their indicators), standard factories in parks,
office buildings with floors, parks, land to redevelop — at plausible positions around each town's schematic
centre inside the county box; the schematic town boundaries (示意图、非测绘成果); the lead 需用地80亩 matched
and a reservation in progress. Written through the carriers' services; idempotent."""

import random
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from shapely.geometry import MultiPoint, box, mapping
from shapely.ops import voronoi_diagram

from zhaoshang.accounts.models import OrgUnit, User
from zhaoshang.carriers import geometry, services
from zhaoshang.carriers.models import Carrier
from zhaoshang.carriers.services import config as carrier_config
from zhaoshang.carriers.services import matching
from zhaoshang.leads.models import Lead

from . import accounts

# Schematic centres (lat, lng) of the towns and the zone: a plain layout inside the demo box, not survey data.
CENTRES = {
    "暨阳街道": (29.715, 120.236),
    "浣东街道": (29.735, 120.262),
    "陶朱街道": (29.745, 120.215),
    "暨南街道": (29.690, 120.225),
    "大唐街道": (29.640, 120.150),
    "店口镇": (29.880, 120.300),
    "枫桥镇": (29.630, 120.420),
    "山下湖镇": (29.800, 120.330),
    "次坞镇": (29.905, 120.180),
    "应店街镇": (29.790, 120.060),
    "安华镇": (29.565, 120.075),
    "牌头镇": (29.590, 120.160),
    "同山镇": (29.555, 120.250),
    "璜山镇": (29.545, 120.360),
    "陈宅镇": (29.585, 120.460),
    "岭北镇": (29.530, 120.450),
    "东白湖镇": (29.615, 120.330),
    "五泄镇": (29.720, 120.080),
    "草塔镇": (29.650, 120.250),
    "马剑镇": (29.850, 120.020),
    "赵家镇": (29.690, 120.400),
    "姚江镇": (29.800, 120.210),
    "东和乡": (29.755, 120.430),
    "诸暨经济开发区": (29.760, 120.280),
}
PARKS = [
    ("诸暨经济开发区智能装备产业园", "诸暨经济开发区", "C34,C35,C38"),
    ("店口铜材及管业产业园", "店口镇", "C32,C33"),
    ("大唐袜艺小镇", "大唐街道", "C17,C18"),
    ("山下湖珍珠产业园", "山下湖镇", "C24,C29"),
    ("牌头高端制造产业园", "牌头镇", "C34,C36"),
]
BUILDINGS = [("诸暨科创大厦", "暨阳街道"), ("浣东总部大楼", "浣东街道"), ("陶朱数字经济楼宇", "陶朱街道")]
STANDARD_VALUES = {"investment": 400, "tax": 30, "output": 500, "plot_ratio": Decimal("1.5"), "energy": Decimal("0.35")}


def _jitter(rng, centre, spread=0.018):
    lat, lng = centre
    west, south, east, north = geometry.county_bbox()
    lat = min(north - 0.01, max(south + 0.01, lat + rng.uniform(-spread, spread)))
    lng = min(east - 0.01, max(west + 0.01, lng + rng.uniform(-spread, spread)))
    return Decimal(f"{lat:.6f}"), Decimal(f"{lng:.6f}")


def _square(lat, lng, mu):
    """A square parcel boundary of about ``mu`` 亩 around the point (demo drawing)."""
    side_m = (float(mu) * 666.67) ** 0.5
    dlat, dlng = side_m / 2 / 111_000, side_m / 2 / (111_000 * 0.868)
    lat, lng = float(lat), float(lng)
    ring = [[lng - dlng, lat - dlat], [lng + dlng, lat - dlat], [lng + dlng, lat + dlat], [lng - dlng, lat + dlat]]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


def town_boundaries() -> dict:
    """Schematic town boundaries: the Voronoi cells of the centres, clipped to the county box."""
    county = box(*geometry.county_bbox()).buffer(-0.002)
    names = [n for n in CENTRES if n != "诸暨经济开发区"]
    points = MultiPoint([(CENTRES[n][1], CENTRES[n][0]) for n in names])
    cells = voronoi_diagram(points, envelope=county)
    features = []
    for name in names:
        lat, lng = CENTRES[name]
        cell = next(c for c in cells.geoms if c.contains(MultiPoint([(lng, lat)]).geoms[0]))
        features.append(
            {"type": "Feature", "properties": {"name": name}, "geometry": mapping(cell.intersection(county))}
        )
    return {"type": "FeatureCollection", "features": features}


def _actor(units, center, code):
    actor = User.objects.get(pk=center.pk)
    actor.org_unit = units[code]
    return actor


def _carrier_plans(rng, towns):  # size: one table of the demo's mix
    plans = []
    for name, town, focus in PARKS:
        plans.append(
            {
                "kind": "park",
                "name": name,
                "town": town,
                "industry_focus": focus,
                "area_mu": rng.choice([1200, 2500, 3800]),
            }
        )
    for name, town in BUILDINGS:
        plans.append(
            {
                "kind": "building",
                "name": name,
                "town": town,
                "floors": 24,
                "floor_area_m2": 42000,
                "rent_yuan_m2_month": Decimal("38"),
            }
        )
    for town in towns:
        for i in range(rng.randint(4, 6)):
            mu = rng.choice([15, 25, 38, 52, 65, 80, 95, 120, 160])
            plans.append(
                {
                    "kind": "parcel",
                    "name": f"{town}{rng.choice(['工业', '产业', '智造'])}地块{i + 1:02d}",
                    "town": town,
                    "area_mu": Decimal(mu),
                    "price_wan_per_mu": Decimal(rng.choice([22, 26, 30, 35, 42])),
                    "power_kva": rng.choice([800, 1250, 2000, 3150, 5000]),
                    "land_use": rng.choice(["100101", "100102"]),
                    "plot_ratio_min": Decimal("1.2"),
                    "plot_ratio_max": Decimal("2.5"),
                    "available_from": timezone.localdate() + timedelta(days=rng.choice([0, 0, 30, 90, 240])),
                    "has_sewage": True,
                    "has_gas": rng.random() < 0.7,
                }
            )
        for i in range(rng.randint(1, 3)):
            plans.append(
                {
                    "kind": "factory",
                    "name": f"{town}标准厂房{i + 1}号楼",
                    "town": town,
                    "floor_area_m2": Decimal(rng.choice([2400, 3600, 5200, 8000])),
                    "floors": rng.choice([1, 3, 4]),
                    "clear_height_m": Decimal(rng.choice([6, 8, 9, 12])),
                    "floor_load_kn": Decimal(rng.choice([8, 10, 15])),
                    "rent_yuan_m2_month": Decimal(rng.choice([12, 15, 18])),
                    "power_kva": rng.choice([400, 630, 1250]),
                }
            )
        if rng.random() < 0.6:
            plans.append(
                {
                    "kind": "redevelop",
                    "name": f"{town}低效用地{rng.randint(1, 9)}号",
                    "town": town,
                    "area_mu": Decimal(rng.choice([12, 20, 35, 48])),
                    "note": "原企业停产，列入低效用地再开发计划",
                }
            )
    return plans


@transaction.atomic
def seed_carriers(seed: int = 13) -> int:  # size: one pass over the demo's plan
    region = OrgUnit.objects.get(code=accounts.REGION[1])
    if Carrier.all_objects.filter(region=region).exists():
        return 0
    rng = random.Random(seed)
    units = {u.code: u for u in OrgUnit.objects.filter(region=region)}
    by_name = {u.name: u for u in units.values()}
    center = User.objects.get(username="center")
    sysadmin = User.objects.get(username="sysadmin")
    carrier_config.ensure_indicators(region.pk)
    carrier_config.carrier_settings_update(
        actor=sysadmin, data={"land_authority": units["zhuji-zrzy"]}, town_boundaries=town_boundaries(), schematic=True
    )
    towns = [name for name, _ in accounts.TOWNS] + ["诸暨经济开发区"]
    parents = {}
    created = 0
    for plan in _carrier_plans(rng, towns):
        town = by_name[plan.pop("town")]
        actor = _actor(units, center, town.code)
        lat, lng = _jitter(rng, CENTRES[town.name])
        data = {**plan, "town": town, "latitude": lat, "longitude": lng}
        data["contact_name"] = rng.choice(["王工", "李主任", "张科长"])
        data["contact_phone"] = f"0575-8{rng.randint(1000000, 9999999)}"
        park = next((p for name, p in parents.items() if name[1] == town.name and p.kind == "park"), None)
        if plan["kind"] in ("parcel", "factory") and park is not None and rng.random() < 0.5:
            data["parent"] = park
        if plan["kind"] == "parcel" and rng.random() < 0.5:
            data["boundary"] = _square(lat, lng, plan["area_mu"] * Decimal(rng.choice(["1", "1", "1.08"])))
        carrier = services.carrier_create(actor=actor, data=data)
        created += 1
        if plan["kind"] in ("park", "building"):
            parents[(carrier.name, town.name)] = carrier
            if plan["kind"] == "building":
                for floor in (6, 7, 8, 12):
                    services.carrier_create(
                        actor=actor,
                        data={
                            "kind": "building",
                            "name": f"{carrier.name}{floor}层",
                            "parent": carrier,
                            "town": data["town"],
                            "latitude": lat,
                            "longitude": lng,
                            "floor_area_m2": Decimal(1600),
                            "rent_yuan_m2_month": Decimal("38"),
                        },
                    )
                    created += 1
    created += _standard_land(rng, region, units, center)
    _reservation_in_progress(region, units, center)
    return created


def _standard_land(rng, region, units, center) -> int:
    """A few parcels of the zone offered as 标准地, with the county's indicators."""
    parcels = list(Carrier.objects.filter(region=region, kind="parcel", area_mu__gte=50).order_by("id")[:8])
    for carrier in parcels:
        actor = _actor(units, center, carrier.org_unit.code)
        carrier = services.carrier_update(
            actor=actor, carrier=carrier, data={"is_standard_land": True}, version=carrier.version
        )
        values = {k: Decimal(v) * Decimal(rng.choice(["1", "1.1", "1.2"])) for k, v in STANDARD_VALUES.items()}
        services.indicator_values_set(actor=actor, carrier=carrier, values=values)
    return 0


def _reservation_in_progress(region, units, center) -> None:
    """The lead 需用地80亩 matched (attached as its 选址建议) and its best candidate reserved, pending approval."""
    lead = (
        Lead.objects.filter(region=region, land_mu=80, status__in=["following", "assessed", "assigned"])
        .select_related("org_unit")
        .order_by("id")
        .first()
    )
    if lead is None:
        return
    actor = _actor(units, center, lead.org_unit.code)
    run = matching.match_run(actor=actor, lead_id=lead.pk)
    matching.match_attach(actor=actor, run_id=run.pk)
    best = run.results["candidates"][0]["carrier"]["id"] if run.results["candidates"] else None
    if best is not None:
        carrier = Carrier.objects.get(pk=best)
        services.reservation_request(
            actor=actor,
            carrier=carrier,
            lead_id=lead.pk,
            until=timezone.localdate() + timedelta(days=60),
            note="意向地块，待镇街审批",
        )
