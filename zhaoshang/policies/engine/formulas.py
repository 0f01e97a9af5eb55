"""Benefit formulas: ``min(investment * 0.01, 500)`` — arithmetic over the catalogue's numeric variables with
only + − × ÷, parentheses, ``min``, ``max`` and ``round``. Validation walks Python's syntax tree and refuses
everything else with the column and the reason (``__import__``, attribute access, ``**``, comparisons,
subscripts, strings …); evaluation runs in ``simpleeval`` restricted to the same operators, on ``Decimal``
numbers, and records each step ("5000 × 0.01 = 50") for the calculator's display."""

import ast
import decimal
import functools
from collections.abc import Callable, Iterable
from decimal import Decimal

from simpleeval import FeatureNotAvailable, InvalidExpression, SimpleEval

from .errors import RuleError

MAX_LENGTH = 500
MAX_NODES = 200
MAX_LITERAL_DIGITS = 15
FIELD = "formula"
FUNCTIONS = {"min": (2, 10), "max": (2, 10), "round": (1, 2)}
OPERATORS = {ast.Add: "+", ast.Sub: "−", ast.Mult: "×", ast.Div: "÷"}
_CONTEXT = decimal.Context(
    prec=28, Emax=30, Emin=-30, traps=[decimal.DivisionByZero, decimal.Overflow, decimal.InvalidOperation]
)


def _refuse(message: str, node: ast.AST | None = None) -> RuleError:
    column = getattr(node, "col_offset", None)
    return RuleError(message, field=FIELD, position=None if column is None else f"第 {column + 1} 列")


def parse(formula: str) -> ast.Expression:
    text = (formula or "").strip()
    if not text:
        raise RuleError("公式不能为空", field=FIELD)
    if len(text) > MAX_LENGTH:
        raise RuleError(f"公式过长（{len(text)} 个字符，最多 {MAX_LENGTH} 个）", field=FIELD)
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as exc:
        column = f"第 {exc.offset} 列" if exc.offset else None
        raise RuleError("公式语法错误，请检查括号、运算符和数字", field=FIELD, position=column) from exc
    except (ValueError, RecursionError, MemoryError) as exc:
        raise RuleError("公式无法解析", field=FIELD) from exc
    return tree


def validate(formula: str, numeric_names: Iterable[str]) -> ast.Expression:
    """The parsed formula, or ``RuleError`` naming the first thing not allowed and where it is."""
    tree = parse(formula)
    names = set(numeric_names)
    nodes = list(ast.walk(tree.body))
    if len(nodes) > MAX_NODES:
        raise RuleError(f"公式过于复杂（超过 {MAX_NODES} 个元素）", field=FIELD)
    called = {id(node.func) for node in nodes if isinstance(node, ast.Call)}
    for node in nodes:
        if isinstance(node, ast.Name) and node.id in FUNCTIONS and id(node) not in called:
            raise _refuse(f"{node.id} 是函数，须写成 {node.id}(…)", node)
        _check_node(node, names)
    _check_constant_division(tree.body)
    return tree


def _check_node(node: ast.AST, names: set[str]) -> None:  # noqa: C901 - one branch per syntax element
    if isinstance(node, ast.BinOp):
        if type(node.op) not in OPERATORS:
            symbol = {ast.Pow: "**（乘方）", ast.Mod: "%（取余）", ast.FloorDiv: "//（整除）"}.get(
                type(node.op), "该运算符"
            )
            raise _refuse(f"不支持 {symbol}，只能使用 + − × ÷", node)
    elif isinstance(node, ast.UnaryOp):
        if not isinstance(node.op, ast.USub | ast.UAdd):
            raise _refuse("不支持该运算符，只能使用 + − × ÷", node)
    elif isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, int | float):
            raise _refuse("公式中只能出现数字和变量，不能出现文字", node)
        if len(str(node.value).replace(".", "")) > MAX_LITERAL_DIGITS:
            raise _refuse(f"数字位数过多（最多 {MAX_LITERAL_DIGITS} 位）", node)
    elif isinstance(node, ast.Name):
        if node.id.startswith("_"):
            raise _refuse(f"不允许使用以下划线开头的名称 {node.id}", node)
        if node.id not in names and node.id not in FUNCTIONS:
            raise _refuse(f"未知变量 {node.id}（须为变量目录中的数值型变量）", node)
    elif isinstance(node, ast.Call):
        name = node.func.id if isinstance(node.func, ast.Name) else None
        if name not in FUNCTIONS:
            raise _refuse("只能调用 min、max、round 三个函数", node)
        low, high = FUNCTIONS[name]
        if node.keywords or not low <= len(node.args) <= high:
            raise _refuse(f"{name} 的参数个数不对（{low}–{high} 个，不带参数名）", node)
        if name == "round" and len(node.args) == 2:
            digits = node.args[1]
            if not (isinstance(digits, ast.Constant) and isinstance(digits.value, int) and 0 <= digits.value <= 6):
                raise _refuse("round 的小数位数须为 0–6 的整数", digits)
    elif isinstance(node, ast.Attribute):
        raise _refuse("不允许访问属性（.）", node)
    elif isinstance(node, ast.Subscript):
        raise _refuse("不允许下标（[ ]）", node)
    elif isinstance(node, ast.Compare | ast.BoolOp | ast.IfExp):
        raise _refuse("公式中不能有比较或逻辑运算，条件请写在适用条件中", node)
    elif isinstance(node, ast.operator | ast.unaryop | ast.expr_context):
        return
    elif not isinstance(node, ast.Expression):
        raise _refuse(f"不支持的写法（{type(node).__name__}）", node)


def _check_constant_division(body: ast.AST) -> None:
    for node in ast.walk(body):
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
            right = node.right
            if isinstance(right, ast.Constant) and right.value == 0:
                raise _refuse("除数为 0", right)


def _number(value) -> Decimal:
    if isinstance(value, Decimal):
        return value
    return Decimal(str(value))


def fmt(value: Decimal) -> str:
    """A number as people read it in a step: no exponent, trailing zeros dropped, thousands separated."""
    value = _number(value)
    text = f"{value:,.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


class _Evaluator(SimpleEval):
    def __init__(self, names: dict[str, Decimal], steps: list[str]):
        self.steps = steps
        super().__init__(
            operators={
                ast.Add: self._step("+", lambda a, b: a + b),
                ast.Sub: self._step("−", lambda a, b: a - b),
                ast.Mult: self._step("×", lambda a, b: a * b),
                ast.Div: self._step("÷", self._divide),
                ast.USub: lambda a: -a,
                ast.UAdd: lambda a: +a,
            },
            functions={"min": self._function("min", min), "max": self._function("max", max), "round": self._round},
            names=names,
        )
        self.nodes[ast.Constant] = lambda node: _number(node.value)

    def _step(self, symbol: str, operation: Callable) -> Callable:
        def apply(a, b):
            with decimal.localcontext(_CONTEXT):
                result = operation(_number(a), _number(b))
            self.steps.append(f"{fmt(a)} {symbol} {fmt(b)} = {fmt(result)}")
            return result

        return apply

    @staticmethod
    def _divide(a: Decimal, b: Decimal) -> Decimal:
        if b == 0:
            raise RuleError("计算时除数为 0", field=FIELD)
        return a / b

    def _function(self, name: str, function: Callable) -> Callable:
        def apply(*args):
            result = function(_number(a) for a in args)
            self.steps.append(f"{name}({', '.join(fmt(a) for a in args)}) = {fmt(result)}")
            return result

        return apply

    def _round(self, value, digits=0):
        result = _number(value).quantize(Decimal(1).scaleb(-int(digits)), rounding=decimal.ROUND_HALF_UP)
        self.steps.append(f"round({fmt(value)}, {int(digits)}) = {fmt(result)}")
        return result


@functools.lru_cache(maxsize=4096)
def _checked(formula: str, names: frozenset[str]) -> tuple[ast.Expression, tuple[str, ...]]:
    """A validated formula and the variables it uses, kept per process: the calculator evaluates the same
    formulas over and over (a refused formula raises and is not kept)."""
    tree = validate(formula, names)
    used = sorted({node.id for node in ast.walk(tree) if isinstance(node, ast.Name) and node.id not in FUNCTIONS})
    return tree, tuple(used)


def evaluate(
    formula: str, values: dict[str, Decimal], numeric_names: Iterable[str] | None = None
) -> tuple[Decimal, list[str]]:
    """The formula's value and its steps. A variable without a value counts as 0 and is said in the steps."""
    names = frozenset(numeric_names) if numeric_names is not None else frozenset(values)
    tree, used = _checked(formula, names)
    steps: list[str] = []
    bound = {}
    for name in used:
        value = values.get(name)
        if value is None:
            steps.append(f"{name} 未填写，按 0 计")
        bound[name] = _number(value or 0)
    evaluator = _Evaluator(bound, steps)
    try:
        result = evaluator.eval(formula.strip(), previously_parsed=tree.body)
    except RuleError:
        raise
    except (decimal.DivisionByZero, decimal.InvalidOperation) as exc:
        raise RuleError("计算时除数为 0 或结果无效", field=FIELD) from exc
    except decimal.Overflow as exc:
        raise RuleError("计算结果超出范围", field=FIELD) from exc
    except (InvalidExpression, FeatureNotAvailable, TypeError, ValueError, RecursionError) as exc:
        raise RuleError("公式无法计算", field=FIELD) from exc
    return _number(result), steps
