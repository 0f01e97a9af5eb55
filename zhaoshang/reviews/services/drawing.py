"""Drawing experts for a review (随机抽取与回避).

The draw is a pure function anyone can re-run: the eligible experts' ids, each hashed with the recorded seed
(``sha256("<seed>:<id>")``), in ascending order of the hex digest. The first ``n`` are drawn, the next ``n``
are the backups in order. The review keeps the seed and the eligible ids (``Review.pool``), so
``draw_order(review.seed, review.pool)`` gives the same experts again, in any language with SHA-256.

Who is excluded from the matching pool, each with its reason (``Exclusion``, listed for the 审计管理员):
- not available (``is_available`` off, or ``unavailable_until`` not yet passed);
- employed by the investor or its group now, or within the look-back (default 3 years);
- a declared relation (equity, position, family tie) with the investor or its group;
- staff of the introducing unit (or a unit inside it).
"The investor's group": the library keeps no group structure, so enterprises whose names reduce to the same
key (``core.text.normalize_company_name``: 浙江海亮股份有限公司 and 海亮集团有限公司 → 海亮) are one group.
"""

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from zhaoshang.core.models import Industry
from zhaoshang.core.text import normalize_company_name

from ..models import Exclusion, Expert, ExpertEmployment, ExpertRelation

LOOKBACK_YEARS_DEFAULT = 3


def lookback_years() -> int:
    return int(getattr(settings, "ZHAOSHANG_REVIEW_LOOKBACK_YEARS", LOOKBACK_YEARS_DEFAULT))


def new_seed() -> str:
    return secrets.token_hex(8)


def draw_order(seed: str, ids) -> list[int]:
    """The eligible ids in draw order for ``seed`` (deterministic; independent of the order given)."""
    return sorted(ids, key=lambda i: hashlib.sha256(f"{seed}:{i}".encode()).hexdigest())


@dataclass
class Subject:
    """What the conflict rules need to know about the project (or lead) under review."""

    investor_id: int | None
    investor_name: str
    unit_ids: list[int]  # the introducing unit and the units inside it
    keys: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        key = normalize_company_name(self.investor_name) if self.investor_name else ""
        if key:
            self.keys.add(key)


@dataclass
class Pool:
    eligible: list[int]
    exclusions: list[tuple[int, str, str]]  # (expert id, reason, detail)
    names: dict[int, str]


def matching_ids(codes: list[str]) -> set[int] | None:
    """Ids of the experts whose fields match ``codes`` (None: no codes, every expert matches): the same class,
    a class inside it, or a class it lies in (an expert of 大类 38 matches 小类 3841 and the other way round)."""
    if not codes:
        return None
    condition = Q()
    for code, section, parent, grandparent in Industry.objects.filter(code__in=codes).values_list(
        "code", "section", "parent__code", "parent__parent__code"
    ):
        condition |= Q(section=code) if code.isalpha() else Q(code__startswith=code)
        condition |= Q(code__in=[c for c in (section, parent, grandparent) if c])
    if not condition:
        return set()
    industries = Industry.objects.filter(condition).values("pk")
    through = Expert.industries.through.objects.filter(industry_id__in=industries)
    return set(through.values_list("expert_id", flat=True))


def matching_pool(*, region_id: int, codes: list[str], subject: Subject, today: date | None = None) -> Pool:
    """The experts of the county matching ``codes``, split into the eligible and the excluded. A fixed number of
    queries whatever the library's size: the experts' rows, the matching ids, and the (few) employments and
    relations with the investor's group, found by their indexed keys."""
    today = today or timezone.localdate()
    matching = matching_ids(codes)
    rows = [
        r
        for r in Expert.objects.filter(region_id=region_id).values_list(
            "pk", "name", "is_available", "unavailable_until", "employer_key", "staff_unit_id"
        )
        if matching is None or r[0] in matching
    ]
    since = date(today.year - lookback_years(), today.month, min(today.day, 28))
    past, related = set(), set()
    in_region = Q(expert__region_id=region_id)
    if subject.keys:
        past = set(
            ExpertEmployment.objects.filter(in_region, employer_key__in=subject.keys, ended_on__gte=since).values_list(
                "expert_id", flat=True
            )
        )
    if subject.keys or subject.investor_id:
        match = Q(enterprise_key__in=subject.keys)
        if subject.investor_id:
            match |= Q(enterprise_id=subject.investor_id)
        related = set(ExpertRelation.objects.filter(match, in_region).values_list("expert_id", flat=True))
    eligible, exclusions = [], []
    units = set(subject.unit_ids)
    for pk, _name, available, until, employer_key, staff_unit in rows:
        if not available or (until and until >= today):
            exclusions.append((pk, Exclusion.Reason.UNAVAILABLE, f"暂不可用至 {until}" if until else "已设为不可用"))
        elif employer_key and employer_key in subject.keys:
            exclusions.append((pk, Exclusion.Reason.EMPLOYER, "现任职于投资方或同一集团"))
        elif pk in past:
            exclusions.append((pk, Exclusion.Reason.EMPLOYER, f"近{lookback_years()}年内曾任职于投资方或同一集团"))
        elif pk in related:
            exclusions.append((pk, Exclusion.Reason.RELATION, "申报有与投资方或同一集团的利害关系"))
        elif staff_unit in units:
            exclusions.append((pk, Exclusion.Reason.STAFF, "引进单位在职人员"))
        else:
            eligible.append(pk)
    return Pool(eligible=sorted(eligible), exclusions=exclusions, names={r[0]: r[1] for r in rows})
