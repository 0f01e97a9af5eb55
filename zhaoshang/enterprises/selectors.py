"""Reads of the enterprise library: one selector for the page, the API and the export."""

from decimal import Decimal

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q

from zhaoshang.core.errors import NotFound
from zhaoshang.core.lists import ListResult, filtered_list
from zhaoshang.core.models import Industry
from zhaoshang.core.scope import VIEW
from zhaoshang.core.text import normalize_company_name

from . import search
from .filters import EnterpriseFilter
from .models import Enterprise, Signal


def enterprise_list(*, user, filters) -> ListResult:
    """The filtered, scoped list. With a query (``q``) and no chosen sort, ``ids`` holds the ranked ids (the
    order is relevance); with a sort, the matches are ordered by it; without a query, by the list's ordering.
    ``extra["query"]`` is the query searched."""
    queryset = Enterprise.objects.restrict(user).select_related("org_unit", "industry").prefetch_related("tags")
    result = filtered_list(EnterpriseFilter, queryset, filters, user=user)
    query = (result.filterset.form.cleaned_data.get("q") or "").strip()  # the valid filters' values
    if not query:
        return result
    filterset = result.filterset
    ranked = search.ranked_ids(query, filterset.qs)
    if filterset.form.cleaned_data.get("sort"):
        return ListResult(filterset, result.queryset.filter(pk__in=ranked), extra={"query": query})
    return ListResult(filterset, filterset.qs, ids=ranked, extra={"query": query})


def enterprise_get(*, user, pk: int, action: str = VIEW) -> Enterprise:
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


def enterprise_names(ids) -> dict[int, str]:
    """Names by id, deleted and merged enterprises included (for naming figures that refer to them)."""
    return dict(Enterprise.all_objects.filter(pk__in=list(ids)).values_list("pk", "name")) if ids else {}


def visible_enterprise(*, user, pk: int) -> Enterprise | None:
    """The enterprise with this id if it is in the user's scope, else None."""
    return visible_enterprises(user=user).filter(pk=pk).first()


def visible_enterprises(*, user):
    """The enterprises in the user's scope (a queryset to filter further, e.g. ``.filter(pk=…).exists()``)."""
    return Enterprise.objects.restrict(user)


def enterprise_choices(*, user):
    """The enterprises the user may pick in a form (investor, operating company …), by name; none without a
    user."""
    return visible_enterprises(user=user).order_by("name")


def region_enterprise_names(*, region_id: int, limit: int) -> list[tuple[str, str]]:
    """(name, short name) of up to ``limit`` of the region's enterprises, whoever's scope they are in (the
    words a lead's text is matched against)."""
    return list(Enterprise.objects.filter(region_id=region_id).values_list("name", "short_name")[:limit])


def enterprise_in_region(*, region_id: int, credit_code: str = "", name: str = "") -> Enterprise | None:
    """The region's enterprise with this credit code (when given), else with this name as normalized —
    whoever's scope it is in (the duplicate check of an import)."""
    pool = Enterprise.objects.filter(region_id=region_id)
    if credit_code:
        return pool.filter(credit_code=credit_code).first()
    return pool.filter(normalized_name=normalize_company_name(name)).first()


def _policy_pool(region_id: int, industry_prefixes: list[str] | None, tags_all: tuple[str, ...]):
    found = Enterprise.objects.filter(region_id=region_id)
    if industry_prefixes is not None:
        starts = Q(pk__in=[])
        for prefix in industry_prefixes:
            starts |= Q(code__startswith=prefix)
        found = found.filter(industry__in=Industry.objects.filter(starts).values("pk"))
    links = Enterprise.tags.through.objects
    for tag in tags_all:
        found = found.filter(Exists(links.filter(enterprise_id=OuterRef("pk"), tag__name=tag)))
    return found


def _tagged(found, tagged: bool | None):
    if tagged is None:
        return found
    any_tag = Exists(Enterprise.tags.through.objects.filter(enterprise_id=OuterRef("pk")))
    return found.filter(any_tag) if tagged else found.exclude(any_tag)


def policy_facts(
    *,
    region_id: int,
    after_id: int = 0,
    limit: int = 5000,
    industry_prefixes: list[str] | None = None,
    tags_all: tuple[str, ...] = (),
    tagged: bool | None = None,
) -> list[tuple[int, str, int, str, list[str]]]:
    """(id, name, org unit id, industry code, tag names) of the region's enterprises with id > ``after_id``, in
    id order, ``limit`` at a time — whoever's scope they are in (政策's precise pushing reads them in batches:
    two queries a batch). ``industry_prefixes`` keeps those whose industry code starts with one of them (on
    SQLite ignoring case: a superset), ``tags_all`` those carrying every named tag: the push's candidates;
    ``tagged`` (True/False) only those with at least one tag / with none."""
    found = _tagged(_policy_pool(region_id, industry_prefixes, tags_all).filter(pk__gt=after_id), tagged)
    rows = list(found.order_by("pk").values_list("pk", "name", "org_unit_id", "industry__code")[:limit])
    tags: dict[int, list[str]] = {}
    if rows:
        through = Enterprise.tags.through.objects.filter(enterprise_id__in=[r[0] for r in rows])
        for enterprise_id, name in through.values_list("enterprise_id", "tag__name"):
            tags.setdefault(enterprise_id, []).append(name)
    return [(pk, name, unit, code or "", tags.get(pk, [])) for pk, name, unit, code in rows]


def policy_fact_groups(*, region_id: int, industry_prefixes: list[str] | None = None) -> list[tuple[str, int, int]]:
    """The region's enterprises without any tag, grouped by what the push can know of them: (industry code or
    "", org unit id, count) — one aggregate query, so a condition is evaluated once per industry
    instead of once per enterprise (the tagged ones are read with ``policy_facts(tagged=True)``)."""
    found = _tagged(_policy_pool(region_id, industry_prefixes, ()), False)
    rows = found.values_list("industry__code", "org_unit_id").annotate(n=Count("pk"))
    return [(code or "", unit, n) for code, unit, n in rows.order_by()]


def policy_fact_ids(*, region_id: int, industry_codes, limit: int) -> list[tuple[int, str]]:
    """(id, name) of the first ``limit`` enterprises without a tag whose industry code is one of
    ``industry_codes`` ("" for none), by id: the push's shown matches among the grouped ones."""
    codes = [c for c in industry_codes if c]
    match = Q(industry__code__in=codes)
    if "" in industry_codes:
        match |= Q(industry__isnull=True)
    found = _tagged(Enterprise.objects.filter(region_id=region_id).filter(match), False)
    return list(found.order_by("pk").values_list("pk", "name")[:limit])


def enterprise_texts(*, region_id: int, ids=None, after_id: int = 0, limit: int | None = None) -> list[tuple]:
    """(id, name, business scope, industry class code or "") of the region's live enterprises, by id — the input of
    the chain classifier (``ids`` for some, else those after ``after_id``, ``limit`` at a time)."""
    rows = Enterprise.objects.filter(region_id=region_id, merged_into__isnull=True)
    rows = rows.filter(pk__in=list(ids)) if ids is not None else rows.filter(pk__gt=after_id)
    rows = rows.order_by("pk").values_list("pk", "name", "business_scope", "industry__code")
    return [(pk, name, scope, code or "") for pk, name, scope, code in (rows[:limit] if limit else rows)]


def enterprise_profiles(*, ids, tags: bool = True) -> dict[int, dict]:
    """What the chain map weighs of live enterprises, by id: name, kind, unit, capital (万元), scale, origin, place,
    tags (names) and the subject's region (two queries; one without ``tags``: then ``tags`` is empty)."""
    ids = list(ids)
    if not ids:
        return {}
    fields = (
        "pk",
        "name",
        "kind",
        "org_unit_id",
        "region_id",
        "registered_capital",
        "scale",
        "origin",
        "country",
        "province",
        "city",
        "established_on",
        "credit_code",
    )
    profiles = {
        row[0]: dict(zip(fields, row, strict=True)) | {"tags": []}
        for row in Enterprise.objects.filter(pk__in=ids).values_list(*fields).iterator(chunk_size=5000)
    }
    if not tags:
        return profiles
    for pk, tag in Enterprise.tags.through.objects.filter(enterprise_id__in=list(profiles)).values_list(
        "enterprise_id", "tag__name"
    ):
        profiles[pk]["tags"].append(tag)
    return profiles


# size: one aggregate statement over the chain's (group, enterprise) pairs, its columns spelled out
def local_totals_by_group(
    *,
    region_id: int,
    pairs,
    large_scales,
    foreign_origins,
    key_tags,
    groups=("g",),
    unit_ids=(),
) -> dict[object, dict]:
    """Totals of the region's live local enterprises grouped by a key, computed in the database (one query):
    ``pairs`` is a queryset of ``values("eid", *groups)``: an enterprise id and the group keys it counts in
    (columns named in ``groups``, each may be NULL; duplicates allowed: an enterprise counts once per group) — one
    row per link with, say, its node and the node's ancestors, so the links are read once. Per group:
    ``enterprises``, ``capital`` (万元), ``large`` (scale in
    ``large_scales``), ``tagged`` (a tag in ``key_tags``), ``large_or_tagged``, ``fdi`` (origin in
    ``foreign_origins``); with ``unit_ids`` the same again as ``town_*`` for the enterprises owned by those units.
    What the chain map counts per node without reading each enterprise (``enterprise_profiles`` is the panel's)."""
    pairs_sql, pairs_params = pairs.query.sql_with_params()
    groups = list(groups)
    for name in groups:
        if not name.isidentifier():
            raise ValueError(f"group column {name!r}")
    # each row once per group column: k picks the column (a constant table of 0 … n-1)
    ks = " UNION ALL ".join(f"SELECT {n} AS k" for n in range(len(groups)))
    spread = "CASE k.k " + " ".join(f"WHEN {n} THEN p.{name}" for n, name in enumerate(groups)) + " END"
    table = connection.ops.quote_name(Enterprise._meta.db_table)
    through = Enterprise.tags.through
    through_table = connection.ops.quote_name(through._meta.db_table)
    tag_table = connection.ops.quote_name(through._meta.get_field("tag").related_model._meta.db_table)

    def marks(values) -> str:
        return ", ".join(["%s"] * len(values)) or "NULL"

    large_scales, foreign_origins, key_tags, unit_ids = (
        list(large_scales),
        list(foreign_origins),
        list(key_tags),
        list(unit_ids),
    )
    names = ["enterprises", "capital", "large", "tagged", "large_or_tagged", "fdi"]
    flags = ["x.is_large", "x.is_tagged", "(x.is_large OR x.is_tagged)", "x.is_fdi"]

    def block(condition: str) -> list[str]:
        return [
            f"SUM(CASE WHEN {condition} THEN 1 ELSE 0 END)",
            f"COALESCE(SUM(CASE WHEN {condition} THEN x.cap ELSE 0 END), 0)",
            *(f"SUM(CASE WHEN {condition} AND {flag} THEN 1 ELSE 0 END)" for flag in flags),
        ]

    columns = block("1 = 1") + (block("x.in_units") if unit_ids else [])
    # the names are the models' tables and this module's own words; every value is a parameter
    sql = f"""
        SELECT x.g, {", ".join(columns)}
        FROM (
            SELECT d.g AS g,
                   e.registered_capital AS cap,
                   CASE WHEN e.scale IN ({marks(large_scales)}) THEN 1 ELSE 0 END = 1 AS is_large,
                   CASE WHEN e.origin IN ({marks(foreign_origins)}) THEN 1 ELSE 0 END = 1 AS is_fdi,
                   CASE WHEN e.org_unit_id IN ({marks(unit_ids)}) THEN 1 ELSE 0 END = 1 AS in_units,
                   EXISTS (
                       SELECT 1 FROM {through_table} et JOIN {tag_table} t ON t.id = et.tag_id
                       WHERE et.enterprise_id = e.id AND t.name IN ({marks(key_tags)})
                   ) AS is_tagged
            FROM (SELECT DISTINCT {spread} AS g, p.eid AS eid FROM ({pairs_sql}) p CROSS JOIN ({ks}) k) d
            JOIN {table} e ON e.id = d.eid
            WHERE d.g IS NOT NULL AND e.region_id = %s AND e.kind = %s
              AND e.merged_into_id IS NULL AND e.deleted_at IS NULL
        ) x
        GROUP BY x.g
    """  # noqa: S608
    params = [*large_scales, *foreign_origins, *unit_ids, *key_tags, *pairs_params, region_id, Enterprise.Kind.LOCAL]
    out: dict[object, dict] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for row in cursor.fetchall():
            values = list(row[1:])
            total = dict(zip(names, values[: len(names)], strict=True))
            if unit_ids:
                total |= {f"town_{k}": v for k, v in zip(names, values[len(names) :], strict=True)}
            for key in ("capital", "town_capital"):
                if key in total:
                    total[key] = Decimal(str(total[key] or 0))
            out[row[0]] = {k: (v if isinstance(v, Decimal) else int(v or 0)) for k, v in total.items()}
    return out


def region_enterprise_ids(*, region_id: int, kind: str | None = None):
    """The ids of the region's live enterprises (of one kind), as a subquery to filter other tables by."""
    rows = Enterprise.objects.filter(region_id=region_id, merged_into__isnull=True)
    return (rows.filter(kind=kind) if kind else rows).values("pk")


def enterprise_signal_rows(*, ids, before=None) -> list[tuple[int, str, object, object]]:
    """(enterprise id, kind, date, amount 万元) of the enterprises' signals, before a day when given."""
    rows = Signal.objects.filter(enterprise_id__in=list(ids))
    if before is not None:
        rows = rows.filter(occurred_on__lt=before)
    return list(rows.values_list("enterprise_id", "kind", "occurred_on", "amount"))
