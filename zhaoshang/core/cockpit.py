"""Sections other apps add to the 驾驶舱 (the cockpit, owned by ``stats``), the way ``navigation.py`` builds the
menu: an app's ``cockpit.py`` calls ``register_section(order, template, provider)``; the provider takes the user
and returns the template's context, or None when the section is not for them. Each provider reads through its
own app's selectors in a fixed number of queries."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.module_loading import autodiscover_modules


@dataclass(frozen=True)
class Section:
    order: int
    template: str
    provider: Callable


_SECTIONS: list[Section] = []
_discovered = False


def register_section(order: int, template: str, provider: Callable) -> None:
    if not any(s.template == template for s in _SECTIONS):
        _SECTIONS.append(Section(order, template, provider))
        _SECTIONS.sort(key=lambda s: s.order)


def sections_for(user) -> list[dict]:
    """``[{"template", "context"}]`` of the sections this user sees, in order."""
    global _discovered
    if not _discovered:
        autodiscover_modules("cockpit")
        _discovered = True
    shown = []
    for section in _SECTIONS:
        context = section.provider(user)
        if context is not None:
            shown.append({"template": section.template, "context": context})
    return shown
