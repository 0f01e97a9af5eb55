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
from .sheets import ONE, STARTING_SHEETS

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
                problems.append("按指标否决须设底线")
        return problems, Decimal(0)
    if top is None or top <= 0:
        return [*problems, "满分须为正数"], Decimal(0)
    if kind == "objective":
        if item.get("indicator") not in INDICATORS:
            problems.append(f"客观指标“{item.get('indicator') or ''}”不存在")
        full = _number(item.get("full_at"))
        if full is None or full <= 0:
            problems.append("须设满分线（正数）")
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
        problems.append("分歧提示线须为正数")
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
    """Publish a new version of the sheet (earlier versions stay as they were, with the reviews scored on them).
    A sheet created empty is switched on with its first version."""
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
        if current is None and not rubric.is_active:  # a new empty sheet goes live with its first version
            before = snapshot(rubric)
            rubric.is_active = True
            rubric.save(update_fields=["is_active"])
            after = snapshot(rubric)
            log_change(actor=actor, obj=rubric, action=ObjectChange.Action.UPDATE, before=before, after=after)
    return version


def rubric_create(*, actor, name: str, description: str = "", copy_from: RubricVersion | None = None) -> Rubric:
    """A new sheet of the actor's county: empty (inactive until its first version is published from the editor)
    or starting from a copy of an existing version (of any sheet of the county), which becomes its 第1版."""
    _may_edit(actor)
    name, description = (name or "").strip(), (description or "").strip()
    if not name:
        raise ValidationFailed("须填写名称", fields={"name": ["须填写名称"]})
    if copy_from is not None and copy_from.rubric.region_id != actor.region_id:
        raise NotFound("评分表版本不存在")
    with transaction.atomic():
        if Rubric.objects.filter(region_id=actor.region_id, name=name).exists():
            raise ValidationFailed(f"已有名为“{name}”的评分表", fields={"name": [f"已有名为“{name}”的评分表"]})
        rubric = Rubric.objects.create(
            region_id=actor.region_id, name=name, description=description[:300], is_active=copy_from is not None
        )
        log_change(actor=actor, obj=rubric, action=ObjectChange.Action.CREATE, before=None, after=snapshot(rubric))
        if copy_from is not None:
            content = validate_content(copy.deepcopy(copy_from.content))
            version = RubricVersion.objects.create(rubric=rubric, number=1, content=content, created_by=actor)
            log_change(
                actor=actor, obj=version, action=ObjectChange.Action.CREATE, before=None, after=snapshot(version)
            )
    return rubric


def rubric_set_active(*, actor, rubric: Rubric, active: bool) -> Rubric:
    """Switch a sheet on or off. An inactive sheet cannot be chosen for a new review; reviews already started
    keep the version they were drawn with. A sheet without a published version cannot be switched on."""
    _may_edit(actor)
    with transaction.atomic():
        rubric = Rubric.objects.select_for_update().filter(pk=rubric.pk, region_id=actor.region_id).first()
        if rubric is None:
            raise NotFound("评分表不存在")
        if rubric.is_active == active:
            return rubric
        if active and not rubric.versions.exists():
            raise ValidationFailed("评分表尚无已发布的版本，不能启用", fields={"is_active": ["请先发布第1版"]})
        before = snapshot(rubric)
        rubric.is_active = active
        rubric.save(update_fields=["is_active"])
        log_change(actor=actor, obj=rubric, action=ObjectChange.Action.UPDATE, before=before, after=snapshot(rubric))
    return rubric


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
