"""The 工作台 (home page): panels that apps contribute, each in its own ``workbench.py``::

    from zhaoshang.core.workbench import Panel, Row, register_panel

    @register_panel(order=20)
    def stage_deadlines(user, visit: Visit) -> Panel | None:
        ...

A provider returns ``None`` when the panel is not for this user (a department officer has no lead
follow-ups; a leader has no stage of his own to run), and a ``Panel`` — possibly with no rows, which
shows its ``empty`` text — when it is. Providers read through their app's selectors, a fixed number of
queries each whatever the number of rows (the home page's query count per role is pinned in tests).
Quick actions (``register_actions``) are gathered into one card.

Core itself is the ground floor (it imports no app), so it contributes only what it owns: the records
of mine that others changed since my previous login (from the change log); an expert's review list comes
from the reviews app.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from .roles import Cap
from .selectors import changes_by_others

# Levels and the Tabler colour each is shown in.
COLORS = {
    "danger": "red",
    "warning": "yellow",
    "info": "blue",
    "success": "green",
    "purple": "purple",
    "secondary": "secondary",
}


@dataclass(frozen=True)
class Visit:
    """This visit of the home page: today's date and the user's previous login (the one before this
    session's), which "since my last visit" counts from — sessions end after 30 idle minutes, so a new
    login is a new visit. ``previous_login`` is None at the first login."""

    today: date
    previous_login: datetime | None = None
    previous_ip: str | None = None

    @property
    def since(self) -> datetime:
        return self.previous_login or timezone.now() - timedelta(days=7)


@dataclass(frozen=True)
class Row:
    """One line of a panel: what it is, where it leads, when it is due, and one action."""

    text: str
    url: str = ""
    detail: str = ""
    due: date | None = None
    badge: str = ""
    level: str = "info"  # a key of COLORS: the badge's colour
    action_url: str = ""
    action_label: str = ""
    action_post: bool = False  # a one-click write (a POST form with the CSRF token), else a link
    action_fields: tuple[tuple[str, str], ...] = ()  # the posted form's fields
    testid: str = ""

    @property
    def color(self) -> str:
        return COLORS.get(self.level, "secondary")


@dataclass(frozen=True)
class Figure:
    """One number of a summary panel."""

    label: str
    value: str
    url: str = ""
    note: str = ""
    level: str = "info"

    @property
    def color(self) -> str:
        return COLORS.get(self.level, "secondary")


@dataclass(frozen=True)
class QuickAction:
    """A button; with ``field`` a search box submitted to ``url`` by GET (``?field=…``); with ``choices``
    ((value, label) pairs) a picker submitted the same way."""

    label: str
    url: str
    icon: str = "ti-bolt"
    field: str = ""
    placeholder: str = ""
    choices: tuple[tuple[str, str], ...] = ()
    testid: str = ""


@dataclass
class Panel:
    key: str
    title: str
    icon: str = "ti-list-check"
    rows: list[Row] = field(default_factory=list)
    extra_rows: list[Row] = field(default_factory=list)  # after the rows, not counted (the pool, a summary line)
    figures: list[Figure] = field(default_factory=list)
    empty: str = "暂无"
    total: int | None = None  # how many there are in all, when more than the rows shown
    more_url: str = ""
    more_label: str = "查看全部"
    note: str = ""  # a short line under the title (the period figures are about, the time since …)
    header_action: QuickAction | None = None  # e.g. "全部标为已读": posted, then back to the 工作台
    column: str = "main"  # top (full width), main (the wide left column) or side

    @property
    def hidden_count(self) -> int:
        return max((self.total or 0) - len(self.rows), 0)


_panels: list[tuple[int, Callable]] = []
_actions: list[tuple[int, Callable]] = []
_discovered = False


def _adder(registry: list[tuple[int, Callable]], order: int) -> Callable:
    def decorator(provider: Callable) -> Callable:
        if all(p is not provider for _, p in registry):
            registry.append((order, provider))
            registry.sort(key=lambda entry: entry[0])
        return provider

    return decorator


def register_panel(*, order: int) -> Callable:
    """``provider(user, visit) -> Panel | None``, shown in ``order`` (smaller first)."""
    return _adder(_panels, order)


def register_actions(*, order: int) -> Callable:
    """``provider(user) -> list[QuickAction]``: the app's quick actions for this user (no query, or one)."""
    return _adder(_actions, order)


def _discover() -> None:
    global _discovered
    if not _discovered:
        autodiscover_modules("workbench")
        _discovered = True


def panels_for(user, visit: Visit) -> list[Panel]:
    """Every panel for this user, in registration order."""
    _discover()
    return [panel for _, provider in _panels if (panel := provider(user, visit)) is not None]


def actions_for(user) -> list[QuickAction]:
    _discover()
    return [action for _, provider in _actions for action in provider(user)]


def due_badge(due: date | None, today: date) -> tuple[str, str]:
    """(badge, level) for a deadline: overdue in red, today and the next three days in yellow."""
    if due is None:
        return "无期限", "secondary"
    days = (due - today).days
    if days < 0:
        return f"逾期 {-days} 天", "danger"
    if days == 0:
        return "今天到期", "warning"
    return f"{days} 天后到期", "warning" if days <= 3 else "info"


def by_urgency(rows: list[Row]) -> list[Row]:
    """Overdue first, then by deadline (no deadline last), keeping the given order among equals."""
    return sorted(rows, key=lambda r: (r.due is None, r.due or date.max))


# --- core's own panels -----------------------------------------------------------------------------------


@register_panel(order=70)
def changed_by_others(user, visit: Visit) -> Panel | None:
    """Records I created or my unit owns that someone else changed since my previous login (for those who
    create records: an expert only reads what is assigned to him)."""
    if user.org_unit_id is None or not user.has_capability(Cap.BUSINESS_CHANGE):
        return None
    if visit.previous_login:
        note = f"自上次登录（{timezone.localtime(visit.previous_login):%m-%d %H:%M}）以来"
    else:
        note = "首次登录：近 7 天"
    changes, total = changes_by_others(user=user, since=visit.since, limit=12)
    return Panel(
        key="changes",
        title="他人改动了我的记录",
        icon="ti-history",
        note=note,
        rows=[
            Row(
                text=change["repr"],
                url=change["url"],
                detail=change["detail"],
                badge=change["badge"],
                level="secondary" if change["deleted"] else "info",
                action_url=change["url"],
                action_label="查看" if change["url"] else "",
            )
            for change in changes
        ],
        total=total,
        empty="没有他人改动您登记或本单位负责的记录",
        column="side",
    )
