"""The compiled conditions (``engine.compiler``) against the reference interpreter (``json_logic.jsonLogic``,
panzi-json-logic): many generated conditions × many generated facts, both ways, the same answer — for every
operator the clause editor allows, missing variables, None, and the interpreter's type coercions."""

import math
import random

import pytest
from json_logic import jsonLogic

from zhaoshang.policies.engine import conditions
from zhaoshang.policies.engine.compiler import compile_logic
from zhaoshang.policies.engine.conditions import OPERATIONS

from .test_engine import CATALOGUE

NUMBERS = [0, 1, -1, 0.5, 30, 5000, 5000.0, 1e12, float("nan"), float("inf")]
STRINGS = ["", "0", "1", "5000", "new", "merger", "C35", "3511", "351", "inf", "专精特新", "2026-01-01", "abc"]
ODD = [None, True, False, [], [1], ["专精特新"], [5000], {"a": 1}, {}]
TAG_NAMES = ["专精特新", "高新技术企业", "", "1"]
CODES = ["C", "C3", "C35", "C3511", "3511", "35", "1", ""]


def _fact(rng: random.Random, name: str):
    """A value for a variable: usually of its type, often missing or None, sometimes of another type."""
    roll = rng.random()
    if roll < 0.15:
        return "<missing>"
    if roll < 0.25:
        return None
    if roll < 0.4:
        return rng.choice(NUMBERS + STRINGS + ODD)
    kind = CATALOGUE[name].kind
    if kind == "number":
        return rng.choice(NUMBERS)
    if kind == "tags":
        return rng.sample(TAG_NAMES, rng.randint(0, 3))
    if kind == "industry":
        return rng.choice(CODES)
    return rng.choice(STRINGS)


def _data(rng: random.Random) -> dict:
    data = {name: _fact(rng, name) for name in CATALOGUE}
    return {k: v for k, v in data.items() if v != "<missing>"}


def _literal(rng: random.Random, name: str):
    if rng.random() < 0.2:  # a literal of another type: the coercions
        return rng.choice(NUMBERS + STRINGS + [None, True, False])
    kind = CATALOGUE[name].kind
    return rng.choice(NUMBERS) if kind == "number" else rng.choice(STRINGS)


def _part(rng: random.Random, depth: int):
    roll = rng.random()
    name = rng.choice(list(CATALOGUE))
    var = {"var": name}
    if depth < 3 and roll < 0.15:
        return {rng.choice(["and", "or"]): [_part(rng, depth + 1) for _ in range(rng.randint(1, 3))]}
    if depth < 3 and roll < 0.22:
        return {"!": [_part(rng, depth + 1)]} if rng.random() < 0.5 else {"!": _part(rng, depth + 1)}
    if roll < 0.55:
        op = rng.choice(list(conditions.COMPARISONS))
        args = [var, _literal(rng, name)]
        return {op: args[::-1] if rng.random() < 0.1 else args}
    if roll < 0.7:
        return {"in": [var, rng.sample(STRINGS, rng.randint(1, 4))]}
    if roll < 0.82:
        return {"in": [rng.choice(TAG_NAMES), {"var": rng.choice(["tags", name])}]}
    if roll < 0.95:
        return {"industry_in": [{"var": rng.choice(["industry", name])}, rng.sample(CODES, rng.randint(1, 3))]}
    return {rng.choice(["==", "<", "in"]): [var, {"var": rng.choice(list(CATALOGUE))}]}  # two variables


def _outcome(fn, *args):
    """The value, or the exception's type (the interpreter raises TypeError on some type pairs)."""
    try:
        return fn(*args)
    except (TypeError, ValueError, ReferenceError) as exc:
        return type(exc)


def _same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return type(a) is type(b) and a == b


@pytest.mark.parametrize("seed", range(8))
def test_compiled_conditions_give_the_interpreters_answer_for_generated_rules_and_facts(seed):
    rng = random.Random(seed)
    rules = [{"and": [_part(rng, 1) for _ in range(rng.randint(1, 5))]} for _ in range(150)]
    facts = [_data(rng) for _ in range(40)]
    compared = 0
    for rule in rules:
        whole = compile_logic(rule, OPERATIONS)
        parts = [(part, compile_logic(part, OPERATIONS)) for part in rule["and"]]
        for data in facts:
            expected = _outcome(jsonLogic, rule, data, OPERATIONS)
            assert _same(_outcome(whole, data), expected), (rule, data)
            for part, fn in parts:
                assert _same(_outcome(fn, data), _outcome(jsonLogic, part, data, OPERATIONS)), (part, data)
            compared += 1
    assert compared == 150 * 40


@pytest.mark.parametrize(
    ("rule", "data"),
    [
        ({">=": [{"var": "investment"}, 5000]}, {}),  # missing → None → 0
        ({">=": [{"var": "investment"}, -1]}, {"investment": None}),
        ({"==": [{"var": "investment"}, "5000"]}, {"investment": 5000.0}),  # string coerced to a number
        ({"<": [{"var": "town"}, 3]}, {"town": "abc"}),  # NaN comparisons
        ({"==": [{"var": "tags"}, "专精特新"]}, {"tags": ["专精特新"]}),  # a list as a string
        ({"and": [{"var": "investment"}, {"var": "town"}]}, {"investment": 0.0, "town": "x"}),  # value, not bool
        ({"or": [{"var": "town"}, {"var": "investment"}]}, {"investment": float("nan")}),
        ({"!": [{"var": "tags"}]}, {"tags": []}),
        ({"in": ["专精特新", {"var": "tags"}]}, {"tags": "高新技术企业专精特新"}),  # substring of a string
        ({"var": ["investment", 7]}, {}),  # a default
        ({"var": "a.b"}, {"a": {"b": 3}}),  # a dotted path goes to op_var
        ({"if": [True, 1, 2]}, {}),  # not specialised: interpreted
        ({"==": [[1], [1]]}, {}),  # two list literals are never the same object
    ],
)
def test_compiled_edge_cases(rule, data):
    assert _same(compile_logic(rule, OPERATIONS)(data), jsonLogic(rule, data, OPERATIONS))


def test_an_unknown_operation_fails_as_in_the_interpreter():
    fn = compile_logic({"nope": [1]}, OPERATIONS)
    with pytest.raises(ReferenceError):
        fn({})


def test_check_reuses_the_compiled_form_per_version_only_for_the_same_condition():
    first = {"and": [{">=": [{"var": "investment"}, 5000]}]}
    other = {"and": [{">=": [{"var": "investment"}, 50]}]}
    values = {"investment": 100}
    data = conditions.engine_data(CATALOGUE, values)
    assert [met for _, met, _ in conditions.check(first, values, data, key="v-test")] == [False]
    assert conditions.compiled(first, key="v-test") is conditions.compiled(dict(first), key="v-test")
    # the same id with another condition (a reused id in another database) is compiled afresh
    assert [met for _, met, _ in conditions.check(other, values, data, key="v-test")] == [True]
