"""Small modules, short functions (STYLE.md habits 11-12): a module over 500 lines or a function over 80
lines fails the build unless it says why beside it — a ``# size: <reason>`` comment in the module's first
30 lines, or on the line just above the function (or its first decorator). Migrations, tests and bench are
not application code."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "zhaoshang"
MODULE_LINES = 500
FUNCTION_LINES = 80


def _reason_above(lines: list[str], lineno: int) -> bool:
    return lineno >= 2 and lines[lineno - 2].strip().startswith("# size:")


def shape_problems(source: str, name: str) -> list[str]:
    lines = source.splitlines()
    problems = []
    if len(lines) > MODULE_LINES and not any(line.startswith("# size:") for line in lines[:30]):
        problems.append(f"{name}: {len(lines)} lines (over {MODULE_LINES}, no '# size:' reason)")
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        length = node.end_lineno - node.lineno + 1
        first = min([node.lineno] + [d.lineno for d in node.decorator_list])
        if length > FUNCTION_LINES and not _reason_above(lines, first):
            problems.append(f"{name}:{node.lineno} {node.name}() is {length} lines (over {FUNCTION_LINES})")
    return problems


def test_modules_and_functions_are_small_or_say_why():
    problems = []
    for path in sorted(ROOT.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        problems += shape_problems(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT.parent)))
    assert problems == []


def test_the_check_finds_a_long_function_and_accepts_a_reason():
    body = "\n".join(f"    x{i} = {i}" for i in range(85))
    long_function = f"def f():\n{body}\n"
    assert shape_problems(long_function, "m.py") == ["m.py:1 f() is 86 lines (over 80)"]
    assert shape_problems(f"# size: one table of constants\n{long_function}", "m.py") == []
    big_module = "\n".join(f"x{i} = {i}" for i in range(501))
    assert shape_problems(big_module, "m.py") == ["m.py: 501 lines (over 500, no '# size:' reason)"]
