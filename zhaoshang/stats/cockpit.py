"""Sections other apps add to the cockpit (驾驶舱), the way ``navigation.py`` builds the menu: an app's
``cockpit.py`` decorates ``(user, today) -> dict | None`` with ``@register_section(order=…)``; the dict carries
``template`` (rendered with ``section`` in its context) and whatever that template shows. ``None``: nothing for
this user. Each provider reads through its own app's selectors in a fixed number of queries."""

from collections.abc import Callable
from datetime import date

from django.utils.module_loading import autodiscover_modules

_SECTIONS: list[tuple[int, Callable]] = []
_discovered = False


def register_section(order: int = 100):
    def wrap(func: Callable) -> Callable:
        if all(f is not func for _, f in _SECTIONS):
            _SECTIONS.append((order, func))
            _SECTIONS.sort(key=lambda item: item[0])
        return func

    return wrap


def sections_for(user, today: date) -> list[dict]:
    global _discovered
    if not _discovered:
        autodiscover_modules("cockpit")
        _discovered = True
    return [section for _, func in _SECTIONS if (section := func(user, today)) is not None]
