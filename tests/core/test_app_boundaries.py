"""Apps talk through each other's selectors, services and exports, never each other's models (issue #11).

No module of ``zhaoshang/<app>/`` imports ``zhaoshang.<other app>.models``: at module level or inside a
function, absolute or relative, ``from zhaoshang.leads.models import Lead``, ``import zhaoshang.leads.models``
and ``from zhaoshang.leads import models`` alike. Read with ``ast``, so nothing is imported to check.

Always allowed:
- ``accounts.models`` (``OrgUnit``, ``User``): the identity and organisation every app stands on;
- ``core`` (the ground floor: ``tests/core/test_layers.py`` keeps it from importing the apps);
- migrations (frozen history; they reach models through ``apps.get_model`` anyway);
- a ForeignKey written as a string (``"projects.Project"``) imports nothing, so it is not seen here.

``ALLOWED`` is the short list of other exceptions, each with its reason.
"""

from pathlib import Path

import zhaoshang

from .imports import imported_modules

ROOT = Path(zhaoshang.__file__).parent  # the zhaoshang package
FOUNDATION = frozenset({"accounts", "core"})
SKIPPED_DIRS = frozenset({"migrations", "templates", "static"})

# (importing module, imported models module) → why it may.
ALLOWED: dict[tuple[str, str], str] = {
    ("zhaoshang.leads.models", "zhaoshang.projects.models"): (
        "a lead becomes a project: Lead.project_type takes the project's types (re-exported as "
        "Lead.ProjectType) and LeadFollowUp.Kind the project follow-up kinds. A model module needs the "
        "choices when its classes are defined, and importing projects' selectors there would load forms and "
        "filters during app loading; the relation itself is the string 'projects.Project'."
    ),
}


def business_apps() -> frozenset[str]:
    """Every package directly under zhaoshang/ that has models (a models.py or a models package)."""
    return frozenset(
        p.name for p in ROOT.iterdir() if p.is_dir() and ((p / "models.py").exists() or (p / "models").is_dir())
    )


def model_imports(source: str, package: str, apps: frozenset[str]) -> list[tuple[int, str]]:
    """(line, models module) of every import in ``source`` (a module of ``package``) that reaches another
    business app's models. ``package`` also resolves relative imports."""
    own = package.split(".")[1] if package.count(".") >= 1 else ""
    found = []
    for line, modules in imported_modules(source, package):
        for module in modules:
            parts = module.split(".")
            if (
                len(parts) >= 3
                and parts[0] == "zhaoshang"
                and parts[1] in apps
                and parts[1] not in FOUNDATION
                and parts[1] != own
                and parts[2] == "models"
            ):
                found.append((line, ".".join(parts[:3])))
                break
    return found


def scan() -> list[tuple[str, int, str]]:
    """(module, line, models module) of every cross-app models import under zhaoshang/, core aside."""
    apps = business_apps()
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT.parent)
        if relative.parts[1] == "core" or SKIPPED_DIRS & set(relative.parts) or len(relative.parts) < 3:
            continue  # core has its own test; top-level modules (urls, wsgi, cli) belong to no app
        parts = relative.with_suffix("").parts
        module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        package = ".".join(parts[:-1])  # a module's package; for __init__ the package itself
        for line, target in model_imports(path.read_text(encoding="utf-8"), package, apps):
            found.append((module, line, target))
    return found


def test_the_check_finds_model_imports():
    apps = frozenset({"accounts", "core", "enterprises", "projects", "leads", "notify"})
    snippet = (
        "from django.db import models\n"  # 1
        "from zhaoshang.accounts.models import User\n"  # 2: foundation
        "from zhaoshang.core.models import Industry\n"  # 3: foundation
        "from zhaoshang.enterprises.models import Enterprise\n"  # 4
        "from zhaoshang.projects import selectors\n"  # 5: a public read
        "from .models import Lead\n"  # 6: its own models
        "def f():\n"  # 7
        "    import zhaoshang.notify.models\n"  # 8
        "    from zhaoshang.projects import models\n"  # 9
        "    from ..enterprises.models import Contact\n"  # 10
        "    from zhaoshang.notify.services import notify_users\n"  # 11
    )
    found = model_imports(snippet, "zhaoshang.leads", apps)
    assert found == [
        (4, "zhaoshang.enterprises.models"),
        (8, "zhaoshang.notify.models"),
        (9, "zhaoshang.projects.models"),
        (10, "zhaoshang.enterprises.models"),
    ]
    # in a subpackage, three dots reach the zhaoshang package
    assert model_imports("from ...projects.models import Project\n", "zhaoshang.leads.extract", apps) == [
        (1, "zhaoshang.projects.models")
    ]


def test_business_apps_are_found():
    assert {"accounts", "enterprises", "projects", "leads", "notify", "stats", "imports"} <= business_apps()


def test_apps_import_no_other_apps_models():
    offenders = [
        f"{module}:{line} imports {target}" for module, line, target in scan() if (module, target) not in ALLOWED
    ]
    assert offenders == [], "use the other app's selectors / services / exports instead of its models:\n" + "\n".join(
        offenders
    )


def test_every_allowance_is_still_needed():
    used = {(module, target) for module, _, target in scan()}
    assert set(ALLOWED) - used == set(), "drop allow-list entries that no longer match an import"
