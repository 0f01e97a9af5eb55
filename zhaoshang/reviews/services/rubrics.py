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

import copy
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import transaction

from zhaoshang.core.audit import log_change, snapshot
from zhaoshang.core.errors import NotFound, PermissionDenied, ValidationFailed
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


def _number(value) -> Decimal | None:
    """A finite number from the sheet's JSON (numbers or numeric strings), None otherwise."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _band_problems(item: dict, top: Decimal) -> list[str]:
    """What is wrong with a scored item's anchored descriptions: each band within 0..max with a text, and
    together they cover 0 to max without gaps or overlaps."""
    bands = item.get("bands")
    if not isinstance(bands, list) or not bands:
        return ["须为各分数段填写评分说明"]
    problems, ranges = [], []
    for n, band in enumerate(bands, 1):
        band = band if isinstance(band, dict) else {}
        low, high = _number(band.get("min")), _number(band.get("max"))
        if not str(band.get("text") or "").strip():
            problems.append(f"第{n}个分数段须填写说明")
        if low is None or high is None or not 0 <= low < high <= top:
            problems.append(f"第{n}个分数段须在0到{top}分之间且下限小于上限")
        else:
            ranges.append((low, high))
    if not problems:
        ranges.sort()
        if ranges[0][0] != 0 or ranges[-1][1] != top:
            problems.append(f"分数段须覆盖0到{top}分")
        elif any(a[1] != b[0] for a, b in zip(ranges, ranges[1:], strict=False)):
            problems.append("分数段之间不能有间隔或重叠")
    return problems


def _item_problems(item: dict) -> tuple[list[str], Decimal]:
    """What is wrong with one item, and the points it adds to the sheet's total."""
    kind = item.get("kind")
    problems = []
    if not str(item.get("title") or "").strip():
        problems.append("须填写名称")
    if kind not in KINDS:
        return [*problems, "类型须为 score（专家评分）、objective（客观指标）或 veto（一票否决）"], Decimal(0)
    top = _number(item.get("max", 0))
    if kind == "veto":
        if top not in (None, 0):
            problems.append("一票否决项不计分，满分须为0")
        if item.get("indicator"):
            if item["indicator"] not in INDICATORS:
                problems.append(f"客观指标“{item['indicator']}”不存在")
            if _number(item.get("floor")) is None:
                problems.append("按指标否决须设底线（floor）")
        return problems, Decimal(0)
    if top is None or top <= 0:
        return [*problems, "满分须为正数"], Decimal(0)
    if kind == "objective":
        if item.get("indicator") not in INDICATORS:
            problems.append(f"客观指标“{item.get('indicator') or ''}”不存在")
        full = _number(item.get("full_at"))
        if full is None or full <= 0:
            problems.append("须设满分线（full_at，正数）")
    else:
        problems += _band_problems(item, top)
    return problems, top


def _outcome_problems(content: dict) -> list[str]:
    bands = content.get("bands")
    if not isinstance(bands, list) or not bands:
        return ["得分档次：须设置总分到结论的档次"]
    problems, mins = [], []
    for n, band in enumerate(bands, 1):
        band = band if isinstance(band, dict) else {}
        low = _number(band.get("min"))
        if low is None or not 0 <= low <= 100:
            problems.append(f"得分档次第{n}档：起始分须在0到100之间")
        else:
            mins.append(low)
        if band.get("outcome") not in Decision.Outcome.values:
            problems.append(f"得分档次第{n}档：结论须为 {'、'.join(Decision.Outcome.values)} 之一")
    if not problems and 0 not in mins:
        problems.append("得分档次：须有一档从0分起")
    if not problems and len(set(mins)) != len(mins):
        problems.append("得分档次：起始分不能重复")
    spread = _number(content.get("spread", 15))
    if spread is None or spread <= 0:
        problems.append("分歧提示线（spread）须为正数")
    return problems


def validate_content(content) -> dict:
    """The rules a version must follow; each broken one is a Chinese message naming its section and item
    (第2部分第3项：…)."""
    if not isinstance(content, dict) or not isinstance(content.get("sections"), list) or not content["sections"]:
        raise ValidationFailed("评分表至少要有一个部分", fields={"content": ["评分表至少要有一个部分"]})
    errors: list[str] = []
    codes: dict[str, str] = {}
    total = Decimal(0)
    for s, section in enumerate(content["sections"], 1):
        section = section if isinstance(section, dict) else {}
        if not str(section.get("title") or "").strip():
            errors.append(f"第{s}部分：须填写标题")
        items = section.get("items")
        if not isinstance(items, list) or not items:
            errors.append(f"第{s}部分：至少要有一个评分项")
            continue
        for i, item in enumerate(items, 1):
            where = f"第{s}部分第{i}项"
            item = item if isinstance(item, dict) else {}
            code = str(item.get("code") or "").strip()
            if not code:
                errors.append(f"{where}：须填写编码")
            elif code in codes:
                errors.append(f"{where}：编码“{code}”与{codes[code]}重复")
            else:
                codes[code] = where
            problems, points = _item_problems(item)
            errors += [f"{where}：{p}" for p in problems]
            total += points
    if total != 100:
        errors.append(f"评分表：各项满分合计必须为100分，现为{total.normalize():f}分")
    errors += _outcome_problems(content)
    if errors:
        raise ValidationFailed("评分表有误：" + "；".join(errors), fields={"content": errors})
    return content


def _may_edit(actor) -> None:
    if not actor.has_capability(Cap.MANAGE_SETTINGS):
        raise PermissionDenied("只有系统管理员可以编辑评分表")


def rubric_version_add(*, actor, rubric: Rubric, content: dict) -> RubricVersion:
    """Save a new version of the sheet (earlier versions stay as they were, with the reviews scored on them)."""
    _may_edit(actor)
    content = validate_content(copy.deepcopy(content))
    with transaction.atomic():
        rubric = Rubric.objects.select_for_update().filter(pk=rubric.pk, region_id=actor.region_id).first()
        if rubric is None:
            raise NotFound("评分表不存在")
        current = rubric.current()
        number = current.number + 1 if current else 1
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
