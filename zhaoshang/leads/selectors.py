"""Reads of leads: the list with saved views, the pool, the board and the overdue clocks."""

from datetime import date

from django.db.models import Count, F, Q
from django.utils import timezone

from zhaoshang.core.errors import NotFound
from zhaoshang.core.lists import ListResult, filtered_list
from zhaoshang.core.scope import unit_scope

from .filters import LeadFilter
from .models import Lead, LeadFollowUp
from .services import clock_reasons, rules_for

_LIST_RELATED = ("org_unit", "owner", "industry", "enterprise")


def lead_list(*, user, filters) -> ListResult:
    """The user's leads through ``LeadFilter``; its ``view`` filter names a saved view. "pool" starts from
    the county's pool, "mine" from the user's own leads; "overdue" is computed from the clocks, so that
    view's rows are a list (``ListResult.rows``)."""
    view = filters.get("view") or "all"
    if view == "pool":
        base = pool(user=user)
    else:
        base = Lead.objects.restrict(user).select_related(*_LIST_RELATED)
        if view == "mine":
            base = base.filter(owner=user)
    result = filtered_list(LeadFilter, base, filters, user=user)
    if view == "overdue" and result.is_valid:
        result.rows = overdue(user=user, queryset=result.queryset)
    return result


def pool(*, user):
    """Leads waiting in the county's pool: every business unit may see the summary and claim one."""
    if not user.org_unit_id or not user.has_capability("business.change"):
        return Lead.objects.none()
    return Lead.objects.filter(region_id=user.org_unit.region_id, in_pool=True).select_related(*_LIST_RELATED)


def overdue(*, user, queryset=None) -> list[Lead]:
    queryset = queryset if queryset is not None else Lead.objects.restrict(user)
    return [lead for lead in _with_clock_reasons(queryset, timezone.localdate()) if lead.overdue_reasons]


def _with_clock_reasons(queryset, today: date):
    """The open, assigned leads of ``queryset`` (at most 2,000), each with ``overdue_reasons`` (empty when
    no clock ran out); the rules are read once per county."""
    rules = {}
    for lead in queryset.filter(status__in=Lead.OPEN_STATUSES, in_pool=False)[:2000]:
        if lead.region_id not in rules:
            rules[lead.region_id] = rules_for(lead.region_id)
        lead.overdue_reasons = clock_reasons(lead, rules[lead.region_id], today)
        yield lead


def followups_due(*, user, today: date) -> list[Lead]:
    """The user's own open leads that want a follow-up now: the next follow-up date is today or past, or a
    clock ran out (``overdue_reasons``) — those first, then by the follow-up date."""
    mine = Lead.objects.restrict(user).filter(owner=user).select_related("enterprise")
    due = [
        lead
        for lead in _with_clock_reasons(mine, today)
        if lead.overdue_reasons or (lead.next_followup_on and lead.next_followup_on <= today)
    ]
    return sorted(due, key=lambda lead: (not lead.overdue_reasons, lead.next_followup_on or today, lead.pk))


def open_leads_of(*, user, limit: int = 50) -> list[Lead]:
    """The user's own open leads (id and title), the next follow-up soonest first: a picker's choices."""
    return list(
        Lead.objects.restrict(user)
        .filter(owner=user, status__in=Lead.OPEN_STATUSES)
        .order_by(F("next_followup_on").asc(nulls_last=True), "-id")
        .only("pk", "title")[:limit]
    )


def lead_get(*, user, pk: int, action: str = "view") -> Lead:
    lead = (
        Lead.objects.restrict(user, action)
        .select_related("org_unit", "owner", "industry", "enterprise", "source_unit", "preferred_town", "project")
        .filter(pk=pk)
        .first()
    )
    if lead is None:
        raise NotFound()
    return lead


def board(*, user, filters) -> list[dict]:
    """One column per status over the whole list (the board has no saved views)."""
    filters = filters.copy()
    filters["view"] = "all"
    queryset = lead_list(user=user, filters=filters).queryset
    counts = dict(queryset.order_by().values("status").annotate(n=Count("id")).values_list("status", "n"))
    return [
        {
            "status": value,
            "label": label,
            "count": counts.get(value, 0),
            "cards": list(queryset.filter(status=value)[:30]),
        }
        for value, label in Lead.Status.choices
    ]


# --- public reads for other apps ---------------------------------------------------------------------
# What statistics (and any other app) may read of leads; they never touch the lead models themselves.


def lead_counts(*, user, year: int, until: date | None = None) -> dict[str, int]:
    """Leads in scope: all, open, registered in ``year`` (up to ``until`` when given), and of those converted
    to a project (one query)."""
    last = min(until, date(year, 12, 31)) if until else date(year, 12, 31)
    this_year = Q(registered_on__gte=date(year, 1, 1), registered_on__lte=last)
    return Lead.objects.restrict(user).aggregate(
        total=Count("id"),
        open=Count("id", filter=Q(status__in=Lead.OPEN_STATUSES)),
        this_year=Count("id", filter=this_year),
        converted_this_year=Count("id", filter=this_year & Q(status=Lead.Status.CONVERTED)),
    )


def followup_counts_by_unit(*, user, start: date, end: date) -> list[tuple[int, str, str, int]]:
    """(unit id, unit name, follow-up kind, count) of follow-ups dated in [start, end) on leads in scope.
    A converted lead's follow-ups were copied onto its project, so they are left out here."""
    leads = Lead.objects.restrict(user).exclude(status=Lead.Status.CONVERTED)
    return list(
        LeadFollowUp.objects.filter(lead__in=leads.values("pk"), date__gte=start, date__lt=end)
        .values_list("lead__org_unit_id", "lead__org_unit__name", "kind")
        .annotate(n=Count("id"))
    )


def lead_ledger(*, user, until: date | None = None):
    """Every lead in scope, newest registration first, ready for ``exports.lead_row``; with ``until``, only
    those registered on or before that day (the 线索台账 of a period)."""
    queryset = Lead.objects.restrict(user).select_related("org_unit", "owner", "enterprise")
    if until is not None:
        queryset = queryset.filter(registered_on__lte=until)
    return queryset.order_by("-registered_on")


def lead_texts(*, region_id: int, ids=None, after_id: int = 0, limit: int | None = None) -> list[tuple]:
    """(id, investor name + title, site needs, industry class code or "") of the region's live leads — the input
    of the chain classifier."""
    rows = Lead.objects.filter(region_id=region_id)
    rows = rows.filter(pk__in=list(ids)) if ids is not None else rows.filter(pk__gt=after_id)
    rows = rows.order_by("pk").values_list("pk", "enterprise_name", "title", "site_needs", "industry__code")
    return [
        (pk, f"{name} {title}".strip(), needs, code or "")
        for pk, name, title, needs, code in (rows[:limit] if limit else rows)
    ]


def lead_facts(*, region_id: int, ids=None, enterprise_ids=None) -> list[dict]:
    """Live leads of the region (some by id, or those of some enterprises): id, enterprise, unit, status, open,
    registered on — for the chain map's pipeline and the targets' "already a lead"."""
    rows = Lead.objects.filter(region_id=region_id)
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    if enterprise_ids is not None:
        rows = rows.filter(enterprise_id__in=list(enterprise_ids))
    return [
        {**row, "open": row["status"] in Lead.OPEN_STATUSES}
        for row in rows.values("id", "title", "enterprise_id", "org_unit_id", "status", "registered_on")
    ]


# The columns of a lead's progress (招商网络's funnel, assessment and rewards): the lead's own and, through its
# project, the project's key dates and investment.
PROGRESS_VALUES = (
    "id",
    "source",
    "source_unit_id",
    "org_unit_id",
    "region_id",
    "registered_on",
    "assessed_on",
    "status",
    "chain",
    "grade",
    "project_id",
    "project__org_unit_id",
    "project__first_contact_actual",
    "project__signed_actual",
    "project__registered_actual",
    "project__construction_start_actual",
    "project__total_investment",
)


def lead_progress(*, user, start: date | None = None, end: date | None = None, chain: str = "", unit_ids=None):
    """Leads in scope registered in [start, end] (optionally of one chain, of some units) as dicts of
    ``PROGRESS_VALUES`` — one query, no model instances (the funnel reads 100,000 of them)."""
    queryset = Lead.objects.restrict(user).exclude(status=Lead.Status.MERGED)
    if start is not None:
        queryset = queryset.filter(registered_on__gte=start)
    if end is not None:
        queryset = queryset.filter(registered_on__lte=end)
    if chain:
        queryset = queryset.filter(chain=chain)
    if unit_ids is not None:
        queryset = queryset.filter(org_unit_id__in=list(unit_ids))
    return queryset.order_by().values(*PROGRESS_VALUES)


def lead_progress_of(ids) -> dict[int, dict]:
    """The progress of these leads (``PROGRESS_VALUES``), whoever looks: for services that follow a referral
    they already hold (a reward's condition), not for showing leads to a user."""
    rows = Lead.objects.filter(pk__in=list(ids)).order_by().values(*PROGRESS_VALUES)
    return {row["id"]: row for row in rows}


def lead_progress_all():
    """The progress (``PROGRESS_VALUES``) of every live lead, whoever looks — to rebuild 招商网络's roll-up."""
    return Lead.objects.order_by().values(*PROGRESS_VALUES)


def lead_unit_scope(user) -> Q | None:
    """What the user may see of the leads as a condition on ``region_id`` / ``org_unit_id`` (for roll-ups that
    keep those columns of each lead), or None when it cannot be said in units (``core.scope.unit_scope``)."""
    return unit_scope(Lead, user)


def lead_ids_of_projects(project_ids) -> list[int]:
    """The live or deleted leads converted to these projects (a project's dates feed its lead's progress)."""
    return list(Lead.all_objects.filter(project_id__in=list(project_ids)).values_list("pk", flat=True))


def lead_choices_source() -> list[tuple[str, str]]:
    """The lead channels (来源渠道) as (value, label)."""
    return list(Lead.Source.choices)


def visible_leads(*, user, ids) -> dict[int, Lead]:
    """The leads among ``ids`` that the user may see, by id (unit loaded)."""
    return {lead.pk: lead for lead in Lead.objects.restrict(user).filter(pk__in=list(ids)).select_related("org_unit")}


def lead_counts_by_unit(*, region_id: int, start: date, end: date) -> dict[int, dict[str, int]]:
    """Per unit of the region, the leads registered in [start, end]: all, 有效 (assessed or converted), converted
    to a project — the offices' assessment (every office is ranked on the same counts, whoever looks)."""
    rows = (
        Lead.objects.filter(region_id=region_id, registered_on__gte=start, registered_on__lte=end)
        .exclude(status=Lead.Status.MERGED)
        .order_by()
        .values("org_unit_id")
        .annotate(
            total=Count("id"),
            quality=Count("id", filter=Q(assessed_on__isnull=False) | Q(status=Lead.Status.CONVERTED)),
            converted=Count("id", filter=Q(project__isnull=False)),
        )
    )
    return {row.pop("org_unit_id"): row for row in rows}


def site_needs_open(*, user, limit: int = 5000, land_mu_max=None, floor_area_max=None) -> list[dict]:
    """The site needs of the user's open leads that ask for land or floor area (the 载体库's reverse match):
    ``{"lead_id", "name", "land_mu", "floor_area_m2", "industry", "town", "org_unit"}``, one query. With
    ``land_mu_max`` only land needs up to it, with ``floor_area_max`` only floor-area needs up to it."""
    leads = Lead.objects.restrict(user).filter(status__in=Lead.OPEN_STATUSES)
    rows = (
        _within(leads, land_mu_max, floor_area_max)
        .values("pk", "title", "land_mu", "floor_area", "industry__code", "preferred_town__name", "org_unit__name")
        .order_by(*_needs_order(land_mu_max, floor_area_max))[:limit]
    )
    return [
        {
            "lead_id": r["pk"],
            "name": r["title"],
            "land_mu": r["land_mu"],
            "floor_area_m2": r["floor_area"],
            "industry": r["industry__code"] or "",
            "town": r["preferred_town__name"] or "",
            "org_unit": r["org_unit__name"],
        }
        for r in rows
    ]


def _within(queryset, land_mu_max, floor_area_max):
    if land_mu_max is not None:
        return queryset.filter(land_mu__gt=0, land_mu__lte=land_mu_max)
    if floor_area_max is not None:
        return queryset.filter(Q(land_mu__isnull=True) | Q(land_mu=0), floor_area__gt=0, floor_area__lte=floor_area_max)
    return queryset.filter(Q(land_mu__gt=0) | Q(floor_area__gt=0))


def _needs_order(land_mu_max, floor_area_max) -> tuple[str, ...]:
    """Bounded by a carrier, the largest needs that still fit come first (the best use of it); else the newest."""
    if land_mu_max is not None:
        return ("-land_mu", "-pk")
    if floor_area_max is not None:
        return ("-floor_area", "-pk")
    return ("-pk",)
