"""要素匹配: from a project's or lead's site needs to ranked carriers, each rejection with its reason and each
score with every factor's contribution; the reverse match of one carrier against the live pipeline.

Rules (version ``RULES_VERSION``; a change of the rules changes the version, so a saved run says which rules
produced it):
- Hard filters: the kind must offer what is asked (land → 工业用地/低效用地, floor area → 厂房/楼宇/低效用地),
  enough area, power, clear height and floor load where the carrier states them, the price within the
  budget, a 标准地 only when the project accepts its commitments. A value the carrier does not state is not
  a rejection (it scores nothing instead).
- Score 0–100: the points of the factors that apply, scaled to 100. 面积 (30: 100–120 % of the need is full
  marks, oversize loses points linearly down to 0 at 300 %), 区位 (20: in the wanted town, else less with
  the distance to it, 0 beyond 30 km), 产业 (20: the park's or carrier's positioning names the industry's
  code prefix; half for the same 门类), 价格 (15: at or below the budget, more the cheaper; without a budget,
  against the candidates' median), 可供时间 (15: available now; 0 at 12 months).
- Ties: the higher area fit first, then the older record (smaller id). Top 10.
"""

import statistics
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Avg, F, Q
from django.utils import timezone

from zhaoshang.core.models import Industry

from .geometry import distance_km
from .models import Carrier

RULES_VERSION = "2026.12-1"
TOP = 10
REJECTED_SHOWN = 50
LAND_KINDS = (Carrier.Kind.PARCEL, Carrier.Kind.REDEVELOP)
FLOOR_KINDS = (Carrier.Kind.FACTORY, Carrier.Kind.BUILDING, Carrier.Kind.REDEVELOP)
KIND_LABELS = dict(Carrier.Kind.choices)
FIELDS = (
    "id",
    "name",
    "kind",
    "org_unit__name",
    "town__name",
    "area_mu",
    "floor_area_m2",
    "power_kva",
    "clear_height_m",
    "floor_load_kn",
    "price_wan_per_mu",
    "is_standard_land",
    "industry_focus",
    "parent__industry_focus",
    "available_from",
    "latitude",
    "longitude",
)


@dataclass
class Needs:
    land_mu: Decimal | None = None
    floor_area_m2: Decimal | None = None
    power_kva: int | None = None
    clear_height_m: Decimal | None = None
    floor_load_kn: Decimal | None = None
    industry: str = ""
    budget_wan_per_mu: Decimal | None = None
    town: str = ""
    accept_standard: bool = True
    extra: dict = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: dict) -> "Needs":
        def dec(name):
            value = data.get(name)
            return None if value in (None, "") else Decimal(str(value))

        power = data.get("power_kva")
        return cls(
            land_mu=dec("land_mu"),
            floor_area_m2=dec("floor_area_m2"),
            power_kva=None if power in (None, "") else int(power),
            clear_height_m=dec("clear_height_m"),
            floor_load_kn=dec("floor_load_kn"),
            industry=str(data.get("industry") or "").strip().upper(),
            budget_wan_per_mu=dec("budget_wan_per_mu"),
            town=str(data.get("town") or "").strip(),
            accept_standard=data.get("accept_standard", True) is not False,
        )

    def as_dict(self) -> dict:
        def s(value):
            return None if value is None else str(value)

        return {
            "land_mu": s(self.land_mu),
            "floor_area_m2": s(self.floor_area_m2),
            "power_kva": self.power_kva,
            "clear_height_m": s(self.clear_height_m),
            "floor_load_kn": s(self.floor_load_kn),
            "industry": self.industry,
            "budget_wan_per_mu": s(self.budget_wan_per_mu),
            "town": self.town,
            "accept_standard": self.accept_standard,
        }


def _fmt(value) -> str:
    value = Decimal(value)
    return f"{value.normalize():f}" if value == value.to_integral() else f"{value:.2f}".rstrip("0").rstrip(".")


def rejections(row: dict, needs: Needs) -> list[str]:
    """Why the carrier cannot take the project (empty: it passes the hard filters)."""
    reasons = []
    kind = row["kind"]
    if needs.land_mu:
        if kind not in LAND_KINDS:
            reasons.append(f"类型不符：需用地，该载体为{KIND_LABELS[kind]}")
        elif row["area_mu"] is not None and row["area_mu"] < needs.land_mu:
            reasons.append(f"面积不足：需 {_fmt(needs.land_mu)} 亩，地块 {_fmt(row['area_mu'])} 亩")
    if needs.floor_area_m2 and not needs.land_mu:
        if kind not in FLOOR_KINDS:
            reasons.append(f"类型不符：需厂房/楼宇，该载体为{KIND_LABELS[kind]}")
        elif row["floor_area_m2"] is not None and row["floor_area_m2"] < needs.floor_area_m2:
            reasons.append(
                f"面积不足：需 {_fmt(needs.floor_area_m2)} ㎡，{KIND_LABELS[kind]} {_fmt(row['floor_area_m2'])} ㎡"
            )
    if needs.power_kva and row["power_kva"] is not None and row["power_kva"] < needs.power_kva:
        reasons.append(f"供电不足：需 {needs.power_kva} 千伏安，可供 {row['power_kva']} 千伏安")
    if needs.clear_height_m and row["clear_height_m"] is not None and row["clear_height_m"] < needs.clear_height_m:
        reasons.append(f"净高不足：需 {_fmt(needs.clear_height_m)} 米，载体 {_fmt(row['clear_height_m'])} 米")
    if needs.floor_load_kn and row["floor_load_kn"] is not None and row["floor_load_kn"] < needs.floor_load_kn:
        reasons.append(f"荷载不足：需 {_fmt(needs.floor_load_kn)} kN/㎡，载体 {_fmt(row['floor_load_kn'])} kN/㎡")
    price = row["price_wan_per_mu"]
    if needs.budget_wan_per_mu and price is not None and price > needs.budget_wan_per_mu:
        reasons.append(f"地价超出预算：预算 {_fmt(needs.budget_wan_per_mu)} 万元/亩，起始价 {_fmt(price)} 万元/亩")
    if row["is_standard_land"] and not needs.accept_standard:
        reasons.append("标准地须承诺亩均指标，项目不接受")
    return reasons


def _area_points(offered, needed) -> float:
    ratio = float(offered) / float(needed)
    if ratio <= 1.2:
        return 30.0
    return round(max(0.0, 30.0 * (1 - (ratio - 1.2) / 1.8)), 1)


def _industry_points(row: dict, code: str, section: str) -> float:
    focus = [f.strip().upper() for f in f"{row['industry_focus']},{row['parent__industry_focus'] or ''}".split(",")]
    focus = [f for f in focus if f]
    if not focus:
        return 5.0
    letters = "ABCDEFGHIJKLMNOPQRST"
    digits = code.lstrip(letters)
    if digits and any(f.lstrip(letters) and digits.startswith(f.lstrip(letters)) for f in focus):
        return 20.0
    if section and section in focus:
        return 10.0
    return 0.0


def _availability_points(available_from: date | None, today: date) -> float:
    if available_from is None:
        return 10.0
    days = (available_from - today).days
    if days <= 0:
        return 15.0
    return round(max(0.0, 15.0 * (1 - days / 365)), 1)


def factors(row: dict, needs: Needs, context: dict) -> list[dict]:
    """Each applicable factor's points and its maximum."""
    out = []
    if needs.land_mu and row["area_mu"]:
        out.append({"name": "面积匹配", "points": _area_points(row["area_mu"], needs.land_mu), "max": 30})
    elif needs.floor_area_m2 and row["floor_area_m2"]:
        out.append({"name": "面积匹配", "points": _area_points(row["floor_area_m2"], needs.floor_area_m2), "max": 30})
    if needs.town:
        if row["town__name"] == needs.town:
            points = 20.0
        elif context["town_center"] and row["latitude"] is not None:
            km = distance_km(row["latitude"], row["longitude"], *context["town_center"])
            points = round(max(0.0, 20.0 * (1 - km / 30)), 1)
        else:
            points = 0.0
        out.append({"name": "区位", "points": points, "max": 20})
    if needs.industry:
        out.append({"name": "产业契合", "points": _industry_points(row, needs.industry, context["section"]), "max": 20})
    price = row["price_wan_per_mu"]
    if price is not None and row["kind"] in LAND_KINDS:
        base = needs.budget_wan_per_mu or context["median_price"]
        points = 15.0 if not base else round(max(0.0, min(15.0, 15.0 * (1.5 - float(price) / float(base)))), 1)
        out.append({"name": "价格", "points": points, "max": 15})
    out.append({"name": "可供时间", "points": _availability_points(row["available_from"], context["today"]), "max": 15})
    return out


def _context(queryset, needs: Needs, rows: list[dict]) -> dict:
    section = ""
    if needs.industry:
        if needs.industry[0].isalpha():
            section = needs.industry[0]
        else:
            section = Industry.objects.filter(code=needs.industry[:2]).values_list("section", flat=True).first() or ""
    town_center = None
    if needs.town:
        center = queryset.filter(town__name=needs.town, latitude__isnull=False).aggregate(
            lat=Avg("latitude"), lng=Avg("longitude")
        )
        if center["lat"] is not None:
            town_center = (center["lat"], center["lng"])
    prices = [float(r["price_wan_per_mu"]) for r in rows if r["price_wan_per_mu"] is not None]
    return {
        "section": section,
        "town_center": town_center,
        "median_price": statistics.median(prices) if prices else None,
        "today": timezone.localdate(),
    }


def _summary(row: dict) -> dict:
    return {"id": row["id"], "name": row["name"], "kind": row["kind"], "org_unit": row["org_unit__name"]}


def _reasons(row: dict, points: list[dict], needs: Needs) -> list[str]:
    text = []
    if needs.land_mu and row["area_mu"]:
        text.append(f"面积 {_fmt(row['area_mu'])} 亩，满足需求 {_fmt(needs.land_mu)} 亩")
    if needs.floor_area_m2 and row["floor_area_m2"] and not needs.land_mu:
        text.append(f"建筑面积 {_fmt(row['floor_area_m2'])} ㎡，满足需求 {_fmt(needs.floor_area_m2)} ㎡")
    if needs.power_kva and row["power_kva"]:
        text.append(f"供电 {row['power_kva']} 千伏安")
    if needs.town and row["town__name"] == needs.town:
        text.append(f"位于意向镇街{needs.town}")
    if row["is_standard_land"]:
        text.append("标准地（须承诺亩均指标）")
    return text


def _fits(needs: Needs) -> Q:
    """The hard filters said in SQL (a carrier that does not state a value passes, as in ``rejections``); an
    empty ``Q`` when nothing is asked. Every column compared is NULL-guarded, so its negation is exact too."""
    q = Q()
    if needs.land_mu:
        q &= Q(kind__in=LAND_KINDS) & (Q(area_mu__isnull=True) | Q(area_mu__gte=needs.land_mu))
    elif needs.floor_area_m2:
        q &= Q(kind__in=FLOOR_KINDS) & (Q(floor_area_m2__isnull=True) | Q(floor_area_m2__gte=needs.floor_area_m2))
    for field_name, value, op in (
        ("power_kva", needs.power_kva, "gte"),
        ("clear_height_m", needs.clear_height_m, "gte"),
        ("floor_load_kn", needs.floor_load_kn, "gte"),
        ("price_wan_per_mu", needs.budget_wan_per_mu, "lte"),
    ):
        if value:
            q &= Q(**{f"{field_name}__isnull": True}) | Q(**{f"{field_name}__{op}": value})
    if not needs.accept_standard:
        q &= Q(is_standard_land=False)
    return q


def run_match(queryset, needs: Needs, *, top: int = TOP) -> dict:
    """Rank ``queryset``'s live carriers (可供 / 洽谈中, not parks) for ``needs``. The hard filters run in the
    database; the rejected list is the nearest misses (largest first, then fewest reasons) and their count."""
    live = queryset.filter(status__in=[Carrier.Status.AVAILABLE, Carrier.Status.NEGOTIATING]).exclude(
        kind=Carrier.Kind.PARK
    )
    fits = _fits(needs)
    passing = live.filter(fits)
    rows = list(passing.values(*FIELDS))
    context = _context(queryset, needs, rows)
    scored = []
    for row in rows:
        if rejections(row, needs):  # the SQL and the Python rules agree; kept as the one definition of a fit
            continue
        points = factors(row, needs, context)
        top_points = sum(f["max"] for f in points)
        score = round(100 * sum(f["points"] for f in points) / top_points, 1) if top_points else 0.0
        area_fit = next((f["points"] for f in points if f["name"] == "面积匹配"), 0.0)
        scored.append(((-score, -area_fit, row["id"]), score, row, points))
    scored.sort(key=lambda item: item[0])
    candidates = [  # worded for the shown ones only
        {
            "carrier": _summary(row),
            "score": score,
            "factors": [{"name": f["name"], "points": f["points"], "max": f["max"]} for f in points],
            "reasons": _reasons(row, points, needs),
        }
        for _key, score, row, points in scored[:top]
    ]
    failing = live.exclude(fits) if fits else live.none()
    near = failing.order_by(F("area_mu").desc(nulls_last=True), F("floor_area_m2").desc(nulls_last=True), "id")
    rejected = [
        {"carrier": _summary(r), "reasons": rejections(r, needs)} for r in near.values(*FIELDS)[: REJECTED_SHOWN * 4]
    ]
    rejected = [r for r in rejected if r["reasons"]]
    rejected.sort(key=lambda r: (len(r["reasons"]), r["carrier"]["id"]))
    return {
        "rules_version": RULES_VERSION,
        "candidates": candidates,
        "rejected": rejected[:REJECTED_SHOWN],
        "rejected_count": live.count() - len(rows),
    }


def carrier_row(carrier: Carrier) -> dict:
    row = {name: getattr(carrier, name) for name in FIELDS if "__" not in name}
    row["org_unit__name"] = carrier.org_unit.name
    row["town__name"] = carrier.town.name if carrier.town_id else None
    row["parent__industry_focus"] = carrier.parent.industry_focus if carrier.parent_id else ""
    return row


def reverse_match(carrier: Carrier, pipeline: list[dict]) -> list[dict]:
    """The live leads and projects (``pipeline``: their site needs) that this carrier fits, best first. The
    pipeline is read bounded by what the carrier can take (``pipeline_bounds``), largest needs first."""
    row = carrier_row(carrier)
    fits = []
    for subject in pipeline:
        needs = Needs.from_dict(subject)
        if not needs.land_mu and not needs.floor_area_m2:
            continue
        if rejections(row, needs):
            continue
        context = {"section": "", "town_center": None, "median_price": None, "today": timezone.localdate()}
        points = factors(row, needs, context)
        top_points = sum(f["max"] for f in points)
        score = round(100 * sum(f["points"] for f in points) / top_points, 1) if top_points else 0.0
        fits.append({**subject, "score": score, "factors": points})
    fits.sort(key=lambda f: (-f["score"], f.get("project_id") or 0, f.get("lead_id") or 0))
    return fits[: TOP * 2]


def pipeline_bounds(carrier: Carrier) -> dict:
    """What a carrier can take at most, for the pipeline's read (``site_needs_open``): no need above it."""
    if carrier.kind in LAND_KINDS and carrier.area_mu:
        return {"land_mu_max": carrier.area_mu}
    if carrier.kind in FLOOR_KINDS and carrier.floor_area_m2:
        return {"floor_area_max": carrier.floor_area_m2}
    return {}
