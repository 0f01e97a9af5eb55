"""Core is the ground floor: no module under zhaoshang/core imports an app (the apps stand on core, never
the other way round). Read with ``ast``, so function-local imports count too."""

from pathlib import Path

import zhaoshang.core

from .imports import imported_modules

APPS = frozenset({"accounts", "enterprises", "projects", "leads", "stats", "notify", "imports"})
CORE = Path(zhaoshang.core.__file__).parent


def app_imports(source: str, package: str = "zhaoshang.core") -> list[tuple[int, str]]:
    """(line, module) of every import in ``source`` that reaches an app; ``package`` resolves relative
    imports (``from ..leads import x`` inside zhaoshang.core)."""
    found = []
    for line, modules in imported_modules(source, package):
        for module in modules:
            top, _, rest = module.partition(".")
            if top == "zhaoshang" and rest.partition(".")[0] in APPS:
                found.append((line, module))
                break
    return found


def test_the_check_finds_app_imports():
    snippet = (
        "import os\n"
        "from django.db import models\n"
        "from zhaoshang.core.roles import Cap\n"
        "from zhaoshang.accounts.models import User\n"
        "def f():\n"
        "    import zhaoshang.leads.selectors\n"
        "    from zhaoshang import projects\n"
        "    from ...stats import selectors\n"
        "    from .roles import Role\n"
    )
    assert [line for line, _ in app_imports(snippet, package="zhaoshang.core.views")] == [4, 6, 7, 8]
    assert app_imports("from zhaoshang.core.lists import ListResult\nimport zhaoshang.api\n") == []


def test_core_imports_no_app():
    offenders = []
    for path in sorted(CORE.rglob("*.py")):
        parts = path.relative_to(CORE.parent.parent).with_suffix("").parts
        package = ".".join(parts[:-1])  # a module's package; for __init__ the package itself
        for line, module in app_imports(path.read_text(encoding="utf-8"), package=package):
            offenders.append(f"{path.relative_to(CORE.parent.parent)}:{line} imports {module}")
    assert offenders == [], "core must not import the apps:\n" + "\n".join(offenders)
