"""The default lifecycle of a county (DOMAIN.md §4), created the first time a county needs it.

Owner departments are found by name inside the county's tree; a stage whose department does not
exist is owned by each project's introducing unit until the administrator sets one. The rows are
written by ``services.config``; ``ensure_default_stages`` and ``rules_for`` stay here for their callers.
"""

from zhaoshang.accounts.models import OrgUnit

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


def find_unit(region: OrgUnit, owner: str | None) -> OrgUnit | None:
    if owner in (None, "introducer"):
        return None
    units = OrgUnit.objects.filter(region=region)
    if owner == "center":
        return units.filter(kind=OrgUnit.Kind.CENTER).order_by("path").first()
    return units.filter(kind=OrgUnit.Kind.DEPARTMENT, name__contains=owner).order_by("path").first()


def ensure_default_stages(region: OrgUnit):
    """The county's stages, creating the defaults if it has none (written by ``services.config``)."""
    from .services.config import ensure_default_stages as ensure  # cycle: services.config imports this module

    return ensure(region)


def rules_for(region_id: int):
    """The county's warning rules, created with the defaults on first use (``services.config``)."""
    from .services.config import rules_for as rules  # cycle: services.config imports this module

    return rules(region_id)
