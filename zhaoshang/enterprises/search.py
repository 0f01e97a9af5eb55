"""The enterprise search document and ranked search: exact name > prefix > token matches."""

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from zhaoshang.core.search import Document, SearchIndex, document_tokens
from zhaoshang.core.text import normalize_company_name

INDEX = SearchIndex("search_enterprise")
RESULT_LIMIT = 1000


def tokens_for(enterprise, tag_names: Iterable[str] = ()) -> Document:
    return document_tokens(
        names=[
            enterprise.name,
            enterprise.short_name,
            enterprise.normalized_name,
            enterprise.english_name,
            *enterprise.former_name_list(),
        ],
        texts=[enterprise.business_scope],
        keywords=[*tag_names, enterprise.credit_code.lower()],
    )


def reindex(enterprise_ids: Iterable[int]) -> None:
    """Rebuild the search documents of these enterprises (deleted or merged ones are removed)."""
    from .models import Enterprise

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


def ranked_ids(query: str, within: QuerySet, *, limit: int = RESULT_LIMIT) -> list[int]:
    """Ids in ``within`` matching ``query``: exact names (or credit code) first, then names that start
    with the query, then full-text matches by relevance."""
    query = query.strip()
    if not query:
        return []
    norm = normalize_company_name(query)
    exact = list(within.filter(Q(name=query) | Q(credit_code=query.upper())).values_list("pk", flat=True)[:50])
    if norm:
        exact += list(within.filter(normalized_name=norm).order_by("name").values_list("pk", flat=True)[:50])
    # Range conditions use the B-tree index on both databases (LIKE 'x%' does not on SQLite).
    prefix_q = Q(name__gte=query, name__lt=query + "\uffff")
    if norm:
        prefix_q |= Q(normalized_name__gte=norm, normalized_name__lt=norm + "\uffff")
    prefix = list(within.filter(prefix_q).order_by("name").values_list("pk", flat=True)[:200])
    tokens = INDEX.ranked_ids(query, within, limit=limit)
    if len(query) == 1 and not tokens:
        tokens = list(within.filter(name__contains=query).values_list("pk", flat=True)[:200])
    return list(dict.fromkeys([*exact, *prefix, *tokens]))[:limit]
