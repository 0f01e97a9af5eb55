from datetime import datetime

from django.conf import settings
from django.contrib.auth import authenticate
from ninja import Router, Schema
from pydantic import Field

from zhaoshang.api.capabilities import requires, router_requires
from zhaoshang.api.schemas import ERRORS, ErrorOut
from zhaoshang.api.throttles import AddressRateThrottle
from zhaoshang.core.errors import AuthenticationFailed, ValidationFailed
from zhaoshang.core.roles import Role

from . import selectors, services, two_factor

auth_router = Router(tags=["认证"])
me_router = Router(tags=["账号"])
org_router = Router(tags=["组织单位"])


class TokenIn(Schema):
    username: str = Field(min_length=1, max_length=150)
    password: str = Field(min_length=1, max_length=256)
    otp: str | None = Field(default=None, max_length=10, description="动态口令（开启双因素认证的账号必填）")


class TokenOut(Schema):
    token: str
    expires_at: datetime


@auth_router.post(
    "/token",
    auth=None,
    response={200: TokenOut, 401: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    throttle=[AddressRateThrottle(settings.ZHAOSHANG_TOKEN_RATE, scope="token")],
    summary="用户名和密码换取接口令牌",
)
@requires()  # no user yet
def token_create(request, payload: TokenIn):
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None or not user.is_active:
        raise AuthenticationFailed("用户名或密码不正确")
    if two_factor.required_for(user):
        _second_factor(request, user, payload.otp)
    token, record = services.api_token_issue(user=user, name="api")
    return {"token": token, "expires_at": record.expires_at}


def _second_factor(request, user, otp: str | None) -> None:
    """A token of a two-factor role is issued only against a valid code (each code once), like a page login."""
    if two_factor.confirmed_device(user) is None:
        raise AuthenticationFailed("该账号须先在网页登录并绑定身份验证器，才能申请接口令牌")
    if not otp:
        raise AuthenticationFailed("该账号须提供动态口令（otp）", fields={"otp": ["请填写身份验证器上的 6 位动态口令"]})
    try:
        two_factor.check_code(request=request, user=user, code=otp)
    except ValidationFailed as exc:
        raise AuthenticationFailed("动态口令不正确", fields={"otp": exc.fields["code"]}) from exc


class OrgUnitRef(Schema):
    id: int
    name: str
    kind: str
    kind_label: str


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    role: str
    role_label: str
    org_unit: OrgUnitRef | None
    region: OrgUnitRef | None
    capabilities: list[str]


def _unit_ref(unit):
    if unit is None:
        return None
    return {"id": unit.pk, "name": unit.name, "kind": unit.kind, "kind_label": unit.get_kind_display()}


@me_router.get("", response={200: MeOut, **ERRORS}, summary="当前用户")
def me(request):
    user = request.user
    unit = user.org_unit
    return {
        "id": user.pk,
        "username": user.username,
        "full_name": user.full_name,
        "role": user.role,
        "role_label": Role(user.role).label if user.role else "未分配",
        "org_unit": _unit_ref(unit),
        "region": _unit_ref(unit.region if unit else None),
        "capabilities": sorted(user.capabilities),
    }


class ApiTokenOut(Schema):
    id: int
    prefix: str
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


@me_router.get("/tokens", response={200: list[ApiTokenOut], **ERRORS}, summary="我的接口令牌")
def my_tokens(request):
    return list(selectors.api_tokens_of(user=request.user))


@me_router.post("/tokens/{int:pk}/revoke", response={200: ApiTokenOut, **ERRORS}, summary="吊销我的一个接口令牌")
def my_token_revoke(request, pk: int):
    return services.api_token_revoke(actor=request.user, pk=pk)


class OrgUnitOut(Schema):
    id: int
    name: str
    short_name: str
    code: str
    kind: str
    kind_label: str
    parent_id: int | None
    region_id: int | None
    depth: int
    is_active: bool

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return obj.get_kind_display()


@org_router.get("", response={200: list[OrgUnitOut], **ERRORS}, summary="组织单位（本地区，按树的顺序）")
def org_unit_list(request, kind: str | None = None):
    units = selectors.org_unit_tree(actor=request.user)
    if kind:
        units = [u for u in units if u.kind == kind]
    return units


# One's own account and tokens, and the org tree (pickers, the system administrator): every user.
router_requires(me_router)
router_requires(org_router)

routers = [("/auth", auth_router), ("/me", me_router), ("/org-units", org_router)]
