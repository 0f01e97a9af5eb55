"""The "my to-do" area of the 工作台. Apps register providers in their ``todo.py``::

    @register
    def overdue_leads(user) -> list[TodoItem]: ...

Each provider returns the items for one user (cheap queries only: the home page calls them all).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.module_loading import autodiscover_modules


@dataclass(frozen=True)
class TodoItem:
    title: str
    url: str = ""
    count: int | None = None
    level: str = "info"  # info | warning | danger


_providers: list[Callable] = []
_discovered = False


def register(provider: Callable) -> Callable:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def todos_for(user) -> list[TodoItem]:
    global _discovered
    if not _discovered:
        autodiscover_modules("todo")
        _discovered = True
    items: list[TodoItem] = []
    for provider in _providers:
        items.extend(provider(user))
    return items
