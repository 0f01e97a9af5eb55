"""Conditions: JSON Logic (evaluated by the ``panzi-json-logic`` package) over the variable catalogue, in the
shape a person can read back — ``{"and": [part, part, …]}`` where each part is a comparison of one variable
with a value (``{">=": [{"var": "investment"}, 5000]}``), a list test (``in``), an industry test
(``industry_in``: the code or one of its parents), a tag test (``{"in": ["专精特新", {"var": "tags"}]}``), or a
group of those under ``or`` / ``!``. Each top-level part is shown as met / not met with the values compared,
which is what the calculator and its near misses need; a rule outside that shape is refused on save with
the path to the offending node and the reason."""

import json
from dataclasses import dataclass
from decimal import Decimal

from json_logic.builtins import BUILTINS

from .catalogue import CHAIN_NODE, CHOICE, DATE, INDUSTRY, NUMBER, TAGS, TOWN, Var, coerce
from .compiler import compile_logic
from .errors import RuleError
from .formulas import fmt

FIELD = "condition"
MAX_CHARS = 20_000
MAX_DEPTH = 6
COMPARISONS = {"==": "=", "!=": "≠", ">": ">", ">=": "≥", "<": "<", "<=": "≤"}
ORDERED_KINDS = {NUMBER, DATE}


def _industry_in(data=None, code=None, prefixes=None, *_ignored) -> bool:
    return bool(code) and isinstance(prefixes, list) and any(str(code).startswith(str(p)) for p in prefixes)


OPERATIONS = {op: BUILTINS[op] for op in (*COMPARISONS, "in", "!", "var")} | {"industry_in": _industry_in}


@dataclass
class PartResult:
    text: str
    met: bool
    actual: str
    required: str
    missing: bool = False  # a variable the part needs has no value
    gap: str = ""  # for a numeric comparison not met: how far off, with the unit


def parse(condition) -> object:
    """A condition given as JSON text or an already-parsed value; empty means "applies to every project"."""
    if condition in (None, "", {}):
        return {}
    if isinstance(condition, str):
        if len(condition) > MAX_CHARS:
            raise RuleError(f"条件过长（最多 {MAX_CHARS} 个字符）", field=FIELD)
        try:
            return json.loads(condition)
        except json.JSONDecodeError as exc:
            raise RuleError(
                f"不是有效的 JSON：第 {exc.lineno} 行第 {exc.colno} 列",
                field=FIELD,
                position=f"第 {exc.pos + 1} 个字符",
            ) from exc
    return condition


def parts_of(condition) -> list:
    if not condition:
        return []
    if isinstance(condition, dict) and set(condition) == {"and"} and isinstance(condition["and"], list):
        return condition["and"]
    return [condition]


def validate(condition, catalogue: dict[str, Var]) -> object:
    """The parsed condition, or ``RuleError`` naming the path of the first bad node and why."""
    condition = parse(condition)
    if len(json.dumps(condition, ensure_ascii=False)) > MAX_CHARS:
        raise RuleError(f"条件过长（最多 {MAX_CHARS} 个字符）", field=FIELD)
    prefix = "and" if isinstance(condition, dict) and set(condition) == {"and"} else ""
    for index, part in enumerate(parts_of(condition)):
        _check(part, catalogue, f"{prefix}[{index}]" if prefix else "根", 1)
    return condition


def _operator(node, path: str) -> tuple[str, list]:
    if not isinstance(node, dict) or len(node) != 1:
        raise RuleError(
            '每个条件须是只有一个运算符的对象，如 {">=": [{"var": "investment"}, 5000]}', field=FIELD, position=path
        )
    op, args = next(iter(node.items()))
    return op, args if isinstance(args, list) else [args]


def _check(node, catalogue: dict[str, Var], path: str, depth: int) -> None:
    if depth > MAX_DEPTH:
        raise RuleError(f"条件嵌套过深（最多 {MAX_DEPTH} 层）", field=FIELD, position=path)
    op, args = _operator(node, path)
    here = f"{path}.{op}"
    if op in ("and", "or"):
        if not args:
            raise RuleError(f"{op} 至少需要一个条件", field=FIELD, position=here)
        for index, arg in enumerate(args):
            _check(arg, catalogue, f"{here}[{index}]", depth + 1)
    elif op == "!":
        if len(args) != 1:
            raise RuleError("! 只能否定一个条件", field=FIELD, position=here)
        _check(args[0], catalogue, f"{here}[0]", depth + 1)
    elif op in COMPARISONS:
        var = _var_arg(args, catalogue, here, 2)
        _check_literal(var, op, args[1], f"{here}[1]")
    elif op == "in":
        _check_in(args, catalogue, here)
    elif op == "industry_in":
        var = _var_arg(args, catalogue, here, 2)
        if var.kind != INDUSTRY or not _string_list(args[1]):
            raise RuleError("industry_in 须为 [行业变量, [行业代码, …]]", field=FIELD, position=f"{here}[1]")
    else:
        raise RuleError(
            f"不支持的运算符 {op!r}（可用：and、or、!、==、!=、>、>=、<、<=、in、industry_in）",
            field=FIELD,
            position=path,
        )


def _var_arg(args: list, catalogue: dict[str, Var], here: str, count: int) -> Var:
    if len(args) != count:
        raise RuleError(f"需要 {count} 个参数，实际 {len(args)} 个", field=FIELD, position=here)
    first = args[0]
    if not (isinstance(first, dict) and set(first) == {"var"} and isinstance(first["var"], str)):
        raise RuleError('第一个参数须为变量，如 {"var": "investment"}', field=FIELD, position=f"{here}[0]")
    var = catalogue.get(first["var"])
    if var is None:
        raise RuleError(f"未知变量 {first['var']}", field=FIELD, position=f"{here}[0]")
    return var


def _string_list(value) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, str) and v for v in value)


def _check_literal(var: Var, op: str, value, path: str) -> None:
    if op not in ("==", "!=") and var.kind not in ORDERED_KINDS:
        raise RuleError(f"{var.name}不能比较大小，只能用 ==、!= 或 in", field=FIELD, position=path)
    if var.kind == NUMBER:
        if isinstance(value, bool) or not isinstance(value, int | float) or abs(value) >= 1e13:
            raise RuleError(f"{var.name}须与数字比较", field=FIELD, position=path)
    elif var.kind == DATE:
        try:
            coerce(var, value)
        except ValueError as exc:
            raise RuleError(str(exc), field=FIELD, position=path) from exc
    elif var.kind == CHOICE and value not in {code for code, _ in var.choices}:
        raise RuleError(f"{value!r} 不是{var.name}的选项", field=FIELD, position=path)
    elif var.kind == TAGS:
        raise RuleError('标签请用 {"in": ["标签", {"var": "tags"}]}', field=FIELD, position=path)
    elif not isinstance(value, str):
        raise RuleError(f"{var.name}须与文字比较", field=FIELD, position=path)


def _check_in(args: list, catalogue: dict[str, Var], here: str) -> None:
    if len(args) != 2:
        raise RuleError("in 需要 2 个参数", field=FIELD, position=here)
    needle, haystack = args
    if isinstance(haystack, dict):  # a tag test: "专精特新" in tags
        var = _var_arg([haystack, needle], catalogue, here, 2)
        if var.kind != TAGS or not isinstance(needle, str) or not needle:
            raise RuleError(
                "in 的第二个参数是变量时，须为标签变量，第一个参数为标签名称", field=FIELD, position=f"{here}[0]"
            )
        return
    var = _var_arg(args, catalogue, here, 2)
    if var.kind not in (CHOICE, TOWN, CHAIN_NODE, INDUSTRY) or not _string_list(haystack):
        raise RuleError(f"in 须为 [变量, [值, …]]，{var.name}不适用", field=FIELD, position=f"{here}[1]")
    if var.kind == CHOICE:
        bad = [v for v in haystack if v not in {code for code, _ in var.choices}]
        if bad:
            raise RuleError(f"{'、'.join(bad)} 不是{var.name}的选项", field=FIELD, position=f"{here}[1]")


# --- evaluation -------------------------------------------------------------------------------------


def _engine_value(var: Var, value):
    if value is None:
        return None
    if var.kind == NUMBER:
        return float(value)
    return value


def variables_in(node) -> list[str]:
    found = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "var" and isinstance(value, str):
                found.append(value)
            else:
                found.extend(variables_in(value))
    elif isinstance(node, list):
        for item in node:
            found.extend(variables_in(item))
    return found


def engine_data(catalogue: dict[str, Var], values: dict) -> dict:
    """The values as JSON Logic reads them (numbers as floats); built once per calculation."""
    return {code: _engine_value(var, values.get(code)) for code, var in catalogue.items()}


@dataclass(frozen=True)
class _Part:
    node: object
    test: object  # the compiled part: data -> the interpreter's value
    group: bool  # or / !: may hold without an absent value
    names: tuple[str, ...]  # the variables whose absence makes the part "missing"


_COMPILED: dict[object, tuple[object, tuple[_Part, ...]]] = {}
_COMPILED_MAX = 20_000


def compiled(condition, key=None) -> tuple[_Part, ...]:
    """The condition's top-level parts compiled once (``compiler.compile_logic``); kept per ``key`` (a clause
    version's id: a version's condition never changes), compiled afresh when there is no key. A kept form is
    used only for an equal condition (the same object, or equal: ids are reused across test databases)."""
    if key is not None:
        found = _COMPILED.get(key)
        if found is not None and (found[0] is condition or found[0] == condition):
            return found[1]
    prepared = []
    for part in parts_of(parse(condition)):
        op = next(iter(part))
        group = op in ("or", "!")
        names = tuple(variables_in(part)) if group else (_variable_of(part[op]),)
        prepared.append(_Part(part, compile_logic(part, OPERATIONS), group, names))
    prepared = tuple(prepared)
    if key is not None:
        if len(_COMPILED) >= _COMPILED_MAX:
            _COMPILED.clear()
        _COMPILED[key] = (condition, prepared)
    return prepared


def filled(values: dict) -> frozenset[str]:
    """The names with a value (not None, "" or []): built once per calculation, for ``check``."""
    return frozenset(name for name, value in values.items() if value not in (None, "", []))


def check(
    condition, values: dict, data: dict, key=None, present: frozenset[str] | None = None
) -> list[tuple[object, bool, bool]]:
    """Each top-level part as (part, met, missing) without wording it: the calculator's fast pass. The one
    place conditions are evaluated; ``key`` (the clause version's id) reuses the compiled form, ``present``
    (``filled(values)``) saves finding the absent values again for each clause."""
    present = filled(values) if present is None else present
    checked = []
    for part in compiled(condition, key):
        result = bool(part.test(data))
        if part.group:  # a group may hold without the absent value
            absent = not result and any(name not in present for name in part.names)
            checked.append((part.node, result, absent))
        else:
            absent = part.names[0] not in present
            checked.append((part.node, result and not absent, absent))
    return checked


def holds(condition, values: dict, data: dict, key=None) -> bool:
    """Every part met (an empty condition holds)."""
    return all(met for _, met, _ in check(condition, values, data, key))


def _variable_of(args) -> str:
    """The one variable of a comparison, ``in`` or ``industry_in`` (a tag test names it second)."""
    first = args[0]
    return first["var"] if isinstance(first, dict) else args[1]["var"]


def evaluate(
    condition, catalogue: dict[str, Var], values: dict, data: dict | None = None, key=None
) -> list[PartResult]:
    """Each top-level part, met or not, with the values compared (the condition must have been validated)."""
    data = engine_data(catalogue, values) if data is None else data
    return [
        _describe(part, catalogue, values, met, missing) for part, met, missing in check(condition, values, data, key)
    ]


def is_shortfall(part) -> bool:
    """A numeric threshold (≥, >, ≤, <): what a near miss may be missed by."""
    return isinstance(part, dict) and next(iter(part)) in (">", ">=", "<", "<=")


def _describe(part, catalogue: dict[str, Var], values: dict, met: bool, missing: bool) -> PartResult:
    op, args = next(iter(part.items()))
    if op in COMPARISONS:
        var = catalogue[args[0]["var"]]
        shown = var.label_of(args[1]) if var.kind != DATE else args[1]
        required = f"{COMPARISONS[op]} {shown}"
        actual = values.get(var.code)
        gap = ""
        if var.kind == NUMBER and actual is not None and not met and op in (">", ">=", "<", "<="):
            gap = f"{'差' if op in ('>', '>=') else '超'} {fmt(abs(Decimal(str(args[1])) - actual))} {var.unit}".strip()
        return PartResult(f"{var.name} {required}", met, var.label_of(actual), required, missing, gap)
    if op == "in" and isinstance(args[1], dict):
        var = catalogue[args[1]["var"]]
        return PartResult(
            f"{var.name}含「{args[0]}」", met, var.label_of(values.get(var.code)), f"含「{args[0]}」", missing
        )
    if op in ("in", "industry_in"):
        var = catalogue[args[0]["var"]]
        labels = "、".join(var.label_of(v) for v in args[1])
        word = "属于" if op == "industry_in" else "为"
        required = f"{word}{labels}"
        return PartResult(f"{var.name}{required}", met, var.label_of(values.get(var.code)), required, missing)
    text = render(part, catalogue)
    actual = "；".join(
        catalogue[n].name + " " + catalogue[n].label_of(values.get(n)) for n in dict.fromkeys(variables_in(part))
    )
    return PartResult(text, met, actual, text, missing)


def render(node, catalogue: dict[str, Var]) -> str:
    """A condition in words, for groups (or / !) and for the clause's page."""
    op, args = next(iter(node.items()))
    args = args if isinstance(args, list) else [args]  # {"!": {…}} is accepted on save, as JSON Logic allows
    if op == "and":
        return "且".join(f"（{render(a, catalogue)}）" for a in args)
    if op == "or":
        return "或".join(f"（{render(a, catalogue)}）" for a in args)
    if op == "!":
        return f"非（{render(args[0], catalogue)}）"
    return _describe(node, catalogue, {}, False, False).text


def describe_all(condition, catalogue: dict[str, Var]) -> list[str]:
    return [render(part, catalogue) for part in parts_of(parse(condition))]
