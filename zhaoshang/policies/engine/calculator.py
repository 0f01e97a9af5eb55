"""The calculator: a set of values against the clauses in force — each clause's conditions met or not, its
amount with every step, minimum and caps, exclusivity groups (同一事项就高不叠加), the amounts by year, and
the near misses (clauses missed by exactly one condition, a numeric threshold, with the gap: a wrong industry
or project type is not something to negotiate, so it is not listed)."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from . import conditions, formulas
from .catalogue import NUMBER, Var, coerce_all
from .errors import RuleError

CENT = Decimal("0.01")
# The year a clause pays in, counted from the signing year, by its timing (签约后 / 投产后 / 达产后 / 分年度).
TIMING_OFFSET = {"signing": 0, "production": 1, "full_production": 2, "yearly": 0}


@dataclass(frozen=True)
class ClauseSpec:
    """What the engine needs of one clause version (the database's ``ClauseVersion.content``)."""

    clause_id: int
    version_id: int | None
    version: int
    policy: str
    article: str
    title: str
    condition: object
    formula: str
    minimum: Decimal | None = None
    cap: Decimal | None = None
    yearly_cap: Decimal | None = None
    exclusivity_group: str = ""
    timing: str = "signing"
    installments: int = 1
    paying_department: str = ""


@dataclass
class ClauseResult:
    spec: ClauseSpec
    met: bool
    parts: list
    amount: Decimal = Decimal("0")
    steps: list[str] = field(default_factory=list)
    capped: bool = False
    excluded_by: int | None = None
    by_year: dict[int, Decimal] = field(default_factory=dict)
    error: str = ""

    @property
    def unmet(self) -> list:
        return [part for part in self.parts if not part.met]


@dataclass
class Result:
    clauses: list[ClauseResult]
    near_misses: list[ClauseResult]
    total: Decimal
    by_year: dict[int, Decimal]


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def amount_of(spec: ClauseSpec, catalogue: dict[str, Var], values: dict) -> tuple[Decimal, list[str], bool]:
    """The clause's amount (万元) with its steps, after the minimum and the cap."""
    numeric = [code for code, var in catalogue.items() if var.kind == NUMBER]
    numbers = {code: values.get(code) for code in numeric}
    value, steps = formulas.evaluate(spec.formula, numbers, numeric)
    capped = False
    if value < 0:
        steps.append("结果为负，按 0 计")
        value = Decimal("0")
    if spec.minimum is not None and value < spec.minimum:
        steps.append(f"低于保底 {formulas.fmt(spec.minimum)} 万元，按保底计")
        value = spec.minimum
    if spec.cap is not None and value > spec.cap:
        steps.append(f"超过封顶 {formulas.fmt(spec.cap)} 万元，按封顶计")
        value, capped = spec.cap, True
    return money(value), steps, capped


def _split_years(result: ClauseResult, base_year: int) -> None:
    spec = result.spec
    years = max(1, spec.installments)
    start = base_year + TIMING_OFFSET.get(spec.timing, 0)
    share = money(result.amount / years)
    if spec.yearly_cap is not None and share > spec.yearly_cap:
        result.steps.append(
            f"每年 {formulas.fmt(share)} 万元超过每户每年上限 {formulas.fmt(spec.yearly_cap)} 万元，按上限计"
        )
        share, result.capped = spec.yearly_cap, True
    result.by_year = {start + i: share for i in range(years)}
    if years > 1 and spec.yearly_cap is None:  # the last year takes the rounding remainder
        result.by_year[start + years - 1] = result.amount - share * (years - 1)
    result.amount = sum(result.by_year.values(), Decimal("0"))
    if years > 1:
        result.steps.append(
            f"分 {years} 年兑现（{start}–{start + years - 1} 年），合计 {formulas.fmt(result.amount)} 万元"
        )


def _exclusivity(results: list[ClauseResult]) -> None:
    """同一事项就高不叠加: in each group only the highest met clause counts."""
    best: dict[str, ClauseResult] = {}
    for result in results:
        group = result.spec.exclusivity_group
        if result.met and group and (group not in best or result.amount > best[group].amount):
            best[group] = result
    for result in results:
        group = result.spec.exclusivity_group
        if result.met and group and best[group] is not result:
            winner = best[group].spec
            result.steps.append(f"与{winner.policy}{winner.article}同属「{group}」，就高不叠加，本条不计")
            result.excluded_by = winner.clause_id
            result.amount, result.by_year = Decimal("0"), {}


def calculate(specs: list[ClauseSpec], catalogue: dict[str, Var], values: dict, *, base_year: int) -> Result:
    """Every clause checked part by part (fast), and worded only when it applies or is a near miss."""
    applicable, near = [], []
    data = conditions.engine_data(catalogue, values)
    present = conditions.filled(values)
    numeric = {code for code, var in catalogue.items() if var.kind == NUMBER}
    for spec in specs:
        checked = conditions.check(spec.condition, values, data, spec.version_id, present)
        unmet = [(part, missing) for part, met, missing in checked if not met]
        if not unmet:
            parts = conditions.evaluate(spec.condition, catalogue, values, data, spec.version_id)
            result = ClauseResult(spec=spec, met=True, parts=parts)
            try:
                result.amount, result.steps, result.capped = amount_of(spec, catalogue, values)
            except RuleError as exc:
                result.error, result.amount = exc.reason, Decimal("0")
            _split_years(result, base_year)
            applicable.append(result)
        elif len(unmet) == 1 and not unmet[0][1] and conditions.is_shortfall(unmet[0][0]):
            name = unmet[0][0][next(iter(unmet[0][0]))][0]["var"]
            if name in numeric:  # a shortfall one can negotiate about (not a wrong industry or type)
                parts = conditions.evaluate(spec.condition, catalogue, values, data, spec.version_id)
                near.append(ClauseResult(spec=spec, met=False, parts=parts))
    _exclusivity(applicable)
    by_year: dict[int, Decimal] = {}
    for result in applicable:
        for year, amount in result.by_year.items():
            by_year[year] = by_year.get(year, Decimal("0")) + amount
    total = sum((r.amount for r in applicable), Decimal("0"))
    return Result(applicable, near, money(total), dict(sorted(by_year.items())))


def run_example(spec: ClauseSpec, catalogue: dict[str, Var], example: dict) -> tuple[bool, str]:
    """A worked example (inputs → expected amount, or expected "不适用"): passed, and what happened."""
    values, errors = coerce_all(catalogue, example.get("inputs") or {})
    if errors:
        return False, "；".join(f"{k}：{v[0]}" for k, v in errors.items())
    expected = str(example.get("expected", "")).strip()
    parts = conditions.evaluate(spec.condition, catalogue, values)
    met = all(part.met for part in parts)
    if expected in ("不适用", "n/a"):
        return (not met), "不适用" if not met else "条件满足（预期不适用）"
    if not met:
        return False, "条件不满足：" + "；".join(p.text for p in parts if not p.met)
    try:
        amount, _, _ = amount_of(spec, catalogue, values)
    except RuleError as exc:
        return False, exc.reason
    try:
        wanted = money(Decimal(expected))
    except ArithmeticError:
        return False, f"预期金额 {expected!r} 不是数字"
    return amount == wanted, f"{formulas.fmt(amount)} 万元" + (
        "" if amount == wanted else f"（预期 {formulas.fmt(wanted)} 万元）"
    )
