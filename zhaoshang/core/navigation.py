"""The left navigation. Each app declares its entries in its own ``navigation.py``::

    from zhaoshang.core.navigation import MenuItem, register
    register("leads", MenuItem("线索列表", "leads:list", capability=Cap.BUSINESS_VIEW))

Groups follow DESIGN.md §7 in a fixed order; a group with no entry the user may open is hidden,
so apps that do not exist yet show nothing (no dead links).
"""

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.module_loading import autodiscover_modules


@dataclass(frozen=True)
class MenuItem:
    label: str
    url_name: str
    capability: str | None = None


@dataclass
class MenuGroup:
    key: str
    label: str
    icon: str
    items: list[MenuItem] = field(default_factory=list)


GROUPS: dict[str, MenuGroup] = {
    g.key: g
    for g in [
        MenuGroup("home", "工作台", "ti-layout-dashboard"),
        MenuGroup("leads", "线索", "ti-bulb"),
        MenuGroup("projects", "项目", "ti-briefcase"),
        MenuGroup("enterprises", "企业库", "ti-building"),
        MenuGroup("network", "招商网络", "ti-affiliate"),
        MenuGroup("carriers", "载体库", "ti-building-factory-2"),
        MenuGroup("chains", "产业链", "ti-topology-star-3"),
        MenuGroup("policies", "政策", "ti-file-certificate"),
        MenuGroup("reviews", "研判", "ti-clipboard-check"),
        MenuGroup("stats", "统计分析", "ti-chart-bar"),
        MenuGroup("system", "系统管理", "ti-settings"),
    ]
}
_discovered = False


def register(group_key: str, item: MenuItem) -> None:
    group = GROUPS[group_key]
    if item not in group.items:
        group.items.append(item)


def _discover() -> None:
    global _discovered
    if not _discovered:
        autodiscover_modules("navigation")
        _discovered = True


def _visible(item: MenuItem, user) -> bool:
    return item.capability is None or user.has_capability(item.capability)


def menu_for(user, current_path: str) -> list[dict]:
    _discover()
    menu = []
    for group in GROUPS.values():
        entries = [
            {"label": item.label, "url": reverse(item.url_name), "active": False}
            for item in group.items
            if _visible(item, user)
        ]
        if entries:
            menu.append({"key": group.key, "label": group.label, "icon": group.icon, "entries": entries})
    # The entry whose URL is the longest prefix of the current path is the active one.
    matches = [
        e
        for g in menu
        for e in g["entries"]
        if current_path == e["url"] or (e["url"] != "/" and current_path.startswith(e["url"]))
    ]
    if matches:
        max(matches, key=lambda e: len(e["url"]))["active"] = True
    for group in menu:
        group["active"] = any(e["active"] for e in group["entries"])
    return menu
