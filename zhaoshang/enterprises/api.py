from datetime import date, datetime
from decimal import Decimal

from django.http import Http404
from ninja import Router, Schema, Status
from pydantic import Field

from zhaoshang.api.capabilities import requires
from zhaoshang.api.lists import list_endpoint
from zhaoshang.api.refs import resolve_refs
from zhaoshang.api.schemas import ERRORS, ErrorOut, InDate, Phone
from zhaoshang.core.errors import ValidationFailed
from zhaoshang.core.models import Tag
from zhaoshang.core.roles import Cap
from zhaoshang.core.scope import CHANGE
from zhaoshang.core.text import uscc_errors, uscc_normalize

from . import dedup, selectors, services
from .filters import EnterpriseFilter
from .models import Contact, Enterprise

router = Router(tags=["企业库"])


class IndustryRef(Schema):
    code: str
    name: str


class EnterpriseOut(Schema):
    id: int
    name: str
    credit_code: str
    short_name: str
    former_names: list[str]
    english_name: str
    kind: str
    origin: str
    country: str
    scale: str
    industry: IndustryRef | None
    province: str
    city: str
    address: str
    legal_representative: str
    registered_capital: Decimal | None = Field(description="万元")
    established_on: date | None
    is_historical: bool
    website: str
    business_scope: str
    tags: list[str]
    org_unit_id: int
    org_unit_name: str
    version: int
    updated_at: datetime

    @staticmethod
    def resolve_former_names(obj) -> list[str]:
        return obj.former_name_list()

    @staticmethod
    def resolve_tags(obj) -> list[str]:
        return [t.name for t in obj.tags.all()]

    @staticmethod
    def resolve_org_unit_name(obj) -> str:
        return obj.org_unit.name


class EnterpriseIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    credit_code: str = Field("", max_length=30)
    short_name: str = Field("", max_length=60)
    former_names: list[str] = Field(default_factory=list, max_length=20)
    english_name: str = Field("", max_length=200)
    kind: Enterprise.Kind = Enterprise.Kind.TARGET
    origin: Enterprise.Origin = Enterprise.Origin.DOMESTIC
    country: str = Field("", max_length=40)
    scale: Enterprise.Scale | None = None
    industry: str | None = Field(None, max_length=4, description="GB/T 4754 代码")
    province: str = Field("", max_length=20)
    city: str = Field("", max_length=40)
    address: str = Field("", max_length=200)
    legal_representative: str = Field("", max_length=50)
    registered_capital: Decimal | None = Field(None, ge=0, max_digits=16, decimal_places=2, description="万元")
    established_on: InDate | None = Field(None, description="1949-10-01 以前须同时 is_historical=true")
    is_historical: bool = Field(False, description="历史企业（成立于1949年前）")
    website: str = Field("", max_length=200)
    business_scope: str = Field("", max_length=5000)
    tags: list[str] = Field(default_factory=list, max_length=30)


class EnterprisePatch(Schema):
    version: int
    name: str | None = Field(None, min_length=1, max_length=200)
    credit_code: str | None = Field(None, max_length=30)
    short_name: str | None = Field(None, max_length=60)
    former_names: list[str] | None = Field(None, max_length=20)
    english_name: str | None = Field(None, max_length=200)
    kind: Enterprise.Kind | None = None
    origin: Enterprise.Origin | None = None
    country: str | None = Field(None, max_length=40)
    scale: Enterprise.Scale | None = None
    industry: str | None = Field(None, max_length=4)
    province: str | None = Field(None, max_length=20)
    city: str | None = Field(None, max_length=40)
    address: str | None = Field(None, max_length=200)
    legal_representative: str | None = Field(None, max_length=50)
    registered_capital: Decimal | None = Field(None, ge=0, max_digits=16, decimal_places=2)
    established_on: InDate | None = None
    is_historical: bool | None = None
    website: str | None = Field(None, max_length=200)
    business_scope: str | None = Field(None, max_length=5000)
    tags: list[str] | None = Field(None, max_length=30)


def _model_data(payload: dict) -> tuple[dict, list[Tag] | None]:
    data = dict(payload)
    tags = data.pop("tags", None)
    if "former_names" in data:  # null clears them, like []
        data["former_names"] = "\n".join(n.strip() for n in data["former_names"] or [] if n.strip())
    if "scale" in data and data["scale"] is None:
        data["scale"] = ""
    if "is_historical" in data and data["is_historical"] is None:
        del data["is_historical"]
    data = resolve_refs(data)
    tag_objects = None
    if tags is not None:
        tag_objects = list(Tag.objects.filter(name__in=tags))
        missing = sorted(set(tags) - {t.name for t in tag_objects})
        if missing:
            raise ValidationFailed(fields={"tags": [f"标签不存在：{'、'.join(missing)}"]})
    return data, tag_objects


list_endpoint(
    router,
    selector=selectors.enterprise_list,
    filterset=EnterpriseFilter,
    out=EnterpriseOut,
    summary="企业列表（q 按相关度排序）",
    name="enterprise_list",
)


@router.get("/{int:pk}", response={200: EnterpriseOut, **ERRORS}, summary="企业详情")
def enterprise_get(request, pk: int):
    return selectors.enterprise_get(user=request.user, pk=pk)


@router.post("", response={201: EnterpriseOut, **ERRORS}, summary="新建企业")
def enterprise_create(request, payload: EnterpriseIn):
    data, tags = _model_data(payload.dict())
    return Status(201, services.enterprise_create(actor=request.user, data=data, tags=tags))


@router.patch("/{int:pk}", response={200: EnterpriseOut, 409: ErrorOut, **ERRORS}, summary="修改企业（需带 version）")
def enterprise_update(request, pk: int, payload: EnterprisePatch):
    enterprise = selectors.enterprise_get(user=request.user, pk=pk, action=CHANGE)
    data, tags = _model_data(payload.dict(exclude_unset=True, exclude={"version"}))
    return services.enterprise_update(
        actor=request.user, enterprise=enterprise, data=data, version=payload.version, tags=tags
    )


@router.delete("/{int:pk}", response={204: None, 409: ErrorOut, **ERRORS}, summary="删除企业（可恢复）")
def enterprise_delete(request, pk: int, version: int | None = None):
    enterprise = selectors.enterprise_get(user=request.user, pk=pk, action="delete")
    services.enterprise_delete(actor=request.user, enterprise=enterprise, version=version)
    return Status(204, None)


class ContactOut(Schema):
    id: int
    name: str
    title: str
    phone: str = Field(description="掩码显示，如 138****5678")
    email: str
    wechat: str
    version: int

    @staticmethod
    def resolve_phone(obj) -> str:
        return obj.phone_masked


class ContactIn(Schema):
    name: str = Field(min_length=1, max_length=50)
    title: str = Field("", max_length=60)
    phone: Phone = Field("", max_length=30, description="手机或带区号的固定电话，保存为规范写法")
    email: str = Field("", max_length=254)
    wechat: str = Field("", max_length=60)
    note: str = Field("", max_length=200)


@router.get("/{int:pk}/contacts", response={200: list[ContactOut], **ERRORS}, summary="联系人（电话为掩码）")
def contact_list(request, pk: int):
    enterprise = selectors.enterprise_get(user=request.user, pk=pk)
    return list(Contact.objects.restrict(request.user).filter(enterprise=enterprise))


@router.post("/{int:pk}/contacts", response={201: ContactOut, **ERRORS}, summary="添加联系人")
def contact_create(request, pk: int, payload: ContactIn):
    enterprise = selectors.enterprise_get(user=request.user, pk=pk, action=CHANGE)
    return Status(201, services.contact_create(actor=request.user, enterprise=enterprise, data=payload.dict()))


class RevealOut(Schema):
    phone: str


@router.post(
    "/contacts/{int:contact_id}/reveal",
    response={200: RevealOut, **ERRORS},
    summary="查看完整电话（需相应权限，记入审计）",
)
@requires(Cap.BUSINESS_VIEW)  # the service decides who may reveal (and audits refusals too)
def contact_reveal(request, contact_id: int):
    return {"phone": services.contact_reveal_phone(actor=request.user, contact_id=contact_id, request=request)}


class CandidateOut(Schema):
    id: int
    name: str
    score: int
    reason: str
    owner_unit: str
    visible: bool


@router.get("/{int:pk}/duplicates", response={200: list[CandidateOut], **ERRORS}, summary="疑似重复的企业")
def enterprise_duplicates(request, pk: int):
    enterprise = selectors.enterprise_get(user=request.user, pk=pk)
    return dedup.find_candidates(
        region_id=enterprise.region_id,
        name=enterprise.name,
        credit_code=enterprise.credit_code,
        exclude_id=enterprise.pk,
        user=request.user,
    )


class CheckIn(Schema):
    name: str | None = Field(None, max_length=200)
    credit_code: str | None = Field(None, max_length=30)


class CheckError(Schema):
    field: str
    message: str


class CheckOut(Schema):
    valid: bool
    errors: list[CheckError]
    candidates: list[CandidateOut]


@router.post("/check", response={200: CheckOut, **ERRORS}, summary="录入前检查：信用代码与疑似重复")
def enterprise_check(request, payload: CheckIn):
    errors = []
    code = uscc_normalize(payload.credit_code or "")
    if code:
        errors += [{"field": "credit_code", "message": m} for m in uscc_errors(code)]
    if payload.name is not None and not payload.name.strip():
        errors.append({"field": "name", "message": "企业名称不能为空"})
    candidates = []
    if request.user.org_unit_id and ((payload.name or "").strip() or code):
        candidates = dedup.find_candidates(
            region_id=request.user.org_unit.region_id, name=payload.name or "", credit_code=code, user=request.user
        )
    return {"valid": not errors, "errors": errors, "candidates": candidates}


class MergeIn(Schema):
    other_id: int = Field(description="被合并（将被删除并跳转）的企业")
    fields: dict[str, str] = Field(
        default_factory=dict, description="字段 → survivor 或 merged；未列出的取保留企业的值"
    )
    version: int | None = Field(None, description="保留企业的版本号")


class MergeOut(Schema):
    id: int
    survivor_id: int
    merged_id: int


@router.post("/{int:pk}/merge", response={200: MergeOut, 409: ErrorOut, **ERRORS}, summary="把另一家企业合并到本企业")
def enterprise_merge(request, pk: int, payload: MergeIn):
    survivor = selectors.enterprise_get(user=request.user, pk=pk, action=CHANGE)
    try:
        merged = selectors.enterprise_get(user=request.user, pk=payload.other_id, action=CHANGE)
    except Exception as exc:
        raise Http404 from exc
    return services.enterprise_merge(
        actor=request.user,
        survivor=survivor,
        merged=merged,
        field_choices=payload.fields,
        survivor_version=payload.version,
    )


routers = [("/enterprises", router)]
