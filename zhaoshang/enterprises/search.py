"""The enterprise search document and ranked search: exact name > prefix > token matches."""

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from zhaoshang.core.search import Document, Fields, SearchIndex, document_tokens, parse_query
from zhaoshang.core.text import has_organisation_form, normalize_company_name

from .models import Enterprise

INDEX = SearchIndex("search_enterprise")
PREFIX_WINDOW = 1000  # names starting with the query, looked at before the scope check
RESULT_LIMIT = 1000


def document_fields(enterprise, tag_names: Iterable[str] = ()) -> Fields:
    """What an enterprise's search document is made of: (names, texts, keywords, inner names) for
    ``document_tokens``. The inner names, searched inside by pinyin, are the names without region and
    organisation form (字号 and industry: 某某新材料), so that a name's 有限公司 (youxiangongsi) is not one."""
    # Read from the field, not ``former_name_list``: the migrations that rebuild documents pass historical models.
    former = [line.strip() for line in enterprise.former_names.splitlines() if line.strip()]
    return (
        [enterprise.name, enterprise.short_name, enterprise.normalized_name, enterprise.english_name, *former],
        [enterprise.business_scope],
        [*tag_names, enterprise.credit_code.lower()],
        [
            n
            for n in dict.fromkeys(
                [enterprise.normalized_name, *map(normalize_company_name, [enterprise.short_name, *former])]
            )
            if n
        ],
    )


def tokens_for(enterprise, tag_names: Iterable[str] = ()) -> Document:
    names, texts, keywords, inner = document_fields(enterprise, tag_names)
    return document_tokens(names=names, texts=texts, keywords=keywords, inner_names=inner)


def reindex(enterprise_ids: Iterable[int]) -> None:
    """Rebuild the search documents of these enterprises (deleted or merged ones are removed)."""
    ids = list(enterprise_ids)
    live = Enterprise.all_objects.filter(pk__in=ids).prefetch_related("tags")
    items, seen = [], set()
    for enterprise in live:
        if enterprise.deleted_at is None:
            items.append((enterprise.pk, tokens_for(enterprise, [t.name for t in enterprise.tags.all()])))
            seen.add(enterprise.pk)
    INDEX.index_many(items)
    for pk in set(ids) - seen:
        INDEX.remove(pk)


def reindex_all(live: QuerySet, chunk: int = 2000) -> int:
    """Rebuild the search document of every enterprise in ``live`` (after a change of what a document holds; the
    migrations that do so pass their historical model's live rows). Returns how many were written."""
    ids = list(live.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), chunk):
        rows = live.filter(pk__in=ids[start : start + chunk]).prefetch_related("tags")
        INDEX.index_many([(e.pk, tokens_for(e, [t.name for t in e.tags.all()])) for e in rows])
    return len(ids)


def index_enterprises(items: Iterable[tuple], *, new: bool = False) -> None:
    """Write the search documents of enterprises already in memory, given as (enterprise, tag names) pairs
    (imports: no second read of the rows just written). ``new``: none of them is indexed yet."""
    INDEX.index_many(((enterprise.pk, tokens_for(enterprise, tag_names)) for enterprise, tag_names in items), new=new)


def ranked_ids(query: str, within: QuerySet, *, limit: int = RESULT_LIMIT) -> list[int]:
    """Ids in ``within`` matching ``query``: exact names (or credit code) first, then names that start
    with the query, then full-text matches by relevance."""
    query = query.strip()
    if not query:
        return []
    norm = normalize_company_name(query)
    # Exact and prefix candidates come from the name indexes over the whole table, then the scope is
    # checked by primary key: combined with the scope's conditions in one query, the planner may walk
    # the region's million rows instead (without fresh statistics it does, on SQLite).
    every = within.model.all_objects
    exact = list(every.filter(Q(name=query) | Q(credit_code=query.upper())).values_list("pk", flat=True)[:50])
    if norm:
        exact += list(every.filter(normalized_name=norm).order_by("name").values_list("pk", flat=True)[:50])
    # Range conditions use the B-tree index on both databases (LIKE 'x%' does not on SQLite).
    named = list(
        every.filter(name__gte=query, name__lt=query + "\uffff")
        .order_by("name")
        .values_list("pk", "name")[:PREFIX_WINDOW]
    )
    if norm:
        named += (
            every.filter(normalized_name__gte=norm, normalized_name__lt=norm + "\uffff")
            .order_by("normalized_name")
            .values_list("pk", "name")[:PREFIX_WINDOW]
        )
    prefix = [pk for pk, _ in sorted(set(named), key=lambda row: (row[1], row[0]))]
    candidates = list(dict.fromkeys([*exact, *prefix]))
    allowed = set(within.filter(pk__in=candidates).values_list("pk", flat=True)) if candidates else set()
    exact = [pk for pk in exact if pk in allowed]
    prefix = [pk for pk in prefix if pk in allowed][:200]
    tokens = INDEX.ranked_ids(full_text_query(query, norm), within, limit=limit)
    if len(query) == 1 and not tokens:
        tokens = list(within.filter(name__contains=query).values_list("pk", flat=True)[:200])
    return list(dict.fromkeys([*exact, *prefix, *tokens]))[:limit]


def full_text_query(query: str, norm: str):
    """What the full-text tier searches for. A full company name (浙江万安科技股份有限公司) is searched by its
    normalised name (万安科技): the region and organisation-form bigrams (浙江, 有限, 公司 …) occur in most
    names, so they would not narrow the matches but would make ranking read their whole posting lists; the
    exact and prefix tiers still compare the name as typed."""
    if norm and has_organisation_form(query):
        parsed = parse_query(norm)
        if not parsed.empty:
            return parsed
    return query
