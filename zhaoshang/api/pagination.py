from django.conf import settings
from django.db.models import QuerySet

from zhaoshang.core.errors import ValidationFailed


def paginate(queryset: QuerySet, *, page: int, page_size: int) -> dict:
    """``{count, results}`` for one page (DESIGN.md §6)."""
    limit = settings.ZHAOSHANG_API_PAGE_SIZE_MAX
    fields = {}
    if page < 1:
        fields["page"] = ["页码从 1 开始"]
    if not 1 <= page_size <= limit:
        fields["page_size"] = [f"每页条数应在 1 到 {limit} 之间"]
    if fields:
        raise ValidationFailed(fields=fields)
    start = (page - 1) * page_size
    return {"count": queryset.count(), "results": list(queryset[start : start + page_size])}
