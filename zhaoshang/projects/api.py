from datetime import date
from decimal import Decimal

from ninja import Router, Schema, Status
from pydantic import Field

from zhaoshang.accounts.models import OrgUnit, User
from zhaoshang.api.lists import list_endpoint
from zhaoshang.api.pagination import paginate
from zhaoshang.api.refs import Ref, resolve_refs, user_region
from zhaoshang.api.schemas import ERRORS, ErrorOut, InDate, Page
from zhaoshang.core.errors import NotFound, ValidationFailed
from zhaoshang.core.scope import CHANGE
from zhaoshang.enterprises import selectors as enterprise_selectors

from . import selectors, services
from .filters import ProjectFilter
from .models import KEY_DATES, ChecklistEntry, Project, Stage

router = Router(tags=["项目库"])
stage_router = Router(tags=["项目库"])


class StageOut(Schema):
    id: int
    order: int
    code: str
    name: str
    owner_unit: str | None
    time_limit: int | None
    limit_unit: str
    required_fields: list[str]
    completes_date: str

    @staticmethod
    def resolve_owner_unit(obj) -> str | None:
        return obj.owner_unit.name if obj.owner_unit_id else None


class RunOut(Schema):
    stage: str
    owner_unit: str
    opened_on: date
    due_on: date | None

    @staticmethod
    def resolve_stage(obj) -> str:
        return obj.stage.name

    @staticmethod
    def resolve_owner_unit(obj) -> str:
        return obj.owner_unit.name


class ProjectOut(Schema):
    id: int
    code: str
    name: str
    project_type: str
    grade: str
    stage: str
    light: str
    escalation: int
    warning_reasons: list[str]
    investor_id: int | None
    operating_company_id: int | None
    investor_country: str
    industry: str | None
    total_investment: Decimal | None = Field(description="万元")
    fixed_asset_investment: Decimal | None = Field(description="万元")
    contracted_fdi: Decimal | None = Field(description="万美元")
    land_mu: Decimal | None
    floor_area: Decimal | None
    annual_output: Decimal | None
    annual_tax: Decimal | None
    jobs: int | None
    town_id: int | None
    org_unit_id: int
    lead_leader_id: int | None
    chief_servant_id: int | None
    dates: dict[str, dict[str, date | None]]
    open_stage: RunOut | None
    version: int

    @staticmethod
    def resolve_stage(obj) -> str:
        return obj.stage.name

    @staticmethod
    def resolve_industry(obj) -> str | None:
        return obj.industry.code if obj.industry_id else None

    @staticmethod
    def resolve_dates(obj) -> dict:
        return {
            stem: {"planned": getattr(obj, f"{stem}_planned"), "actual": getattr(obj, f"{stem}_actual")}
            for stem, _ in KEY_DATES
        }

    @staticmethod
    def resolve_open_stage(obj):
        return services.open_run(obj)


class ProjectData(Schema):
    """A project's fields other than its name, type and grade (what a stage may require)."""

    investor_id: int | None = None
    operating_company_id: int | None = None
    investor_country: str = Field("", max_length=40)
    industry: str | None = Field(None, max_length=4)
    total_investment: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    fixed_asset_investment: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    contracted_fdi: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    land_mu: Decimal | None = Field(None, ge=0, max_digits=10, decimal_places=2)
    floor_area: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=2)
    annual_output: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    annual_tax: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    jobs: int | None = Field(None, ge=0, le=1_000_000)
    town_id: int | None = None
    lead_leader_id: int | None = None
    chief_servant_id: int | None = None
    description: str = Field("", max_length=5000)
    first_contact_actual: InDate | None = Field(
        None, description="首次接洽（实际）日期，不填为建档当天；计划日期不能早于它（补录的老项目先填它）"
    )
    first_contact_planned: InDate | None = None
    signed_planned: InDate | None = None
    registered_planned: InDate | None = None
    land_supplied_planned: InDate | None = None
    construction_start_planned: InDate | None = None
    completion_planned: InDate | None = None
    production_planned: InDate | None = None
    full_production_planned: InDate | None = None


class ProjectIn(ProjectData):
    name: str = Field(min_length=1, max_length=200)
    project_type: Project.Type = Project.Type.NEW
    grade: Project.Grade = Project.Grade.B


class ProjectPatch(ProjectIn):
    name: str | None = Field(None, min_length=1, max_length=200)
    project_type: Project.Type | None = None
    grade: Project.Grade | None = None
    version: int


def _resolve_refs(user, data: dict) -> dict:
    """Turn ids and codes into records the user may reference; say which one is wrong otherwise."""
    region = user_region(user)
    return resolve_refs(
        data,
        (
            Ref(key, queryset, f"{label}不存在或不在您的数据范围内")
            for key, queryset, label in (
                ("investor_id", enterprise_selectors.visible_enterprises(user=user), "企业"),
                ("operating_company_id", enterprise_selectors.visible_enterprises(user=user), "企业"),
                ("town_id", OrgUnit.objects.filter(region_id=region, kind__in=["town", "zone"]), "镇街/园区"),
                ("lead_leader_id", User.objects.filter(org_unit__region_id=region, role="leader"), "领导"),
                ("chief_servant_id", User.objects.filter(org_unit__region_id=region), "人员"),
            )
        ),
    )


list_endpoint(
    router,
    selector=selectors.project_list,
    filterset=ProjectFilter,
    out=ProjectOut,
    summary="项目列表",
    name="project_list",
)


@router.get("/warnings", response={200: Page[ProjectOut], **ERRORS}, summary="督办清单（黄灯、红灯项目，最严重的在前）")
def project_warnings(request, page: int = 1, page_size: int = 50):
    return paginate(selectors.supervision_list(user=request.user), page=page, page_size=page_size)


@router.get("/{int:pk}", response={200: ProjectOut, **ERRORS}, summary="项目详情")
def project_get(request, pk: int):
    return selectors.project_get(user=request.user, pk=pk)


@router.post("", response={201: ProjectOut, **ERRORS}, summary="新建项目（进入第一阶段）")
def project_create(request, payload: ProjectIn):
    return Status(201, services.project_create(actor=request.user, data=_resolve_refs(request.user, payload.dict())))


@router.patch("/{int:pk}", response={200: ProjectOut, 409: ErrorOut, **ERRORS}, summary="修改项目（需带 version）")
def project_update(request, pk: int, payload: ProjectPatch):
    project = selectors.project_get(user=request.user, pk=pk, action=CHANGE)
    data = _resolve_refs(request.user, payload.dict(exclude_unset=True, exclude={"version"}))
    return services.project_update(actor=request.user, project=project, data=data, version=payload.version)


class StageFieldsPatch(ProjectData):
    """The fields the open stage requires (only those), by the stage's owner department, the introducing unit
    or a leader. An enterprise the user does not see may be given by name (``*_name``): the region's
    enterprise of that name is used, or it is registered in the user's unit."""

    investor_name: str | None = Field(None, min_length=1, max_length=200)
    operating_company_name: str | None = Field(None, min_length=1, max_length=200)
    version: int


@router.patch(
    "/{int:pk}/stage-fields",
    response={200: ProjectOut, 409: ErrorOut, **ERRORS},
    summary="填写当前阶段要求的资料（阶段责任单位、引进单位或领导；需带 version）",
)
def project_stage_fields(request, pk: int, payload: StageFieldsPatch):
    project = selectors.project_get(user=request.user, pk=pk)
    given = payload.dict(exclude_unset=True, exclude={"version"})
    names = {f"{n}_name": n for n in ("investor", "operating_company")}
    by_name = {names[k]: v for k, v in given.items() if k in names}
    data = _resolve_refs(request.user, {k: v for k, v in given.items() if k not in names})
    return services.project_fill_stage_fields(
        actor=request.user, project=project, data={**data, **by_name}, version=payload.version
    )


class AdvanceIn(Schema):
    to_stage: str | None = Field(None, description="目标阶段编码；省略表示下一阶段")
    reason: str = Field("", max_length=500, description="退回或跳过时必填")


@router.post("/{int:pk}/advance", response={200: ProjectOut, **ERRORS}, summary="办结当前阶段并交棒（或退回、跳过）")
def project_advance(request, pk: int, payload: AdvanceIn):
    project = selectors.project_get(user=request.user, pk=pk)
    to_stage = None
    if payload.to_stage:
        to_stage = Stage.objects.filter(region_id=project.region_id, code=payload.to_stage, is_active=True).first()
        if to_stage is None:
            raise ValidationFailed(fields={"to_stage": [f"阶段“{payload.to_stage}”不存在或未启用"]})
    return services.project_advance(actor=request.user, project=project, to_stage=to_stage, reason=payload.reason)


class ChecklistOut(Schema):
    id: int
    title: str
    owner_unit: str
    required: bool
    needs_attachment: bool = Field(description="须上传附件后才能完成（事项名称含“上传”）")
    done_on: date | None

    @staticmethod
    def resolve_owner_unit(obj) -> str:
        return obj.owner_unit.name


class ChecklistPatch(Schema):
    id: int
    done: bool
    note: str = Field("", max_length=200)


@router.get("/{int:pk}/checklist", response={200: list[ChecklistOut], **ERRORS}, summary="当前阶段清单")
def checklist_get(request, pk: int):
    project = selectors.project_get(user=request.user, pk=pk)
    run = services.open_run(project)
    return list(run.entries.select_related("owner_unit")) if run else []


@router.patch("/{int:pk}/checklist", response={200: ChecklistOut, **ERRORS}, summary="完成或撤销一项清单事项")
def checklist_set(request, pk: int, payload: ChecklistPatch):
    project = selectors.project_get(user=request.user, pk=pk)
    if not ChecklistEntry.objects.filter(pk=payload.id, run__project=project).exists():
        raise NotFound()
    return services.checklist_set(actor=request.user, entry_id=payload.id, done=payload.done, note=payload.note)


class ProblemOut(Schema):
    id: int
    title: str
    owner_unit_id: int
    due_on: date
    status: str
    resolution: str


class ProblemIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    owner_unit_id: int
    due_on: InDate
    description: str = Field("", max_length=5000)


@router.get("/{int:pk}/problems", response={200: list[ProblemOut], **ERRORS}, summary="需协调事项")
def problem_list(request, pk: int):
    return list(selectors.project_get(user=request.user, pk=pk).problems.all())


@router.post("/{int:pk}/problems", response={201: ProblemOut, **ERRORS}, summary="提出需协调事项")
def problem_create(request, pk: int, payload: ProblemIn):
    project = selectors.project_get(user=request.user, pk=pk)
    unit = OrgUnit.objects.filter(pk=payload.owner_unit_id, region_id=project.region_id).first()
    if unit is None:
        raise ValidationFailed(fields={"owner_unit_id": ["请选择本地区的责任单位"]})
    problem = services.problem_raise(
        actor=request.user,
        project=project,
        title=payload.title,
        owner_unit=unit,
        due_on=payload.due_on,
        description=payload.description,
    )
    return Status(201, problem)


@stage_router.get("", response={200: list[StageOut], **ERRORS}, summary="本地区的项目阶段")
def stage_list(request):
    return selectors.stages_for(request.user)


routers = [("/projects", router), ("/stages", stage_router)]
