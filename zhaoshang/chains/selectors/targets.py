"""招商靶向: the enterprises of the library that are not local, ranked for a node, each factor's points shown.

Factors (maximum points are the county's weights, ``ChainSettings.weights``):
  fit      node fit — the link's confidence;
  scale    registered capital (log scale) and list tags (500强 / 上市 / 专精特新 / 独角兽 / 高新);
  signals  growth and intent — financing, outbound investment, new branches … in the last two years;
  region   长三角 first, then the rest of China, then abroad;
  ties     customer or supplier of a local enterprise (full points for a 链主).
Pipeline status (already a lead or project) is shown, never hidden. ``cutoff`` ranks with only what was known
before that day (the backtest).
"""

import math
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone

from zhaoshang.enterprises import selectors as enterprises
from zhaoshang.leads import selectors as leads
from zhaoshang.projects import selectors as projects

from ..models import ChainNode, EnterpriseRelation, NodeLink
from ..services.config import settings_for, weights_of

FACTOR_LABELS = {
    "fit": "节点匹配",
    "scale": "规模与榜单",
    "signals": "成长与意向",
    "region": "区位",
    "ties": "本地关联",
}
TAG_VALUES = {
    "世界500强": 1.0, "中国500强": 0.9, "独角兽": 0.9, "上市": 0.8, "民营500强": 0.8,
    "专精特新“小巨人”": 0.7, "专精特新": 0.6, "高新技术企业": 0.4,
}  # fmt: skip
SIGNAL_VALUES = {"financing": 0.4, "outbound": 0.5, "branch": 0.5, "tender": 0.2, "patent": 0.15, "list": 0.2}
SIGNAL_WORDS = {
    "financing": "融资", "outbound": "对外投资", "branch": "新设分支机构", "tender": "中标", "patent": "专利",
    "list": "入选榜单",
}  # fmt: skip
YRD = ("上海市", "江苏省", "浙江省", "安徽省")  # 长三角
TIE_KINDS = (EnterpriseRelation.Kind.CUSTOMER, EnterpriseRelation.Kind.SUPPLIER)
MIN_FIT = 0.3


def _subtree(node: ChainNode) -> list[int]:
    ids, frontier = [node.pk], [node.pk]
    while frontier:
        frontier = list(ChainNode.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        ids += frontier
    return ids


def candidates(*, node: ChainNode, nodes: list[int] | None = None) -> dict[int, float]:
    """enterprise id → best link confidence on the node's subtree, of enterprises not local and not rejected there:
    one query (the local and the rejected are left out in the database, by primary key)."""
    local = enterprises.region_enterprise_ids(region_id=node.chain.region_id, kind="local").filter(
        pk=OuterRef("subject_id")
    )
    rejected = NodeLink.objects.filter(
        node=node, subject=NodeLink.Subject.ENTERPRISE, state=NodeLink.State.REJECTED, subject_id=OuterRef("subject_id")
    )
    links = (
        NodeLink.objects.filter(node_id__in=nodes or _subtree(node), subject=NodeLink.Subject.ENTERPRISE)
        .filter(Q(state=NodeLink.State.CONFIRMED) | Q(state=NodeLink.State.AUTO, confidence__gte=MIN_FIT))
        .filter(~Exists(local), ~Exists(rejected))
    )
    return dict(links.values("subject_id").annotate(best=Max("confidence")).values_list("subject_id", "best"))


def _ties(region_id: int, ids: set[int], masters: set[int]) -> dict[int, tuple[float, str]]:
    """enterprise → (share of the ties points, words) for customers/suppliers of local enterprises."""
    rows = EnterpriseRelation.objects.filter(region_id=region_id, kind__in=TIE_KINDS).filter(
        Q(enterprise_id__in=ids, counterpart_id__isnull=False) | Q(counterpart_id__in=ids)
    )
    pairs = []
    for a, b, kind in rows.values_list("enterprise_id", "counterpart_id", "kind"):
        target, other = (a, b) if a in ids else (b, a)
        pairs.append((target, other, kind))
    if not pairs:
        return {}
    profiles = enterprises.enterprise_profiles(ids={p[1] for p in pairs})
    found: dict[int, tuple[float, str]] = {}
    for target, other, kind in pairs:
        profile = profiles.get(other)
        if profile is None or profile["kind"] != "local":
            continue
        share = 1.0 if other in masters or "链主" in profile["tags"] else 0.7
        who = "链主" if share == 1.0 else "企业"
        words = f"与本地{who}{profile['name']}存在{EnterpriseRelation.Kind(kind).label}关系"
        if share > found.get(target, (0, ""))[0]:
            found[target] = (share, words)
    return found


def _scale(profile: dict) -> tuple[float, str]:
    capital = float(profile["registered_capital"] or 0)
    tags = [t for t in profile["tags"] if t in TAG_VALUES]
    cap_score = min(1.0, math.log10(capital + 1) / 6)
    tag_score = max((TAG_VALUES[t] for t in tags), default=0.0)
    words = "、".join(tags)
    money = f"注册资本{capital / 10000:.1f}亿元" if capital >= 10000 else f"注册资本{capital:.0f}万元"
    return min(1.0, 0.6 * cap_score + 0.4 * tag_score + (0.2 * tag_score if tag_score else 0)), "，".join(
        x for x in (words, money) if x
    )


def _signals(rows: list, today: date) -> tuple[float, str]:
    value, kinds = 0.0, []
    for _, kind, on, _ in rows:
        age = (today - on).days
        if age < 0 or age > 730:
            continue
        value += SIGNAL_VALUES.get(kind, 0.1) * (1.0 if age <= 365 else 0.5)
        if SIGNAL_WORDS.get(kind) and SIGNAL_WORDS[kind] not in kinds:
            kinds.append(SIGNAL_WORDS[kind])
    return min(1.0, value), ("近两年" + "、".join(kinds)) if kinds else ""


def _region(profile: dict) -> tuple[float, str]:
    if profile["origin"] in ("foreign", "hmt") and profile["country"]:
        return 0.5, f"境外（{profile['country']}）"
    if profile["province"] in YRD:
        return 1.0, f"长三角（{profile['city'] or profile['province']}）"
    if profile["province"]:
        return 0.6, profile["city"] or profile["province"]
    return 0.3, ""


ROUNDING = 0.3  # five factors rounded to 0.1 each, then the sum: an upper bound is exact within this
ROUND_MIN = 100  # candidates scored in full per round, at least


def _upper_bound(fit: float, profile: dict, weights: dict) -> float:
    """The most a candidate can score from what one light query tells (fit, capital, place): tags, signals and
    ties are taken at their maximum."""
    capital = float(profile["registered_capital"] or 0)
    scale = min(1.0, 0.6 * min(1.0, math.log10(capital + 1) / 6) + 0.6)
    region = _region(profile)[0]
    return (
        weights["fit"] * fit
        + weights["scale"] * scale
        + weights["signals"]
        + weights["region"] * region
        + weights["ties"]
        + ROUNDING
    )


def node_targets(*, node: ChainNode, limit: int | None = 50, cutoff: date | None = None, weights=None) -> list[dict]:
    """The ranked targets of a node: [{enterprise: {id, name}, score, factors: [{name, points}], reason,
    in_pipeline, capital}] best first.

    Candidates come from one query; their cheap facts (fit, capital, place) from one more, which bound each one's
    score from above. Candidates are then scored in full (tags, signals, ties, pipeline) in that order, a round at
    a time, until the ``limit``-th score beats the bound of every candidate left: the list is the one scoring all
    of them would give, for a bounded number of full scorings."""
    region_id = node.chain.region_id
    weights = weights or weights_of(settings_for(region_id))
    fits = candidates(node=node)
    today = cutoff or timezone.localdate()
    light = enterprises.enterprise_profiles(ids=fits, tags=False)
    if cutoff is not None:
        light = {k: p for k, p in light.items() if not p["established_on"] or p["established_on"] < cutoff}
    bounds = {pk: _upper_bound(fits[pk], profile, weights) for pk, profile in light.items()}
    order = sorted(bounds, key=lambda pk: (-bounds[pk], pk))
    masters = set(node.chain.masters.values_list("pk", flat=True))
    step = max(2 * limit, ROUND_MIN) if limit else len(order)
    ranked: list[dict] = []
    done = 0
    while done < len(order):
        part = order[done : done + step]
        done += len(part)
        ranked += _score(node, region_id, {pk: fits[pk] for pk in part}, today, cutoff, weights, masters)
        if limit and len(ranked) >= limit and done < len(order):
            kth = sorted((t["score"] for t in ranked), reverse=True)[limit - 1]
            if kth > bounds[order[done]]:
                break
    ranked.sort(key=lambda t: (-t["score"], -t["capital"], t["enterprise"]["id"]))
    return ranked[:limit] if limit else ranked


def _score(node, region_id, fits: dict[int, float], today, cutoff, weights, masters) -> list[dict]:
    """Every factor of these candidates, with its points and words (``fits``: id → node fit)."""
    profiles = enterprises.enterprise_profiles(ids=fits)
    ids = set(profiles)
    signals: dict[int, list] = {}
    for row in enterprises.enterprise_signal_rows(ids=ids, before=today + timedelta(days=1)):
        signals.setdefault(row[0], []).append(row)
    masters = masters | {pk for pk, p in profiles.items() if "链主" in p["tags"]}
    ties = _ties(region_id, ids, masters)
    pipeline = _pipeline(region_id, ids, cutoff)
    ranked = []
    for pk, profile in profiles.items():
        parts = {
            "fit": (fits[pk], f"匹配「{node.name}」"),
            "scale": _scale(profile),
            "signals": _signals(signals.get(pk, []), today),
            "region": _region(profile),
            "ties": ties.get(pk, (0.0, "")),
        }
        factors = [
            {"name": FACTOR_LABELS[k], "key": k, "points": round(weights[k] * share, 1)}
            for k, (share, _) in parts.items()
        ]
        score = round(sum(f["points"] for f in factors), 1)
        top = sorted((f for f in factors if f["points"] > 0 and parts[f["key"]][1]), key=lambda f: -f["points"])
        reason = "；".join(parts[f["key"]][1] for f in top[:3])
        ranked.append(
            {
                "enterprise": {"id": pk, "name": profile["name"]},
                "score": score,
                "factors": factors,
                "reason": reason,
                "in_pipeline": pk in pipeline,
                "capital": profile["registered_capital"] or Decimal("0"),
                "city": profile["city"],
                "province": profile["province"],
            }
        )
    return ranked


def _pipeline(region_id: int, ids: set[int], cutoff: date | None) -> set[int]:
    """Enterprises with an open lead or a live project (before ``cutoff`` when given)."""
    if not ids:
        return set()
    found = set()
    for row in leads.lead_facts(region_id=region_id, enterprise_ids=ids):
        if (row["open"] or row["status"] == "converted") and (cutoff is None or row["registered_on"] < cutoff):
            found.add(row["enterprise_id"])
    for row in projects.project_facts(region_id=region_id, enterprise_ids=ids):
        if cutoff is None or (row["signed_actual"] and row["signed_actual"] < cutoff):
            found.add(row["investor_id"])
    return found
