"""Working days in China: weekends, the official holidays and 调休 workdays.

The official calendar comes from the ``chinesecalendar`` package (the State Council's notices; it
covers the years up to its release). An administrator's entries (``CalendarDay``) take precedence and
cover years the package lacks; for a year neither knows, only weekends are days off and
``year_is_known`` says so, so that pages can warn.
"""

import time
from datetime import date, timedelta

import chinese_calendar

from .models import CalendarDay

# An administrator's change reaches every process within this many seconds (each caches per year).
CACHE_SECONDS = 60
_cache: dict[int, tuple[float, dict[date, bool]]] = {}


def _overrides(year: int) -> dict[date, bool]:
    cached = _cache.get(year)
    if cached is None or cached[0] < time.monotonic():
        days = dict(CalendarDay.objects.filter(date__year=year).values_list("date", "is_workday"))
        cached = (time.monotonic() + CACHE_SECONDS, days)
        _cache[year] = cached
    return cached[1]


def clear_cache() -> None:
    _cache.clear()


def year_is_known(year: int) -> bool:
    if _overrides(year):
        return True
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def is_workday(day: date) -> bool:
    override = _overrides(day.year).get(day)
    if override is not None:
        return override
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def add_workdays(start: date, days: int) -> date:
    """The date ``days`` working days after ``start`` (``start`` itself not counted)."""
    if days < 0:
        raise ValueError("days must be non-negative")
    current, left = start, days
    while left:
        current += timedelta(days=1)
        if is_workday(current):
            left -= 1
    return current


def workdays_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (negative when ``end`` is earlier)."""
    if end < start:
        return -workdays_between(end, start)
    count, current = 0, start
    while current < end:
        current += timedelta(days=1)
        count += is_workday(current)
    return count
