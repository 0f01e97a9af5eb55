"""Between the database and the engine: a clause's content as stored in a version, the engine's
``ClauseSpec`` built from it, and the validation of a clause's condition, formula and worked examples."""

from decimal import Decimal

from .engine import calculator, conditions, formulas
from .engine.catalogue import NUMBER, Var
from .engine.errors import RuleError

CONTENT_FIELDS = (
    "article",
    "title",
    "text",
    "condition",
    "formula",
    "minimum",
    "cap",
    "yearly_cap",
    "exclusivity_group",
    "materials",
    "timing",
    "installments",
    "examples",
)


def _decimal(value) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


def content_of(clause) -> dict:
    """The clause's working copy as a version stores it (JSON-safe)."""
    content = {name: getattr(clause, name) for name in CONTENT_FIELDS}
    for name in ("minimum", "cap", "yearly_cap"):
        content[name] = None if content[name] is None else str(content[name])
    content["policy"] = clause.policy.title
    content["policy_number"] = clause.policy.number
    content["paying_department"] = clause.paying_department.name if clause.paying_department_id else ""
    content["paying_department_id"] = clause.paying_department_id
    return content


def spec_of(content: dict, *, clause_id: int, version_id: int | None, number: int) -> calculator.ClauseSpec:
    return calculator.ClauseSpec(
        clause_id=clause_id,
        version_id=version_id,
        version=number,
        policy=content.get("policy", ""),
        article=content.get("article", ""),
        title=content.get("title", ""),
        condition=content.get("condition") or {},
        formula=content.get("formula", "0"),
        minimum=_decimal(content.get("minimum")),
        cap=_decimal(content.get("cap")),
        yearly_cap=_decimal(content.get("yearly_cap")),
        exclusivity_group=content.get("exclusivity_group", ""),
        timing=content.get("timing", "signing"),
        installments=int(content.get("installments") or 1),
        paying_department=content.get("paying_department", ""),
    )


def validate_rules(condition, formula: str, catalogue: dict[str, Var]) -> object:
    """The parsed condition, or ``RuleError`` (position and reason) for the condition, then the formula."""
    parsed = conditions.validate(condition, catalogue)
    formulas.validate(formula, [code for code, var in catalogue.items() if var.kind == NUMBER])
    return parsed


def validate_examples(examples) -> list[dict]:
    if examples in (None, ""):
        return []
    if not isinstance(examples, list) or not all(isinstance(e, dict) and "inputs" in e for e in examples):
        raise RuleError('测算示例须为列表：[{"name": …, "inputs": {…}, "expected": "金额或 不适用"}]', field="examples")
    if len(examples) > 50:
        raise RuleError("测算示例最多 50 个", field="examples")
    return examples


def run_examples(content: dict, catalogue: dict[str, Var]) -> tuple[bool, list[dict]]:
    """Each worked example run against the content: all passed (and there is at least one), and the report."""
    spec = spec_of(content, clause_id=0, version_id=None, number=0)
    report = []
    for index, example in enumerate(content.get("examples") or [], 1):
        passed, outcome = calculator.run_example(spec, catalogue, example)
        report.append({"name": example.get("name") or f"示例 {index}", "passed": passed, "outcome": outcome})
    return bool(report) and all(row["passed"] for row in report), report
