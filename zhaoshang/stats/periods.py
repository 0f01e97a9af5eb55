"""Which days a statistic covers.

A period is the months 1..M of a year. Unless asked otherwise, the statistics show the last complete
month (on 7 December: January to November) and say so ("数据截至 2026年11月底"). The month that holds
today is incomplete: shown, it counts its days 1..today ("本月至今"), compares them with the same days
a year earlier, and its 序时进度 counts days of the year instead of twelfths.
"""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal


def last_complete_month(today: date) -> tuple[int, int]:
    """The year and month of the last month that has ended before ``today``."""
    previous = today.replace(day=1) - timedelta(days=1)
    return previous.year, previous.month


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


@dataclass(frozen=True)
class Period:
    """Months 1..``month`` of ``year``, counted up to ``through`` (the month's last day when complete)."""

    year: int
    month: int
    through: date

    @classmethod
    def of(cls, year: int, month: int, *, today: date) -> "Period":
        """The period as far as it has happened: the month holding ``today`` stops at ``today``."""
        end = month_end(year, month)
        start = date(year, month, 1)
        return cls(year, month, today if start <= today < end else end)

    @property
    def partial(self) -> bool:
        return self.through < month_end(self.year, self.month)

    @property
    def start(self) -> date:
        return date(self.year, self.month, 1)

    def same_days_last_year(self) -> tuple[date, date]:
        """Days 1..d of the month a year earlier (29 February answers with the 28th)."""
        last = min(self.through.day, calendar.monthrange(self.year - 1, self.month)[1])
        return date(self.year - 1, self.month, 1), date(self.year - 1, self.month, last)

    @property
    def schedule_pct(self) -> Decimal:
        """序时进度 (unrounded): M/12 of the year for complete months; days elapsed (today included) /
        days of the year for an incomplete one."""
        if not self.partial:
            return Decimal(self.month) * 100 / 12
        days = 366 if calendar.isleap(self.year) else 365
        return Decimal(self.through.timetuple().tm_yday) * 100 / days

    @property
    def months_label(self) -> str:
        """2026年1-11月 (2026年1月 for January)."""
        return f"{self.year}年1-{self.month}月" if self.month > 1 else f"{self.year}年1月"

    @property
    def days_label(self) -> str:
        """The incomplete month's days: 12月1-7日 (12月1日 on the first)."""
        day = self.through.day
        return f"{self.month}月1-{day}日" if day > 1 else f"{self.month}月1日"

    @property
    def as_of_text(self) -> str:
        if self.partial:
            return f"数据截至 {self.year}年{self.month}月{self.through.day}日"
        return f"数据截至 {self.year}年{self.month}月底"
