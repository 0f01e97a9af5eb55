from decimal import Decimal

from django.http import Http404
from ninja import Router, Schema, Status
from pydantic import Field

from zhaoshang.api.pagination import paginate
from zhaoshang.api.schemas import ERRORS, ErrorOut, Page
from zhaoshang.core import services
from zhaoshang.core.scope import CHANGE

from .models import Dossier

router = Router(tags=["测试档案"])


class DossierOut(Schema):
    id: int
    name: str
    amount: Decimal
    org_unit_id: int
    version: int


class DossierIn(Schema):
    name: str = Field(min_length=1, max_length=100)
    amount: Decimal = Field(default=Decimal("0"), ge=0, max_digits=14, decimal_places=2)


class DossierPatch(Schema):
    name: str | None = Field(default=None, min_length=1, max_length=100)
    amount: Decimal | None = Field(default=None, ge=0, max_digits=14, decimal_places=2)
    version: int


@router.get("", response={200: Page[DossierOut], **ERRORS})
def dossier_list(request, q: str = "", page: int = 1, page_size: int = 50):
    queryset = Dossier.objects.restrict(request.user).order_by("id")
    if q:
        queryset = queryset.filter(name__icontains=q)
    return paginate(queryset, page=page, page_size=page_size)


@router.get("/{int:pk}", response={200: DossierOut, **ERRORS})
def dossier_get(request, pk: int):
    obj = Dossier.objects.restrict(request.user).filter(pk=pk).first()
    if obj is None:
        raise Http404
    return obj


@router.post("", response={201: DossierOut, **ERRORS})
def dossier_create(request, payload: DossierIn):
    return Status(201, services.object_create(model=Dossier, actor=request.user, data=payload.dict()))


@router.patch("/{int:pk}", response={200: DossierOut, 409: ErrorOut, **ERRORS})
def dossier_update(request, pk: int, payload: DossierPatch):
    obj = Dossier.objects.restrict(request.user, CHANGE).filter(pk=pk).first()
    if obj is None:
        raise Http404
    data = payload.dict(exclude_unset=True, exclude={"version"})
    return services.object_update(obj=obj, actor=request.user, data=data, version=payload.version)


routers = [("/test-dossiers", router)]
