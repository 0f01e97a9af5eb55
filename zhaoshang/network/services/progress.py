"""The funnel's roll-up (``LeadProgress`` per lead, ``LeadProgressGroup`` per group and month): the only writer
of both. A lead's row is recomputed from the public reads the funnel itself uses (the lead with its project's
dates, the project's FDI, the lead's source link) whenever one of those records is saved or deleted — the
receivers in ``network.receivers`` call ``progress_refresh`` inside the writing transaction — and its group
loses the old row and gains the new one, so both tables are exact when the transaction commits. No change log:
the tables are derived, like the FDI roll-ups; ``progress_rebuild`` recomputes them, ``progress_differences``
(``zhaoshang network-progress``) compares them with the records."""

import json
from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db import transaction

from zhaoshang.leads import selectors as lead_selectors
from zhaoshang.stats import selectors as stats_selectors

from ..funnel import lead_steps
from ..models import LeadProgress, LeadProgressGroup, LeadSource

_DAY_FIELDS = ("valid_days", "negotiating_days", "signed_days", "registered_days", "started_days", "arrived_days")
_MERGED = "merged"
_BATCH = 2000


def step_days(steps: list[tuple[bool, date | None]]) -> list[int | None]:
    """Per step after the first: the days since the latest earlier step with a date (None when the step has no
    date or precedes that one) — the funnel's ``median_days`` inputs, as ``funnel._Group.add`` counts them."""
    out: list[int | None] = []
    last_day = None
    for i, (_reached, day) in enumerate(steps):
        if day is None:
            if i:
                out.append(None)
            continue
        if i:
            out.append((day - last_day).days if last_day is not None and day >= last_day else None)
        last_day = day if last_day is None or day >= last_day else last_day
    return out


def _cents(amount) -> int:
    return int((Decimal(amount or 0) * 100).to_integral_value())


def _source_links(lead_ids) -> dict[int, tuple[str, int | None]]:
    links = LeadSource.objects.filter(lead_id__in=list(lead_ids)).values_list(
        "lead_id", "kind", "office_id", "intermediary_id", "referrer_id", "sister_city_id", "event_id"
    )
    out = {}
    for lead_id, kind, office, intermediary, referrer, city, event in links:
        record = {"office": office, "intermediary": intermediary, "referrer": referrer, "sister_city": city}
        out[lead_id] = (kind, {**record, "event": event}.get(kind))
    return out


def _rows(progress: list[dict]) -> list[LeadProgress]:
    """The roll-up rows of these leads' progress rows (merged leads have none)."""
    progress = [row for row in progress if row["status"] != _MERGED]
    links = _source_links(row["id"] for row in progress)
    fdi: dict[int, tuple[date, Decimal]] = {}
    projects_by_region = defaultdict(list)
    for row in progress:
        if row["project_id"]:
            projects_by_region[row["region_id"]].append(row["project_id"])
    for region_id, projects in projects_by_region.items():
        fdi.update(stats_selectors.fdi_arrived_by_project(region_id=region_id, project_ids=projects))
    out = []
    for row in progress:
        arrived = fdi.get(row["project_id"]) if row["project_id"] else None
        steps = lead_steps(row, arrived)
        kind, record = links.get(row["id"], ("", None))
        reached = max(i for i, (flag, _) in enumerate(steps) if flag)
        out.append(
            LeadProgress(
                lead_id=row["id"],
                region_id=row["region_id"],
                org_unit_id=row["org_unit_id"],
                registered_on=row["registered_on"],
                channel=row["source"],
                chain=row["chain"],
                source_unit_id=row["source_unit_id"],
                source_kind=kind,
                source_id=record,
                quality=row["assessed_on"] is not None or row["status"] == "converted",
                has_project=row["project_id"] is not None,
                reached=reached,
                investment_cents=_cents(row["project__total_investment"]) if reached >= 3 else 0,
                fdi_cents=_cents(arrived[1]) if arrived else 0,
                **dict(zip(_DAY_FIELDS, step_days(steps), strict=True)),
            )
        )
    return out


_GROUP_KEY = (
    "region_id",
    "org_unit_id",
    "channel",
    "chain",
    "source_unit_id",
    "source_kind",
    "source_id",
    "quality",
    "has_project",
)


class _Sums:
    """What a set of ``LeadProgress`` rows adds to (or, with sign -1, takes from) their groups."""

    def __init__(self) -> None:
        self.groups: dict[tuple, dict] = {}

    def add(self, row: LeadProgress, sign: int = 1) -> None:
        key = (*(getattr(row, name) for name in _GROUP_KEY), row.registered_on.replace(day=1))
        group = self.groups.setdefault(key, {"reached": [0] * 7, "days": {}, "inv": 0, "fdi": 0})
        group["reached"][row.reached] += sign
        group["inv"] += sign * row.investment_cents
        group["fdi"] += sign * row.fdi_cents
        for step, name in enumerate(_DAY_FIELDS, 1):
            value = getattr(row, name)
            if value is not None:
                histogram = group["days"].setdefault(str(step), {})
                histogram[str(value)] = histogram.get(str(value), 0) + sign

    def apply(self) -> None:
        """Add the sums to the stored groups (created, changed, or deleted once empty)."""
        for key, delta in self.groups.items():
            fields = dict(zip((*_GROUP_KEY, "month"), key, strict=True))
            stored = LeadProgressGroup.objects.select_for_update().filter(**fields).first()
            if stored is None:
                stored = LeadProgressGroup(**fields, reached=[0] * 7, days={}, investment_cents=0, fdi_cents=0)
            stored.reached = [a + b for a, b in zip(stored.reached, delta["reached"], strict=True)]
            stored.investment_cents += delta["inv"]
            stored.fdi_cents += delta["fdi"]
            for step, histogram in delta["days"].items():
                merged = stored.days.setdefault(step, {})
                for value, n in histogram.items():
                    merged[value] = merged.get(value, 0) + n
                    if not merged[value]:
                        del merged[value]
                if not merged:
                    del stored.days[step]
            if not any(stored.reached):
                if stored.pk:
                    stored.delete()
            else:
                stored.save()


def progress_refresh(*, lead_ids) -> None:
    """Recompute the roll-up rows of these leads (a lead deleted or merged loses its row) and their groups."""
    ids = sorted(set(lead_ids))
    if not ids:
        return
    with transaction.atomic():
        for first in range(0, len(ids), _BATCH):
            batch = ids[first : first + _BATCH]
            rows = _rows(list(lead_selectors.lead_progress_of(batch).values()))
            sums = _Sums()
            for old in LeadProgress.objects.filter(lead_id__in=batch):
                sums.add(old, -1)
            for new in rows:
                sums.add(new)
            LeadProgress.objects.filter(lead_id__in=batch).delete()
            LeadProgress.objects.bulk_create(rows)
            sums.apply()


def progress_refresh_projects(*, project_ids) -> None:
    """Recompute the rows of the leads converted to these projects."""
    project_ids = [pk for pk in set(project_ids) if pk]
    if project_ids:
        progress_refresh(lead_ids=lead_selectors.lead_ids_of_projects(project_ids))


def _groups(rows) -> list[LeadProgressGroup]:
    sums = _Sums()
    for row in rows:
        sums.add(row)
    return [
        LeadProgressGroup(
            **dict(zip((*_GROUP_KEY, "month"), key, strict=True)),
            reached=group["reached"],
            days=group["days"],
            investment_cents=group["inv"],
            fdi_cents=group["fdi"],
        )
        for key, group in sums.groups.items()
    ]


def progress_rebuild() -> int:
    """Recompute the whole roll-up (rows and groups) from the records; the number of rows."""
    with transaction.atomic():
        LeadProgress.objects.all().delete()
        LeadProgressGroup.objects.all().delete()
        batch: list[dict] = []
        total = 0
        for row in lead_selectors.lead_progress_all().iterator(chunk_size=_BATCH):
            batch.append(row)
            if len(batch) == _BATCH:
                total += len(LeadProgress.objects.bulk_create(_rows(batch)))
                batch = []
        total += len(LeadProgress.objects.bulk_create(_rows(batch)))
        LeadProgressGroup.objects.bulk_create(_groups(LeadProgress.objects.iterator(chunk_size=_BATCH)), batch_size=500)
    return total


def progress_differences() -> list[str]:
    """Where the roll-up differs from what the records give (empty when exact)."""
    fields = [f.attname for f in LeadProgress._meta.concrete_fields]
    stored = {row["lead_id"]: row for row in LeadProgress.objects.values(*fields)}
    problems = []
    expected_ids = set()
    for row in _rows(list(lead_selectors.lead_progress_all())):
        expected_ids.add(row.lead_id)
        expected = {name: getattr(row, name) for name in fields}
        if stored.get(row.lead_id) != expected:
            problems.append(f"线索 {row.lead_id}：汇总行 {stored.get(row.lead_id)}，应为 {expected}")
    problems += [f"线索 {pk}：不应有汇总行" for pk in sorted(set(stored) - expected_ids)]
    fields = ["region_id", "org_unit_id", "month", *_GROUP_KEY[2:], "reached", "days", "investment_cents", "fdi_cents"]

    def key(group) -> tuple:
        return tuple(json.dumps(group[name], sort_keys=True, default=str) for name in fields)

    grouped = sorted(map(key, LeadProgressGroup.objects.values(*fields)))
    expected = sorted(
        key({name: getattr(group, name) for name in fields}) for group in _groups(LeadProgress.objects.all())
    )
    if grouped != expected:
        problems.append(f"分组汇总表与线索汇总行不一致（{len(grouped)} 组，应为 {len(expected)} 组）")
    return problems
