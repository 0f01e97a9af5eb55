"""Imports sit at the top of their module (issue #11). One inside a function or class stays only when it says
why on its line: ``# cycle: <which>`` (the two modules import each other), ``# deferred: <why>`` (it must
wait for the settings or for app loading) or ``# lazy: <why>`` (a heavy library only some processes use).
Migrations are frozen history and are not read."""

import ast
from pathlib import Path

import zhaoshang

ROOT = Path(zhaoshang.__file__).parent
REASONS = ("# cycle:", "# deferred:", "# lazy:")


def says_why(line: str) -> bool:
    return any(reason in line for reason in REASONS)


def unexplained_local_imports(source: str) -> list[int]:
    """Lines of the imports inside a function or class body whose line gives no reason."""
    lines = source.splitlines()
    found = set()
    for scope in ast.walk(ast.parse(source)):
        if isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            for node in ast.walk(scope):
                if isinstance(node, ast.Import | ast.ImportFrom) and not says_why(lines[node.lineno - 1]):
                    found.add(node.lineno)
    return sorted(found)


def test_the_check_finds_local_imports():
    snippet = (
        "import os\n"  # 1
        "def f():\n"  # 2
        "    import json\n"  # 3
        "    from .models import A  # cycle: models imports this module\n"  # 4
        "class C:\n"  # 5
        "    def g(self):\n"  # 6
        "        from x import y  # a comment that gives no reason\n"  # 7
        "        import z  # lazy: heavy\n"  # 8
        "if True:\n"  # 9
        "    import sys\n"  # 10: module level
    )
    assert unexplained_local_imports(snippet) == [3, 7]


def test_local_imports_say_why():
    offenders = []
    for path in sorted(ROOT.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for line in unexplained_local_imports(path.read_text(encoding="utf-8")):
            offenders.append(f"{path.relative_to(ROOT.parent)}:{line}")
    assert offenders == [], (
        "move these imports to the module top, or say why on the line (# cycle: / # deferred: / # lazy:):\n"
        + "\n".join(offenders)
    )
