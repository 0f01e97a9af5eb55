from decimal import Decimal

from ninja import Router, Schema, Status
from pydantic import Field

from zhaoshang.api.lists import list_endpoint
from zhaoshang.api.schemas import ERRORS, ErrorOut
from zhaoshang.core.scope import CHANGE

from . import selectors, services
from .filters import DossierFilter

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


list_endpoint(
    router,
    selector=selectors.dossier_list,
    filterset=DossierFilter,
    out=DossierOut,
    summary="档案列表",
    name="dossier_list",
)


@router.get("/{int:pk}", response={200: DossierOut, **ERRORS})
def dossier_get(request, pk: int):
    return selectors.dossier_get(user=request.user, pk=pk)


@router.post("", response={201: DossierOut, **ERRORS})
def dossier_create(request, payload: DossierIn):
    return Status(201, services.dossier_create(actor=request.user, data=payload.dict()))


@router.patch("/{int:pk}", response={200: DossierOut, 409: ErrorOut, **ERRORS})
def dossier_update(request, pk: int, payload: DossierPatch):
    dossier = selectors.dossier_get(user=request.user, pk=pk, action=CHANGE)
    data = payload.dict(exclude_unset=True, exclude={"version"})
    return services.dossier_update(actor=request.user, dossier=dossier, data=data, version=payload.version)


routers = [("/test-dossiers", router)]
