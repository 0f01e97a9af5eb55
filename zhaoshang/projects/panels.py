"""Panels other apps contribute to the project page, each from its own ``project_panels.py``::

    from zhaoshang.projects.panels import ProjectPanel, register_project_panel

    @register_project_panel(order=30)
    def reviews(user, project) -> ProjectPanel | None:
        ...

The project page shows what other apps hold about the project (the 研判 and the 顾问团's opinions) without
the projects app importing them: they depend on projects, not the other way round, as the 工作台 composes the
panels apps register (``core.workbench``). A provider is called only for a user who may see the project (the
page has already found it through ``project_get``), returns ``None`` when the panel is not for this user, and
reads through its app's selectors in a fixed number of queries.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.module_loading import autodiscover_modules


@dataclass(frozen=True)
class ProjectPanel:
    """One card below the project's tabs: its title, the template that draws it and that template's context."""

    key: str
    title: str
    template: str
    context: dict = field(default_factory=dict)
    icon: str = ""
    badge: str = ""


_providers: list[tuple[int, Callable]] = []
_discovered = False


def register_project_panel(order: int = 50):
    def decorator(func):
        _providers.append((order, func))
        _providers.sort(key=lambda entry: entry[0])
        return func

    return decorator


def panels_for(user, project) -> list[ProjectPanel]:
    global _discovered
    if not _discovered:
        autodiscover_modules("project_panels")
        _discovered = True
    return [panel for _, provider in _providers if (panel := provider(user, project)) is not None]
