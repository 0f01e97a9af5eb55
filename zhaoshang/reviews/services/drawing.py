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
    """The eligible ids in draw order for ``seed`` (deterministic; independent of the order given): ascending
    SHA-256 of ``"<seed>:<id>"`` (the raw digest orders as its hex form does)."""
    prefix = hashlib.sha256(f"{seed}:".encode())

    def key(i: int) -> bytes:
        h = prefix.copy()
        h.update(str(i).encode())
        return h.digest()

    return sorted(ids, key=key)


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


def matching_experts(region_id: int, codes: list[str]):
    """The county's experts whose fields match ``codes`` (all without codes): the same class, a class inside it,
    or a class it lies in (an expert of 大类 38 matches 小类 3841 and the other way round). On the tokens of
    ``Expert.field_codes``: a token starting with the wanted one, or a token that is a prefix of it."""
    experts = Expert.objects.filter(region_id=region_id)
    if not codes:
        return experts
    condition = Q(pk__in=[])
    for industry in Industry.objects.filter(code__in=codes):
        token = Expert.field_token(industry)
        condition |= Q(field_codes__contains=f" {token}")
        for end in range(1, len(token)):
            condition |= Q(field_codes__contains=f" {token[:end]} ")
    return experts.filter(condition)


def matching_pool(*, region_id: int, codes: list[str], subject: Subject, today: date | None = None) -> Pool:
    """The experts of the county matching ``codes``, split into the eligible and the excluded. A fixed number of
    queries whatever the library's size: the matching ids (one column), then each rule's few experts found by
    indexed columns (availability, employer key, staff unit; employments and relations by the group's key)."""
    today = today or timezone.localdate()
    ids = set(matching_experts(region_id, codes).values_list("pk", flat=True))
    region = Expert.objects.filter(region_id=region_id)
    since = date(today.year - lookback_years(), today.month, min(today.day, 28))
    excluded: dict[int, tuple[str, str]] = {}

    def exclude(pks, reason, detail) -> None:
        for pk in pks:
            if pk in ids:
                excluded.setdefault(pk, (reason, detail(pk) if callable(detail) else detail))

    off = dict(
        region.filter(Q(is_available=False) | Q(unavailable_until__gte=today)).values_list("pk", "unavailable_until")
    )
    exclude(off, Exclusion.Reason.UNAVAILABLE, lambda pk: f"暂不可用至 {off[pk]}" if off[pk] else "已设为不可用")
    # Employments and relations are looked up by their indexed keys alone (a few rows whatever the library's
    # size) and kept only for this county's matching experts (``exclude``): a join with the experts would let a
    # planner with stale statistics loop over every expert.
    if subject.keys:
        now = region.filter(employer_key__in=subject.keys).values_list("pk", flat=True)
        exclude(now, Exclusion.Reason.EMPLOYER, "现任职于投资方或同一集团")
        past = ExpertEmployment.objects.filter(employer_key__in=subject.keys, ended_on__gte=since)
        exclude(
            past.values_list("expert_id", flat=True),
            Exclusion.Reason.EMPLOYER,
            f"近{lookback_years()}年内曾任职于投资方或同一集团",
        )
    # One indexed look-up per key (an OR of the two keeps PostgreSQL from using either index).
    relations = ExpertRelation.objects.all()
    related = set(relations.filter(enterprise_key__in=subject.keys).values_list("expert_id", flat=True))
    if subject.investor_id:
        related |= set(relations.filter(enterprise_id=subject.investor_id).values_list("expert_id", flat=True))
    exclude(sorted(related), Exclusion.Reason.RELATION, "申报有与投资方或同一集团的利害关系")
    if subject.unit_ids:
        staff = region.filter(staff_unit_id__in=subject.unit_ids).values_list("pk", flat=True)
        exclude(staff, Exclusion.Reason.STAFF, "引进单位在职人员")
    exclusions = [(pk, reason, detail) for pk, (reason, detail) in sorted(excluded.items())]
    return Pool(eligible=sorted(ids - set(excluded)), exclusions=exclusions)
