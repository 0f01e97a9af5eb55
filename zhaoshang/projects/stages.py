"""The default lifecycle of a county (DOMAIN.md §4), created the first time a county needs it.

Owner departments are found by name inside the county's tree; a stage whose department does not
exist is owned by each project's introducing unit until the administrator sets one.
"""

from django.db import transaction

from zhaoshang.accounts.models import OrgUnit

from .models import ChecklistItem, Stage, WarningRules

# (code, name, owner: "introducer" | "center" | a name fragment of a department, limit, unit,
#  completes date, required fields, advancer, checklist [(title, owner)])
DEFAULT_STAGES = [
    (
        "negotiation",
        "在谈",
        "introducer",
        60,
        "days",
        "",
        [],
        "introducer",
        [("完成项目初步接洽与考察", None), ("形成项目投资意向", None)],
    ),
    (
        "review",
        "研判",
        "center",
        10,
        "workdays",
        "",
        ["industry", "total_investment"],
        "either",
        [
            ("投资强度、亩均税收等指标初审", None),
            ("发改、自然资源、生态环境联审", "发展和改革"),
            ("专家研判意见", None),
        ],
    ),
    (
        "signing",
        "签约",
        "introducer",
        5,
        "workdays",
        "signed",
        ["lead_leader", "chief_servant", "total_investment"],
        "introducer",
        [("登记包保领导", None), ("确定首席服务员", None), ("上传投资协议", None), ("明确各节点期限", None)],
    ),
    (
        "registration",
        "注册",
        "市场监督",
        10,
        "workdays",
        "registered",
        ["operating_company"],
        "owner",
        [("企业名称申报", None), ("营业执照办理（外资企业同步商务信息报告）", None)],
    ),
    (
        "land",
        "供地",
        "自然资源",
        90,
        "days",
        "land_supplied",
        ["land_mu"],
        "owner",
        [("土地出让公告", None), ("签订国有建设用地使用权出让合同", None), ("交地确认", None)],
    ),
    (
        "start",
        "开工",
        "住房和城乡建设",
        20,
        "workdays",
        "construction_start",
        [],
        "owner",
        [("项目备案", "发展和改革"), ("建设工程规划许可", "自然资源"), ("施工许可", None)],
    ),
    (
        "completion",
        "竣工",
        "住房和城乡建设",
        540,
        "days",
        "completion",
        ["floor_area"],
        "owner",
        [("竣工联合验收", None)],
    ),
    ("production", "投产", "经济和信息化", 90, "days", "production", [], "owner", [("投产确认", None)]),
    (
        "full_production",
        "达产",
        "经济和信息化",
        365,
        "days",
        "full_production",
        [],
        "owner",
        [("亩均效益评价", None), ("达产核验", None)],
    ),
]


def _find_unit(region: OrgUnit, owner: str | None) -> OrgUnit | None:
    if owner in (None, "introducer"):
        return None
    units = OrgUnit.objects.filter(region=region)
    if owner == "center":
        return units.filter(kind=OrgUnit.Kind.CENTER).order_by("path").first()
    return units.filter(kind=OrgUnit.Kind.DEPARTMENT, name__contains=owner).order_by("path").first()


@transaction.atomic
def ensure_default_stages(region: OrgUnit) -> list[Stage]:
    """The county's stages, creating the defaults (and default warning rules) if it has none."""
    WarningRules.objects.get_or_create(region=region)
    existing = list(Stage.objects.filter(region=region, is_active=True).order_by("order"))
    if existing or Stage.objects.filter(region=region).exists():
        return existing
    stages = []
    for order, (code, name, owner, limit, unit, completes, required, advancer, items) in enumerate(DEFAULT_STAGES, 1):
        stage = Stage.objects.create(
            region=region,
            order=order,
            code=code,
            name=name,
            owner_unit=_find_unit(region, owner),
            time_limit=limit,
            limit_unit=unit,
            completes_date=completes,
            required_fields=required,
            advancer=advancer,
        )
        for item_order, (title, item_owner) in enumerate(items, 1):
            ChecklistItem.objects.create(
                stage=stage, order=item_order, title=title, owner_unit=_find_unit(region, item_owner)
            )
        stages.append(stage)
    return stages


def rules_for(region_id: int) -> WarningRules:
    rules, _ = WarningRules.objects.get_or_create(region_id=region_id)
    return rules
