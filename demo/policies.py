"""Demo policy library (示例条款、以正式文件为准): the structure of 绍兴市 绍政办发〔2022〕11号's rewards for
high-quality foreign investment, a "1+9"-style county industrial policy and the center's special policies for
智能视觉, 航空航天 and 新能源汽车 — with plausible sample terms, not the real texts (the county loads those).
Also a foreign 智能视觉 project that meets some clauses and misses others by one condition, and a signed
project whose agreed terms have opened a 兑现 item for 经信局. Idempotent."""

from datetime import date
from decimal import Decimal

from django.db import transaction

from zhaoshang.accounts.models import OrgUnit, User
from zhaoshang.core.models import Industry
from zhaoshang.policies import services
from zhaoshang.policies.models import Clause, Commitment, Policy
from zhaoshang.projects import services as project_services
from zhaoshang.projects.models import Project

NOTE = "（示例条款、以正式文件为准）"
FOREIGN = ["new", "capital_increase", "merger", "reinvestment", "joint_venture"]


def _gte(var, value):
    return {">=": [{"var": var}, value]}


def _ex(expected, **inputs):
    return {"name": f"示例：{expected}", "inputs": inputs, "expected": str(expected)}


# (policy, [clauses]); a clause: article, title, condition parts, formula, extra fields, examples
POLICIES = [
    (
        {
            "number": "绍政办发〔2022〕11号",
            "title": "绍兴市关于促进外资高质量发展的若干政策（示例）",
            "issuer": "绍兴市人民政府办公室",
            "level": "city",
            "effective_from": date(2022, 5, 1),
            "summary": "八方面政策，其中高质量外资奖励含财政支持、全球招商、项目要素保障、信贷融资支持。" + NOTE,
            "dept": "zhuji-swj",
        },
        [
            (
                "第一条",
                "外资大项目财政奖励",
                [_gte("foreign_actual_usd", 1000), {"in": [{"var": "project_type"}, FOREIGN]}],
                "foreign_actual_usd * 0.1",
                {"cap": "2000", "exclusivity_group": "外资到资奖励"},
                [
                    _ex(300, foreign_actual_usd=3000, project_type="new"),
                    _ex("不适用", foreign_actual_usd=800, project_type="new"),
                ],
            ),
            (
                "第二条",
                "世界500强外资项目奖励",
                [{"in": ["世界500强", {"var": "tags"}]}, _gte("foreign_actual_usd", 3000)],
                "500",
                {"exclusivity_group": "外资到资奖励"},
                [_ex(500, foreign_actual_usd=5000, tags="世界500强")],
            ),
            (
                "第三条",
                "外资利润再投资奖励",
                [{"==": [{"var": "project_type"}, "reinvestment"]}, _gte("foreign_actual_usd", 500)],
                "foreign_actual_usd * 0.05",
                {"cap": "300"},
                [_ex(50, foreign_actual_usd=1000, project_type="reinvestment")],
            ),
            (
                "第四条",
                "外资项目信贷融资贴息",
                [_gte("investment", 50000), _gte("foreign_actual_usd", 1000)],
                "min(investment * 0.002, 200)",
                {"installments": 2, "timing": "yearly"},
                [_ex(120, investment=60000, foreign_actual_usd=2000)],
            ),
        ],
    ),
    (
        {
            "number": "诸政发〔2023〕9号",
            "title": "诸暨市推进制造业高质量发展“1+9”产业政策（示例）",
            "issuer": "诸暨市人民政府",
            "level": "county",
            "effective_from": date(2023, 1, 1),
            "summary": "“1”为总体意见，“9”为工业投资、亩均效益、人才、科技等配套政策。" + NOTE,
            "dept": "zhuji-jxj",
        },
        [
            (
                "第五条",
                "工业投资设备补助",
                [_gte("fixed_asset_investment", 10000), {"industry_in": [{"var": "industry"}, ["3"]]}],
                "fixed_asset_investment * 0.03",
                {"cap": "1000", "exclusivity_group": "设备投资补助", "timing": "production", "installments": 3},
                [_ex(900, fixed_asset_investment=30000, industry="3670")],
            ),
            (
                "第六条",
                "亩均效益领跑奖励",
                [_gte("tax_per_mu", 30), _gte("land_mu", 30)],
                "land_mu * 1",
                {"cap": "300", "timing": "full_production"},
                [_ex(80, tax_per_mu=35, land_mu=80)],
            ),
            (
                "第七条",
                "新增就业奖励",
                [_gte("employees", 300)],
                "min(employees * 0.1, 100)",
                {"timing": "full_production"},
                [_ex(60, employees=600)],
            ),
        ],
    ),
    (
        {
            "number": "诸投促〔2024〕3号",
            "title": "诸暨市智能视觉、航空航天、新能源汽车产业专项激励政策（示例）",
            "issuer": "诸暨市招商投资促进中心",
            "level": "county",
            "effective_from": date(2024, 3, 1),
            "summary": "三条战略性产业链的专项激励，用地、资金向外资项目倾斜。" + NOTE,
            "dept": "zhuji-jxj",
        },
        [
            (
                "第一条",
                "智能视觉项目设备投资奖励",
                [{"industry_in": [{"var": "industry"}, ["3976", "3971", "3473"]]}, _gte("investment", 10000)],
                "investment * 0.025",
                {"cap": "2000", "exclusivity_group": "设备投资补助", "timing": "production"},
                [_ex(1250, industry="3976", investment=50000)],
            ),
            (
                "第二条",
                "航空航天项目设备投资奖励",
                [{"industry_in": [{"var": "industry"}, ["374"]]}, _gte("fixed_asset_investment", 10000)],
                "fixed_asset_investment * 0.04",
                {"cap": "3000", "exclusivity_group": "设备投资补助", "timing": "production"},
                [_ex(1200, industry="3744", fixed_asset_investment=30000)],
            ),
            (
                "第三条",
                "新能源汽车项目设备投资奖励",
                [{"industry_in": [{"var": "industry"}, ["367", "384", "361"]]}, _gte("fixed_asset_investment", 10000)],
                "fixed_asset_investment * 0.035",
                {"cap": "2500", "exclusivity_group": "设备投资补助", "timing": "production"},
                [_ex(1050, industry="3670", fixed_asset_investment=30000)],
            ),
            (
                "第四条",
                "外资项目用地倾斜奖励",
                [_gte("foreign_actual_usd", 1000), _gte("intensity", 300)],
                "land_mu * 2",
                {"cap": "400", "timing": "signing"},
                [_ex(160, foreign_actual_usd=2000, intensity=400, land_mu=80)],
            ),
        ],
    ),
]

DEMO_PROJECT = "德方精密光学智能视觉外资项目（示例）"


@transaction.atomic
def seed_policies() -> int:
    region = OrgUnit.objects.get(code="zhuji")
    if Policy.all_objects.filter(region=region).exists():
        return 0
    center = User.objects.get(username="center")
    units = {u.code: u for u in OrgUnit.objects.filter(region=region)}
    created = 0
    for policy_data, clauses in POLICIES:
        data = dict(policy_data)
        dept = units.get(data.pop("dept"))
        policy = services.policy_create(
            actor=center, data={**data, "status": Policy.Status.CURRENT, "department": dept}
        )
        for article, title, parts, formula, extra, examples in clauses:
            clause = services.clause_create(
                actor=center,
                data={
                    "policy": policy,
                    "article": article,
                    "title": title,
                    "text": f"{title}：符合条件的项目按公式 {formula} 计算奖励。{NOTE}",
                    "condition": {"and": parts},
                    "formula": formula,
                    "examples": examples,
                    "paying_department": dept,
                    "materials": "申请表、营业执照、投资协议、到资证明（验资报告或银行回单）",
                    **{k: (Decimal(v) if k in ("cap", "minimum", "yearly_cap") else v) for k, v in extra.items()},
                },
            )
            services.clause_publish(
                actor=center, clause=clause, version=clause.version, effective_from=policy.effective_from
            )
            created += 1
    _demo_projects(region, center, units)
    return created


def _demo_projects(region, center, units) -> None:
    """A foreign 智能视觉 project in negotiation: meets 第一条 and the 智能视觉 reward (the 1+9 equipment
    subsidy is excluded by 就高不叠加), misses the financing subsidy by 2,000 万元 of investment and the
    亩均 reward by 5 万元/亩. And the commitments of a signed project, checked: a 兑现 item for 经信局."""
    zone = User.objects.get(username="zone")
    if not Project.objects.filter(name=DEMO_PROJECT).exists():
        project_services.project_create(
            actor=zone,
            data={
                "name": DEMO_PROJECT,
                "project_type": "new",
                "grade": "A",
                "investor_country": "德国",
                "industry": Industry.objects.get(code="3976"),
                "total_investment": Decimal("48000"),
                "fixed_asset_investment": Decimal("36000"),
                "contracted_fdi": Decimal("2800"),
                "land_mu": Decimal("80"),
                "annual_output": Decimal("96000"),
                "annual_tax": Decimal("2000"),
                "jobs": 320,
                "town": units["zhuji-zone"],
                "description": "德国光学企业在开发区投资建设工业镜头与机器视觉检测设备生产基地（演示数据）",
            },
        )
    signed = (
        Project.objects.filter(region=region, signed_actual__isnull=False, total_investment__gte=10000)
        .select_related("org_unit")
        .order_by("id")
        .first()
    )
    if signed is None:
        return
    clauses = {c.title: c for c in Clause.objects.filter(region=region)}
    officer = User.objects.filter(org_unit=signed.org_unit, role="officer").first() or User.objects.get(
        username="leader"
    )
    for title, amount, stage in (("工业投资设备补助", "300", "signing"), ("亩均效益领跑奖励", "80", "full_production")):
        commitment = services.commitment_create(
            actor=officer,
            project=signed,
            clause=clauses[title],
            data={"amount": Decimal(amount), "due_stage": stage, "condition_text": f"协议约定：{title}"},
        )
        if stage == "signing":
            services.commitment_check(actor=officer, commitment=commitment, on=signed.signed_actual)
    assert Commitment.objects.filter(project=signed).count() == 2
