"""What a module imports, read from its syntax tree (for the layering lints)."""

import ast
from collections.abc import Iterator


def imported_modules(source: str, package: str) -> Iterator[tuple[int, list[str]]]:
    """(line, modules) for every import statement in ``source``, at module level or inside functions.
    ``package`` (the module's package) resolves relative imports; ``from a.b import c`` names both ``a.b`` and
    ``a.b.c``, since ``c`` may be a module (``from zhaoshang import leads`` imports the app)."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            yield node.lineno, [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join([*parts[: len(parts) - node.level + 1], *([base] if base else [])])
            yield node.lineno, [base, *(f"{base}.{alias.name}" for alias in node.names)]
