"""Rubrics (评分表) and their versions: validated content, immutable once saved; the two starting sheets of a
county; the objective indicators computed from a project (shown to experts as facts, never typed by them).

A version's ``content``::

    {"sections": [{"title": "产业契合度", "items": [item, ...]}, ...],
     "bands": [{"min": 85, "outcome": "recommend"}, ...],   # total → outcome, highest ``min`` first
     "spread": 15}                                          # experts' totals further apart are flagged

An item is one of three kinds:
- ``"kind": "score"`` — scored by each expert from 0 to ``max``, with anchored ``bands``
  ``[{"min", "max", "text"}]`` describing what each range means;
- ``"kind": "objective"`` — computed from the project's ``indicator`` (see ``INDICATORS``): full marks at
  ``full_at`` or better, linear below (``lower_is_better`` for energy use), 0 when the figure is missing;
- ``"kind": "veto"`` (一票否决) — with an ``indicator`` and a ``floor``: vetoed when the figure is below the
  floor; without an indicator: each expert answers 触及/未触及, vetoed when a majority says 触及.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction

from zhaoshang.core.audit import log_change, snapshot
from zhaoshang.core.errors import PermissionDenied, ValidationFailed
from zhaoshang.core.models import ObjectChange
from zhaoshang.core.roles import Cap

from ..models import Decision, Rubric, RubricVersion

# indicator → (label, unit)
INDICATORS = {
    "investment_intensity": ("固定资产投资强度", "万元/亩"),
    "tax_per_mu": ("预计亩均税收", "万元/亩·年"),
    "output_per_mu": ("预计亩均产值", "万元/亩·年"),
    "total_investment": ("总投资", "万元"),
    "contracted_fdi": ("合同外资", "万美元"),
    "jobs": ("新增就业", "人"),
}
KINDS = ("score", "objective", "veto")
DEFAULT_BANDS = [
    {"min": 85, "outcome": Decision.Outcome.RECOMMEND.value},
    {"min": 70, "outcome": Decision.Outcome.CONDITIONAL.value},
    {"min": 60, "outcome": Decision.Outcome.DEFER.value},
    {"min": 0, "outcome": Decision.Outcome.REJECT.value},
]
ONE = Decimal("0.1")


def _bands(max_points: int, texts: list[str]) -> list[dict]:
    """Anchored descriptions over equal score ranges, best first."""
    step = Decimal(max_points) / len(texts)
    out = []
    for i, text in enumerate(texts):
        high = Decimal(max_points) - step * i
        out.append({"min": float((high - step).quantize(ONE)), "max": float(high.quantize(ONE)), "text": text})
    return out


def _score(code, title, points, texts):
    return {"code": code, "title": title, "kind": "score", "max": points, "bands": _bands(points, texts)}


def _objective(code, title, points, indicator, full_at, **extra):
    return {
        "code": code,
        "title": title,
        "kind": "objective",
        "max": points,
        "indicator": indicator,
        "full_at": full_at,
        **extra,
    }


def _veto(code, title, indicator="", floor=None):
    return {"code": code, "title": title, "kind": "veto", "max": 0, "indicator": indicator, "floor": floor}


MU_JUN = {
    "sections": [
        {
            "title": "一票否决",
            "items": [
                _veto("V1", "属高耗能、高排放且不在允许清单内"),
                _veto("V2", "触及安全生产、生态环境红线"),
                _veto("V3", "预计亩均税收低于标准地底线（15万元/亩）", "tax_per_mu", 15),
            ],
        },
        {
            "title": "亩均效益（客观指标）",
            "items": [
                _objective("O1", "固定资产投资强度（满分线 300万元/亩）", 15, "investment_intensity", 300),
                _objective("O2", "预计亩均税收（满分线 30万元/亩）", 15, "tax_per_mu", 30),
                _objective("O3", "预计亩均产值（满分线 500万元/亩）", 10, "output_per_mu", 500),
            ],
        },
        {
            "title": "专家评议",
            "items": [
                _score(
                    "S1",
                    "产业契合度（主导产业、产业链补链强链）",
                    15,
                    ["高度契合主导产业或填补链条空白", "与主导产业相关", "关联较弱", "与本地产业无关"],
                ),
                _score("S2", "技术先进性与研发投入", 15, ["国内领先、研发投入≥3%", "行业先进", "一般水平", "技术落后"]),
                _score(
                    "S3", "投资方实力与诚信", 15, ["行业龙头、信用良好", "实力较强", "实力一般", "实力弱或有失信记录"]
                ),
                _score("S4", "节能环保与安全", 15, ["清洁生产、能耗优于标准", "符合标准", "需整改后达标", "难以达标"]),
            ],
        },
    ],
    "bands": DEFAULT_BANDS,
    "spread": 15,
}

FOREIGN = {
    "sections": [
        {
            "title": "一票否决",
            "items": [
                _veto("V1", "属外商投资准入负面清单禁止类"),
                _veto("V2", "触及安全生产、生态环境红线"),
            ],
        },
        {
            "title": "外资与规模（客观指标）",
            "items": [
                _objective("O1", "合同外资（满分线 3000万美元）", 20, "contracted_fdi", 3000),
                _objective("O2", "总投资（满分线 10亿元）", 10, "total_investment", 100000),
                _objective("O3", "固定资产投资强度（满分线 300万元/亩）", 10, "investment_intensity", 300),
            ],
        },
        {
            "title": "专家评议",
            "items": [
                _score(
                    "S1",
                    "外资到位可行性与时间安排",
                    20,
                    ["资金来源清晰、一年内到位", "基本可行", "存在不确定性", "难以到位"],
                ),
                _score(
                    "S2",
                    "投资方背景（世界500强、行业地位）",
                    15,
                    ["世界500强或行业龙头", "知名跨国企业", "一般外资企业", "背景不明"],
                ),
                _score("S3", "产业契合与技术溢出", 15, ["带动本地产业链升级", "有一定带动", "带动有限", "无带动"]),
                _score("S4", "合规与风险", 10, ["无风险", "风险可控", "风险较大", "风险很大"]),
            ],
        },
    ],
    "bands": DEFAULT_BANDS,
    "spread": 15,
}

STARTING_SHEETS = [
    ("亩均论英雄项目评分表", "参照“亩均论英雄”与标准地指标的100分制评分表", MU_JUN),
    ("外资项目评分表", "外商投资项目的100分制评分表", FOREIGN),
]


def validate_content(content) -> dict:
    """The rules a version must follow, each broken one with a Chinese message."""
    errors = []
    if not isinstance(content, dict) or not isinstance(content.get("sections"), list) or not content["sections"]:
        raise ValidationFailed("评分表至少要有一个部分", fields={"content": ["评分表至少要有一个部分"]})
    codes, total = set(), Decimal(0)
    for section in content["sections"]:
        for item in section.get("items", []):
            code = str(item.get("code", ""))
            if not code or code in codes:
                errors.append(f"评分项编码“{code}”为空或重复")
            codes.add(code)
            kind = item.get("kind")
            if kind not in KINDS:
                errors.append(f"评分项“{code}”的类型无效")
                continue
            needs_indicator = kind == "objective" or (kind == "veto" and item.get("indicator"))
            if needs_indicator and item.get("indicator") not in INDICATORS:
                errors.append(f"评分项“{code}”的客观指标无效")
            if kind == "objective" and not item.get("full_at"):
                errors.append(f"评分项“{code}”须设满分线")
            if kind != "veto":
                total += Decimal(str(item.get("max", 0)))
    if total != 100:
        errors.append(f"各评分项满分之和应为100分，现为{total}分")
    bands = content.get("bands") or []
    if not bands or min(b.get("min", 1) for b in bands) != 0:
        errors.append("得分档次须覆盖0分以上")
    if any(b.get("outcome") not in Decision.Outcome.values for b in bands):
        errors.append("得分档次的结论无效")
    if errors:
        raise ValidationFailed("评分表有误：" + "；".join(errors), fields={"content": errors})
    return content


def _may_edit(actor) -> None:
    if not actor.has_capability(Cap.MANAGE_SETTINGS):
        raise PermissionDenied("只有系统管理员可以编辑评分表")


def rubric_version_add(*, actor, rubric: Rubric, content: dict) -> RubricVersion:
    """Save a new version of the sheet (earlier versions stay as they were, with the reviews scored on them)."""
    _may_edit(actor)
    content = validate_content(content)
    with transaction.atomic():
        rubric = Rubric.objects.select_for_update().get(pk=rubric.pk, region_id=actor.region_id)
        number = (rubric.current().number + 1) if rubric.current() else 1
        version = RubricVersion.objects.create(rubric=rubric, number=number, content=content, created_by=actor)
        log_change(actor=actor, obj=version, action=ObjectChange.Action.CREATE, before=None, after=snapshot(version))
    return version


def ensure_starting_rubrics(region) -> list[Rubric]:
    """The county's sheets, creating the two starting ones on first use."""
    with transaction.atomic():
        for name, description, content in STARTING_SHEETS:
            rubric, created = Rubric.objects.get_or_create(
                region=region, name=name, defaults={"description": description}
            )
            if created:
                RubricVersion.objects.create(rubric=rubric, number=1, content=content)
    return list(Rubric.objects.filter(region=region).order_by("name"))


# --- objective facts --------------------------------------------------------------------------------


def _ratio(numerator, denominator) -> Decimal | None:
    if numerator is None or not denominator:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def project_facts(project) -> dict[str, str | None]:
    """The indicators of a project (DOMAIN.md §5), as decimal strings (None when a figure is missing)."""
    if project is None:
        return {}
    land = project.land_mu
    values = {
        "investment_intensity": _ratio(project.fixed_asset_investment or project.total_investment, land),
        "tax_per_mu": _ratio(project.annual_tax, land),
        "output_per_mu": _ratio(project.annual_output, land),
        "total_investment": project.total_investment,
        "contracted_fdi": project.contracted_fdi,
        "jobs": project.jobs,
    }
    return {k: (None if v is None else str(v)) for k, v in values.items()}


def objective_points(item: dict, facts: dict) -> Decimal:
    value = facts.get(item["indicator"])
    if value is None:
        return Decimal(0)
    value, full, top = Decimal(value), Decimal(str(item["full_at"])), Decimal(str(item["max"]))
    if item.get("lower_is_better"):
        share = Decimal(1) if value <= full else max(Decimal(0), 2 - value / full)
    else:
        share = min(Decimal(1), max(Decimal(0), value / full))
    return (top * share).quantize(ONE, ROUND_HALF_UP)


def objective_veto(item: dict, facts: dict) -> bool | None:
    """An indicator veto: True below the floor, None when the figure is missing (left to the experts)."""
    value = facts.get(item["indicator"])
    if value is None:
        return None
    return Decimal(value) < Decimal(str(item["floor"]))
