"""The one list contract: every list selector returns a ``ListResult``.

A list is a FilterSet (``core.filters.BusinessFilterSet`` subclass) applied to a scoped queryset. The page
(``core.views.generic.ObjectListView``), the API (``api.lists.list_endpoint``), exports and statistics read
the same ``ListResult``, so a filter, an ordering or a page size is declared once, on the FilterSet::

    def dossier_list(*, user, filters) -> ListResult:
        return filtered_list(DossierFilter, Dossier.objects.restrict(user), filters, user=user)

A ``ListResult`` behaves like a sliceable sequence with ``count()`` (Django's ``Paginator`` takes it as
it is). Its rows come from one of three sources, in this order:

- ``ids``: ranked ids (a relevance order computed outside the database ordering, e.g. full-text search);
  a slice loads only the rows of that window;
- ``rows``: a list computed in Python (e.g. leads whose clocks ran out);
- ``queryset``: the filtered, ordered queryset.
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet


@dataclass
class ListResult:
    filterset: Any
    queryset: QuerySet
    ids: list[int] | None = None
    rows: Sequence | None = None
    extra: dict = field(default_factory=dict)  # what a particular list adds (e.g. the query it ranked)
    _count: int | None = field(default=None, init=False, repr=False)

    # Paginator: ordered, count(), slicing.
    ordered = True

    @property
    def is_valid(self) -> bool:
        return self.filterset is None or self.filterset.is_valid()

    @property
    def errors(self) -> dict[str, list[str]]:
        """Per-field messages of an invalid filter (the API answers 422 with them)."""
        if self.is_valid:
            return {}
        return {name: [str(m) for m in messages] for name, messages in self.filterset.errors.items()}

    @property
    def ranked(self) -> bool:
        return self.ids is not None

    def count(self) -> int:
        if self._count is None:
            if self.ids is not None:
                self._count = len(self.ids)
            elif self.rows is not None:
                self._count = len(self.rows)
            else:
                self._count = self.queryset.count()
        return self._count

    def __len__(self) -> int:
        return self.count()

    def page(self, start: int, stop: int) -> list:
        if self.ids is not None:
            window = self.ids[start:stop]
            found = self.queryset.in_bulk(window)
            return [found[pk] for pk in window if pk in found]
        if self.rows is not None:
            return list(self.rows[start:stop])
        return list(self.queryset[start:stop])

    def __getitem__(self, index):
        if isinstance(index, slice):
            return self.page(index.start or 0, index.stop if index.stop is not None else self.count())
        return self.page(index, index + 1)[0]

    def __iter__(self) -> Iterator:
        return self.iterator()

    def iterator(self, chunk: int = 2000) -> Iterator:
        """Every row, a chunk at a time (exports)."""
        if self.ids is None and self.rows is None:
            yield from self.queryset.iterator(chunk_size=chunk)
            return
        for start in range(0, self.count(), chunk):
            yield from self.page(start, start + chunk)


def filtered_list(filterset_class, queryset: QuerySet, filters, *, user, **filterset_kwargs) -> ListResult:
    """Apply ``filterset_class`` to ``queryset`` with the list's ordering. A filter whose value is invalid
    (a stale id in a bookmarked URL) is left out of the page's conditions and shown on the filter form;
    the API answers 422 with ``result.errors`` instead of listing."""
    filterset = filterset_class(filters, queryset=queryset, user=user, **filterset_kwargs)
    return ListResult(filterset, filterset.order(filterset.qs))
