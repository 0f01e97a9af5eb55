from collections.abc import Callable

from django.conf import settings
from django.db.models import QuerySet

from zhaoshang.core.errors import ValidationFailed


def _check(page: int, page_size: int) -> None:
    limit = settings.ZHAOSHANG_API_PAGE_SIZE_MAX
    fields = {}
    if page < 1:
        fields["page"] = ["页码从 1 开始"]
    if not 1 <= page_size <= limit:
        fields["page_size"] = [f"每页条数应在 1 到 {limit} 之间"]
    if fields:
        raise ValidationFailed(fields=fields)


def paginate(queryset: QuerySet, *, page: int, page_size: int) -> dict:
    """``{count, results}`` for one page of a queryset (DESIGN.md §6)."""
    _check(page, page_size)
    start = (page - 1) * page_size
    return {"count": queryset.count(), "results": list(queryset[start : start + page_size])}


def paginate_list(count: int, fetch: Callable[[int, int], list], *, page: int, page_size: int) -> dict:
    """The same for results that are not a plain queryset (ranked search): ``fetch(start, stop)``."""
    _check(page, page_size)
    start = (page - 1) * page_size
    return {"count": count, "results": fetch(start, start + page_size)}
