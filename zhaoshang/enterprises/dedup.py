"""Identity resolution: is this enterprise already in the library?

One engine for the form, the import, the API and the duplicates report. Candidates, strongest first:
1. the same 统一社会信用代码 (certain);
2. the same normalised name (very likely: 海亮集团有限公司 = 海亮集团);
3. a fuzzy match (rapidfuzz) among a blocked candidate set — the records sharing character bigrams
   with the name, found through the search index — never a scan of the whole library.
Candidates come from the whole region, also outside the user's scope; ``visible`` says whether the user
may open the record (otherwise only its name and owning unit are shown).
"""

from dataclasses import dataclass

from django.db.models import Count
from rapidfuzz import fuzz

from zhaoshang.core.text import normalize_company_name, uscc_is_valid, uscc_normalize

from .models import Enterprise
from .search import INDEX

FUZZY_THRESHOLD = 80
BLOCK_SIZE = 100


@dataclass(frozen=True)
class Candidate:
    id: int
    name: str
    credit_code: str
    owner_unit: str
    score: int
    reason: str
    visible: bool


def find_candidates(
    *, region_id: int, name: str = "", credit_code: str = "", exclude_id: int | None = None, user=None, limit: int = 10
) -> list[Candidate]:
    pool = Enterprise.objects.filter(region_id=region_id)
    if exclude_id:
        pool = pool.exclude(pk=exclude_id)
    found: dict[int, tuple[int, str]] = {}

    def add(pk: int, score: int, reason: str) -> None:
        if pk not in found or found[pk][0] < score:
            found[pk] = (score, reason)

    code = uscc_normalize(credit_code) if credit_code else ""
    if code and uscc_is_valid(code):
        for pk in pool.filter(credit_code=code).values_list("pk", flat=True):
            add(pk, 100, "统一社会信用代码相同")
    norm = normalize_company_name(name) if name else ""
    if norm:
        for pk in pool.filter(normalized_name=norm).values_list("pk", flat=True)[:limit]:
            add(pk, 95, f"规范化名称相同（“{norm}”）")
        block = INDEX.ranked_ids(norm, pool, limit=BLOCK_SIZE, any_group=True)
        for pk, other_name, other_norm in Enterprise.objects.filter(pk__in=block).values_list(
            "pk", "name", "normalized_name"
        ):
            score = round(max(fuzz.ratio(norm, other_norm), fuzz.ratio(name, other_name)))
            if score >= FUZZY_THRESHOLD and pk not in found:
                add(pk, min(score, 94), f"名称相似（相似度 {score}%）")
    if not found:
        return []
    ranked = sorted(found.items(), key=lambda item: (-item[1][0], item[0]))[:limit]
    ids = [pk for pk, _ in ranked]
    rows = {e.pk: e for e in Enterprise.objects.filter(pk__in=ids).select_related("org_unit")}
    visible = set(Enterprise.objects.restrict(user).filter(pk__in=ids).values_list("pk", flat=True)) if user else set()
    return [
        Candidate(
            id=pk,
            name=rows[pk].name,
            credit_code=rows[pk].credit_code if pk in visible else "",
            owner_unit=rows[pk].org_unit.name,
            score=score,
            reason=reason,
            visible=pk in visible,
        )
        for pk, (score, reason) in ranked
        if pk in rows
    ]


@dataclass(frozen=True)
class DuplicateGroup:
    reason: str
    enterprises: list[Enterprise]


def duplicate_groups(*, within, fuzzy: bool = True, limit: int = 200) -> list[DuplicateGroup]:
    """Groups of probable duplicates among ``within`` (a scoped queryset): same credit code, same
    normalised name, then fuzzy pairs found by blocking each record on the search index."""
    groups: list[DuplicateGroup] = []
    seen_pairs: set[frozenset[int]] = set()

    def collect(field: str, label: str) -> None:
        values = (
            within.exclude(**{field: ""})
            .values(field)
            .annotate(n=Count("id"))
            .filter(n__gt=1)
            .values_list(field, flat=True)[:limit]
        )
        for value in values:
            members = list(within.filter(**{field: value}).select_related("org_unit").order_by("id"))
            seen_pairs.update(frozenset((a.pk, b.pk)) for a in members for b in members if a.pk < b.pk)
            groups.append(DuplicateGroup(f"{label}：{value}", members))

    collect("credit_code", "统一社会信用代码相同")
    collect("normalized_name", "规范化名称相同")
    if fuzzy:
        for enterprise in within.select_related("org_unit").order_by("id")[: limit * 20]:
            if len(groups) >= limit:
                break
            for candidate in find_candidates(
                region_id=enterprise.region_id, name=enterprise.name, exclude_id=enterprise.pk, limit=3
            ):
                pair = frozenset((enterprise.pk, candidate.id))
                if candidate.score < 95 and pair not in seen_pairs and within.filter(pk=candidate.id).exists():
                    seen_pairs.add(pair)
                    other = within.select_related("org_unit").get(pk=candidate.id)
                    groups.append(DuplicateGroup(candidate.reason, [enterprise, other]))
    return groups[:limit]
