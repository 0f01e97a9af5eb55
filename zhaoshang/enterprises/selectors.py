"""Reads of the enterprise library: one selector for the page, the API and the export."""

from dataclasses import dataclass

from django.db.models import QuerySet

from zhaoshang.core.errors import NotFound

from . import search
from .filters import SORTS, EnterpriseFilter
from .models import Enterprise


@dataclass
class EnterpriseResults:
    """A filtered, scoped, ordered list. With a query, ``ids`` holds the ranked ids (the order is
    relevance); without one, ``queryset`` is ordered by the chosen column."""

    filterset: EnterpriseFilter
    queryset: QuerySet
    ids: list[int] | None = None

    @property
    def count(self) -> int:
        return len(self.ids) if self.ids is not None else self.queryset.count()

    def page(self, start: int, stop: int) -> list[Enterprise]:
        if self.ids is None:
            return list(self.queryset[start:stop])
        window = self.ids[start:stop]
        rows = self.queryset.in_bulk(window)
        return [rows[pk] for pk in window if pk in rows]

    def iterator(self, chunk: int = 2000):
        if self.ids is None:
            yield from self.queryset.iterator(chunk_size=chunk)
        else:
            for start in range(0, len(self.ids), chunk):
                yield from self.page(start, start + chunk)


def enterprise_list(*, user, filters) -> EnterpriseResults:
    base = Enterprise.objects.restrict(user)
    filterset = EnterpriseFilter(filters, queryset=base, user=user)
    queryset = filterset.qs if filterset.is_valid() else base.none()
    queryset = queryset.select_related("org_unit", "industry").prefetch_related("tags")
    query = (filterset.form.cleaned_data.get("q") or "").strip() if filterset.is_valid() else ""
    sort = filterset.form.cleaned_data.get("sort") if filterset.is_valid() else ""
    if query and not sort:
        return EnterpriseResults(filterset, queryset, search.ranked_ids(query, queryset))
    if query:
        queryset = queryset.filter(pk__in=search.ranked_ids(query, queryset))
    return EnterpriseResults(filterset, queryset.order_by(SORTS.get(sort or "-updated", "-updated_at"), "-id"))


def enterprise_get(*, user, pk: int, action: str = "view") -> Enterprise:
    enterprise = Enterprise.objects.restrict(user, action).filter(pk=pk).select_related("org_unit", "industry").first()
    if enterprise is None:
        raise NotFound()
    return enterprise


def merged_redirect(*, user, pk: int) -> Enterprise | None:
    """If ``pk`` was merged away, the survivor the user may see (following chains of merges)."""
    record = Enterprise.all_objects.filter(pk=pk).only("merged_into_id").first()
    seen = set()
    while record is not None and record.merged_into_id and record.pk not in seen:
        seen.add(record.pk)
        record = Enterprise.all_objects.filter(pk=record.merged_into_id).only("merged_into_id", "deleted_at").first()
    if record is None or record.pk == pk:
        return None
    return Enterprise.objects.restrict(user).filter(pk=record.pk).first()


# --- public reads for other apps ---------------------------------------------------------------------
# What statistics (and any other app) may read of enterprises; they never touch the enterprise model itself.
# (This section's imports sit here so that it merges as a pure append; fold them into the top later.)

from zhaoshang.core.text import normalize_company_name  # noqa: E402


def enterprise_names(ids) -> dict[int, str]:
    """Names by id, deleted and merged enterprises included (for naming figures that refer to them)."""
    return dict(Enterprise.all_objects.filter(pk__in=list(ids)).values_list("pk", "name")) if ids else {}


def visible_enterprise(*, user, pk: int) -> Enterprise | None:
    """The enterprise with this id if it is in the user's scope, else None."""
    return visible_enterprises(user=user).filter(pk=pk).first()


def visible_enterprises(*, user):
    """The enterprises in the user's scope (a queryset to filter further, e.g. ``.filter(pk=…).exists()``)."""
    return Enterprise.objects.restrict(user)


def enterprise_in_region(*, region_id: int, credit_code: str = "", name: str = "") -> Enterprise | None:
    """The region's enterprise with this credit code (when given), else with this name as normalized —
    whoever's scope it is in (the duplicate check of an import)."""
    pool = Enterprise.objects.filter(region_id=region_id)
    if credit_code:
        return pool.filter(credit_code=credit_code).first()
    return pool.filter(normalized_name=normalize_company_name(name)).first()
