"""The engine alone: conditions over each variable type, formulas (and hostile ones), caps, exclusivity,
years, near misses and worked examples."""

from decimal import Decimal

import pytest

from zhaoshang.policies.engine import calculator, conditions, formulas
from zhaoshang.policies.engine.catalogue import Var, coerce, coerce_all
from zhaoshang.policies.engine.errors import RuleError

CATALOGUE = {
    "investment": Var("investment", "总投资", "number", "万元"),
    "land_mu": Var("land_mu", "用地", "number", "亩"),
    "project_type": Var("project_type", "项目类型", "choice", "", (("new", "新建"), ("merger", "并购"))),
    "industry": Var("industry", "国民经济行业", "industry"),
    "chain_node": Var("chain_node", "产业链节点", "chain_node"),
    "tags": Var("tags", "企业标签", "tags"),
    "signed_on": Var("signed_on", "签约日期", "date"),
    "town": Var("town", "落地镇街", "town"),
}
NUMERIC = ["investment", "land_mu"]


def spec(**kw):
    base = {
        "clause_id": kw.pop("clause_id", 1),
        "version_id": 1,
        "version": 1,
        "policy": "外资政策",
        "article": kw.pop("article", "第三条"),
        "title": "奖励",
        "condition": {},
        "formula": "investment * 0.01",
    }
    return calculator.ClauseSpec(**{**base, **kw})


@pytest.mark.parametrize(
    ("formula", "reason", "position"),
    [
        ('__import__("os")', "只能调用 min、max、round 三个函数", "第 1 列"),
        ("investment.__class__", "不允许访问属性（.）", "第 1 列"),
        ("9**9**9", "不支持 **（乘方），只能使用 + − × ÷", "第 1 列"),
        ("investment / 0", "除数为 0", "第 14 列"),
        ("investment > 3", "公式中不能有比较或逻辑运算，条件请写在适用条件中", "第 1 列"),
        ("land_mu + foo", "未知变量 foo（须为变量目录中的数值型变量）", "第 11 列"),
        ("investment[0]", "不允许下标（[ ]）", "第 1 列"),
        ("'abc'", "公式中只能出现数字和变量，不能出现文字", "第 1 列"),
        ("lambda: 1", "不支持的写法（Lambda）", "第 1 列"),
        ("investment % 7", "不支持 %（取余），只能使用 + − × ÷", "第 1 列"),
        ("round(investment, 99)", "round 的小数位数须为 0–6 的整数", "第 19 列"),
    ],
)
def test_hostile_or_wrong_formulas_are_refused_with_position_and_reason(formula, reason, position):
    with pytest.raises(RuleError) as error:
        formulas.validate(formula, NUMERIC)
    assert (error.value.reason, error.value.position) == (reason, position)
    assert error.value.fields == {"formula": [f"{reason}（位置：{position}）"]}


def test_long_and_broken_formulas_are_refused():
    with pytest.raises(RuleError, match="公式过长（501 个字符，最多 500 个）"):
        formulas.validate("1" + "+1" * 250, NUMERIC)
    with pytest.raises(RuleError, match="公式语法错误"):
        formulas.validate("(investment", NUMERIC)
    with pytest.raises(RuleError, match="公式不能为空"):
        formulas.validate("  ", NUMERIC)


def test_division_by_a_zero_variable_is_a_clear_error():
    with pytest.raises(RuleError, match="计算时除数为 0"):
        formulas.evaluate("investment / land_mu", {"investment": Decimal(1), "land_mu": Decimal(0)}, NUMERIC)


def test_formula_steps_are_recorded_in_decimal():
    value, steps = formulas.evaluate(
        "min(investment * 0.01, 500) + round(land_mu / 3, 2)", {"investment": Decimal(60000), "land_mu": Decimal(80)}
    )
    assert value == Decimal("526.67")
    assert steps == [
        "60,000 × 0.01 = 600",
        "min(600, 500) = 500",
        "80 ÷ 3 = 26.666667",
        "round(26.666667, 2) = 26.67",
        "500 + 26.67 = 526.67",
    ]


@pytest.mark.parametrize(
    ("condition", "position", "reason"),
    [
        (
            {"and": [{"log": 1}]},
            "and[0]",
            "不支持的运算符 'log'（可用：and、or、!、==、!=、>、>=、<、<=、in、industry_in）",
        ),
        ({"and": [{">": [{"var": "project_type"}, 1]}]}, "and[0].>[1]", "项目类型不能比较大小，只能用 ==、!= 或 in"),
        ({"and": [{">=": [{"var": "nope"}, 1]}]}, "and[0].>=[0]", "未知变量 nope"),
        ({">=": [5, {"var": "investment"}]}, "根.>=[0]", '第一个参数须为变量，如 {"var": "investment"}'),
        ({"==": [{"var": "project_type"}, "xx"]}, "根.==[1]", "'xx' 不是项目类型的选项"),
        ({">=": [{"var": "investment"}, "5000"]}, "根.>=[1]", "总投资须与数字比较"),
        ({">=": [{"var": "signed_on"}, "2026-13-01"]}, "根.>=[1]", "签约日期须为日期（如 2026-01-31）"),
        (
            {"and": [{"or": [{"in": [1, {"var": "tags"}]}]}]},
            "and[0].or[0].in[0]",
            "in 的第二个参数是变量时，须为标签变量，第一个参数为标签名称",
        ),
    ],
)
def test_invalid_conditions_name_the_path_and_reason(condition, position, reason):
    with pytest.raises(RuleError) as error:
        conditions.validate(condition, CATALOGUE)
    assert (error.value.position, error.value.reason) == (position, reason)


def test_condition_json_syntax_error_names_the_character():
    with pytest.raises(RuleError) as error:
        conditions.validate('{"and": [', CATALOGUE)
    assert error.value.position == "第 10 个字符"


def test_each_variable_type_is_evaluated_with_the_values_compared():
    condition = {
        "and": [
            {">=": [{"var": "investment"}, 5000]},
            {"in": [{"var": "project_type"}, ["new", "merger"]]},
            {"industry_in": [{"var": "industry"}, ["36"]]},
            {"in": [{"var": "chain_node"}, ["nev.battery"]]},
            {"in": ["专精特新", {"var": "tags"}]},
            {">=": [{"var": "signed_on"}, "2026-01-01"]},
            {"==": [{"var": "town"}, "店口镇"]},
        ]
    }
    conditions.validate(condition, CATALOGUE)
    values = {
        "investment": Decimal(4800),
        "project_type": "new",
        "industry": "3670",
        "chain_node": "nev.battery",
        "tags": ["专精特新", "高新技术企业"],
        "signed_on": "2026-03-01",
        "town": "店口镇",
    }
    parts = conditions.evaluate(condition, CATALOGUE, values)
    assert [(p.text, p.met, p.actual) for p in parts] == [
        ("总投资 ≥ 5,000 万元", False, "4,800 万元"),
        ("项目类型为新建、并购", True, "新建"),
        ("国民经济行业属于36", True, "3670"),
        ("产业链节点为nev.battery", True, "nev.battery"),
        ("企业标签含「专精特新」", True, "专精特新、高新技术企业"),
        ("签约日期 ≥ 2026-01-01", True, "2026-03-01"),
        ("落地镇街 = 店口镇", True, "店口镇"),
    ]
    assert parts[0].gap == "差 200 万元"


def test_a_missing_value_is_not_met_and_said_so():
    parts = conditions.evaluate({"!=": [{"var": "project_type"}, "merger"]}, CATALOGUE, {})
    assert (parts[0].met, parts[0].missing, parts[0].actual) == (False, True, "未填写")


def test_coercion_of_inputs():
    assert coerce(CATALOGUE["investment"], "5,000.5") == Decimal("5000.5")
    assert coerce(CATALOGUE["project_type"], "并购") == "merger"
    assert coerce(CATALOGUE["tags"], "上市，专精特新") == ["上市", "专精特新"]
    values, errors = coerce_all(CATALOGUE, {"investment": "abc", "nope": 1, "signed_on": "2026-02-30"})
    assert errors == {
        "investment": ["总投资须为数字"],
        "nope": ["未知变量 nope"],
        "signed_on": ["签约日期须为日期（如 2026-01-31）"],
    }


def test_minimum_cap_and_yearly_cap():
    low = spec(formula="investment * 0.001", minimum=Decimal("10"), cap=Decimal("50"))
    high = spec(clause_id=2, formula="investment * 0.01", cap=Decimal("500"), installments=3, yearly_cap=Decimal("100"))
    result = calculator.calculate([low, high], CATALOGUE, {"investment": Decimal(60000)}, base_year=2026)
    first, second = result.clauses
    assert (first.amount, first.capped) == (Decimal("50.00"), True)  # 60 → capped at 50
    assert second.by_year == {2026: Decimal("100"), 2027: Decimal("100"), 2028: Decimal("100")}  # 500/3 > 100 a year
    assert result.total == Decimal("350.00")
    assert result.by_year == {2026: Decimal("150.00"), 2027: Decimal("100"), 2028: Decimal("100")}


def test_exclusivity_keeps_the_highest_of_a_group():
    a = spec(clause_id=1, article="第三条", formula="100", exclusivity_group="落户奖励")
    b = spec(clause_id=2, article="第五条", formula="300", exclusivity_group="落户奖励")
    c = spec(clause_id=3, article="第六条", formula="20", timing="full_production")
    result = calculator.calculate([a, b, c], CATALOGUE, {}, base_year=2026)
    assert [(r.spec.clause_id, r.amount, r.excluded_by) for r in result.clauses] == [
        (1, Decimal("0"), 2),
        (2, Decimal("300.00"), None),
        (3, Decimal("20.00"), None),
    ]
    assert result.clauses[0].steps[-1] == "与外资政策第五条同属「落户奖励」，就高不叠加，本条不计"
    assert result.total == Decimal("320.00") and result.by_year == {2026: Decimal("300.00"), 2028: Decimal("20.00")}


def test_near_misses_are_clauses_missed_by_one_condition():
    one = spec(
        clause_id=1,
        condition={"and": [{">=": [{"var": "investment"}, 5000]}, {"==": [{"var": "project_type"}, "new"]}]},
    )
    two = spec(
        clause_id=2,
        condition={"and": [{">=": [{"var": "investment"}, 9000]}, {"==": [{"var": "project_type"}, "merger"]}]},
    )
    unknown = spec(clause_id=3, condition={"and": [{">=": [{"var": "land_mu"}, 50]}]})
    result = calculator.calculate(
        [one, two, unknown], CATALOGUE, {"investment": Decimal(4800), "project_type": "new"}, base_year=2026
    )
    assert result.clauses == []
    assert [r.spec.clause_id for r in result.near_misses] == [1]  # two misses by two; unknown lacks the value
    assert [(p.text, p.actual, p.gap) for p in result.near_misses[0].unmet] == [
        ("总投资 ≥ 5,000 万元", "4,800 万元", "差 200 万元")
    ]


def test_worked_examples_pass_fail_and_not_applicable():
    clause = spec(condition={"and": [{">=": [{"var": "investment"}, 5000]}]}, formula="investment * 0.01")
    assert calculator.run_example(clause, CATALOGUE, {"inputs": {"investment": 60000}, "expected": "600"}) == (
        True,
        "600 万元",
    )
    assert calculator.run_example(clause, CATALOGUE, {"inputs": {"investment": 60000}, "expected": "601"}) == (
        False,
        "600 万元（预期 601 万元）",
    )
    assert calculator.run_example(clause, CATALOGUE, {"inputs": {"investment": 100}, "expected": "不适用"}) == (
        True,
        "不适用",
    )
    assert calculator.run_example(clause, CATALOGUE, {"inputs": {"investment": 100}, "expected": "1"}) == (
        False,
        "条件不满足：总投资 ≥ 5,000 万元",
    )
