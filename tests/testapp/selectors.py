"""Reads: one selector per list (returns a ``ListResult``), one per record (404 outside scope)."""

from zhaoshang.core.errors import NotFound
from zhaoshang.core.lists import ListResult, filtered_list
from zhaoshang.core.scope import VIEW

from .filters import DossierFilter
from .models import Dossier


def dossier_list(*, user, filters) -> ListResult:
    queryset = Dossier.objects.restrict(user).select_related("org_unit")
    return filtered_list(DossierFilter, queryset, filters, user=user)


def dossier_get(*, user, pk: int, action: str = VIEW) -> Dossier:
    dossier = Dossier.objects.restrict(user, action).filter(pk=pk).first()
    if dossier is None:
        raise NotFound()
    return dossier
