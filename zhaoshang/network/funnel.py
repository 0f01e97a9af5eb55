"""资源转化: the funnel per channel and per source record — leads → 有效 → 在谈 → 签约 → 注册 → 开工 → 到资.

A lead counts at a step when it reached that step or any later one (a lead converted without an assessment is
still 有效; a project registered before its signing date was entered is still 签约). A lead shelved or lost
stays counted at the steps it reached. ``median_days`` of a step: over the leads with a date for that step, the
median of the days since the latest earlier step that has a date (registration at least). ``investment`` is the
total investment (万元) of the signed projects; ``fdi_arrived_usd`` the 实际使用外资 (万美元) of the group's
projects. Read from the progress roll-up (``services.progress``: the same steps computed per lead at write time,
summed per group and month); ``funnel_from_leads`` computes it from the leads, the FDI and the source records.
"""

from collections import defaultdict
from datetime import date
from decimal import Decimal

from zhaoshang.leads import selectors as lead_selectors
from zhaoshang.stats import selectors as stats_selectors

from .models import Event, Intermediary, LeadProgressGroup, LeadSource, OfficeProfile, SisterCity

STEPS = (
    ("leads", "线索"),
    ("valid", "有效"),
    ("negotiating", "在谈"),
    ("signed", "签约"),
    ("registered", "注册"),
    ("started", "开工"),
    ("arrived", "到资"),
)
STEP_KEYS = tuple(key for key, _ in STEPS)
ZERO = Decimal(0)
CENT = Decimal("0.01")
_VALID_STATUSES = frozenset({"assessed", "converted"})


def lead_steps(row: dict, fdi: tuple[date, Decimal] | None) -> list[tuple[bool, date | None]]:
    """(reached, date) per step for one lead's progress row."""
    project = row["project_id"] is not None
    own = [
        (True, row["registered_on"]),
        (row["assessed_on"] is not None or row["status"] in _VALID_STATUSES, row["assessed_on"]),
        (project, row["project__first_contact_actual"] if project else None),
        (row["project__signed_actual"] is not None, row["project__signed_actual"]),
        (row["project__registered_actual"] is not None, row["project__registered_actual"]),
        (row["project__construction_start_actual"] is not None, row["project__construction_start_actual"]),
        (fdi is not None, fdi[0] if fdi else None),
    ]
    # Reached a later step → reached every earlier one (skipped steps are passed, not missed).
    reached = False
    out = []
    for flag, day in reversed(own):
        reached = reached or flag
        out.append((reached, day))
    return list(reversed(out))


class _Group:
    __slots__ = ("counts", "days", "investment", "fdi", "ids")

    def __init__(self) -> None:
        self.counts = [0] * len(STEPS)
        self.days: list[list[int]] = [[] for _ in STEPS]
        self.investment = ZERO
        self.fdi = ZERO
        self.ids: list[list[int]] = [[] for _ in STEPS]

    def add(self, row: dict, steps: list[tuple[bool, date | None]], fdi, keep_ids: bool) -> None:
        last_day = None
        for i, (reached, day) in enumerate(steps):
            if reached:
                self.counts[i] += 1
                if keep_ids:
                    self.ids[i].append(row["id"])
            if day is not None:
                if i and last_day is not None and day >= last_day:
                    self.days[i].append((day - last_day).days)
                last_day = day if last_day is None or day >= last_day else last_day
        if steps[3][0]:
            self.investment += row["project__total_investment"] or ZERO
        if fdi is not None:
            self.fdi += fdi[1]

    def out(self, channel: str, source: dict | None) -> dict:
        steps = []
        for i, key in enumerate(STEP_KEYS):
            days = self.days[i]
            steps.append({"step": key, "count": self.counts[i], "median_days": _median(days)})
        return {
            "channel": channel,
            "source": source,
            "steps": steps,
            "investment": Decimal(self.investment).quantize(CENT),
            "fdi_arrived_usd": Decimal(self.fdi).quantize(CENT),
        }


def _median(days: list[int]) -> Decimal | None:
    """The median in days (a half day for an even count), exact."""
    if not days:
        return None
    days = sorted(days)
    middle = len(days) // 2
    return Decimal(days[middle]) if len(days) % 2 else Decimal(days[middle - 1] + days[middle]) / 2


def _source_names(region_id: int) -> tuple[dict[int, tuple[str, int | None, str]], dict[int, int]]:
    """(lead id → (kind, record id, name)) of the region's source records, and office unit id → office id."""
    links = LeadSource.objects.filter(lead__region_id=region_id).values_list(
        "lead_id", "kind", "office_id", "intermediary_id", "referrer_id", "referrer__name", "sister_city_id", "event_id"
    )
    names = {
        "office": dict(OfficeProfile.objects.filter(region_id=region_id).values_list("pk", "name")),
        "intermediary": dict(Intermediary.objects.filter(region_id=region_id).values_list("pk", "name")),
        "sister_city": dict(SisterCity.objects.filter(region_id=region_id).values_list("pk", "name")),
        "event": dict(Event.objects.filter(region_id=region_id).values_list("pk", "name")),
    }
    by_lead = {}
    for lead_id, kind, office, intermediary, referrer, referrer_name, city, event in links:
        record = {"office": office, "intermediary": intermediary, "sister_city": city, "event": event}.get(kind)
        if kind == "referrer":
            by_lead[lead_id] = (kind, referrer, referrer_name or "")
        else:
            by_lead[lead_id] = (kind, record, names.get(kind, {}).get(record, ""))
    offices = dict(OfficeProfile.objects.filter(region_id=region_id).values_list("org_unit_id", "pk"))
    office_names = names["office"]
    return by_lead, {unit: (pk, office_names[pk]) for unit, pk in offices.items()}


def funnel(
    *, user, year: int | None = None, channel: str = "", chain: str = "", unit_ids=None, keep_ids: bool = False
) -> dict:
    """``{"channels": [...]}`` in the API's shape: per channel (``source`` None) and per source record, in the
    order of the lead channels. With ``keep_ids`` each entry also carries ``ids`` (lead ids per step).

    Read from the roll-up (``LeadProgressGroup``: per group and month the leads per furthest step, the sums
    and a days histogram per step — a few hundred rows whatever the number of leads) whenever the
    user's scope is a set of units; the lead ids per step, an expert's or a holder of single shared leads
    come from the leads themselves (``funnel_from_leads``), with the same figures."""
    if user.org_unit_id is None:
        return {"channels": []}
    scope = lead_selectors.lead_unit_scope(user)
    if keep_ids or scope is None:
        return funnel_from_leads(
            user=user, year=year, channel=channel, chain=chain, unit_ids=unit_ids, keep_ids=keep_ids
        )
    region_id = user.org_unit.region_id
    groups = LeadProgressGroup.objects.filter(scope)
    if year:
        groups = groups.filter(month__gte=date(year, 1, 1), month__lte=date(year, 12, 1))
    if chain:
        groups = groups.filter(chain=chain)
    if unit_ids is not None:
        groups = groups.filter(org_unit_id__in=list(unit_ids))
    if channel:
        groups = groups.filter(channel=channel)
    return _from_rollup(groups.order_by(), region_id)


def _from_rollup(groups, region_id: int) -> dict:
    names, offices = _rollup_names(region_id)

    def keys(row) -> list:
        source = (row["source_kind"], row["source_id"], names.get((row["source_kind"], row["source_id"]), ""))
        if not row["source_kind"]:
            office = offices.get(row["source_unit_id"]) if row["channel"] == "office" else None
            source = ("office", *office) if office else None
        return [row["channel"]] if source is None else [row["channel"], (row["channel"], source)]

    fields = (
        "channel",
        "source_kind",
        "source_id",
        "source_unit_id",
        "reached",
        "days",
        "investment_cents",
        "fdi_cents",
    )
    # Each row is added once, to its finest group (its source record, else its channel alone); a channel's
    # figures are then its finest groups summed (a few dozen histograms instead of every row a second time).
    finest: dict = defaultdict(_RollupGroup)
    for row in groups.values(*fields):
        finest[keys(row)[-1]].add(row)
    channels: dict = defaultdict(_RollupGroup)
    for key, group in finest.items():
        channels[key if isinstance(key, str) else key[0]].merge(group)
    sources = {key: group for key, group in finest.items() if not isinstance(key, str)}
    return _ordered(dict(channels), sources, keep_ids=False)


def _rollup_names(region_id: int) -> tuple[dict, dict]:
    """(kind, record id) → name of the region's source records, and office unit id → (office id, name)."""
    names = {}
    for kind, model in (
        ("office", OfficeProfile),
        ("intermediary", Intermediary),
        ("sister_city", SisterCity),
        ("event", Event),
    ):
        names.update(
            {(kind, pk): name for pk, name in model.objects.filter(region_id=region_id).values_list("pk", "name")}
        )
    referrers = LeadSource.objects.filter(lead__region_id=region_id, kind="referrer").values_list(
        "referrer_id", "referrer__name"
    )
    names.update({("referrer", pk): name or "" for pk, name in referrers.distinct()})
    offices = OfficeProfile.objects.filter(region_id=region_id).values_list("org_unit_id", "pk", "name")
    return names, {unit: (pk, name) for unit, pk, name in offices}


class _RollupGroup:
    """A group's figures from the roll-up: counts per furthest step, sums, and per step a days histogram (keyed
    by the days as the stored JSON writes them, text; read as numbers once, for the median)."""

    __slots__ = ("reached", "investment", "fdi", "hist")

    def __init__(self) -> None:
        self.reached = [0] * len(STEPS)
        self.investment = 0
        self.fdi = 0
        self.hist: list[dict[str, int]] = [{} for _ in STEPS]

    def add(self, row: dict) -> None:
        self.reached = [a + b for a, b in zip(self.reached, row["reached"], strict=True)]
        self.investment += row["investment_cents"]
        self.fdi += row["fdi_cents"]
        for step, histogram in row["days"].items():
            _add_counts(self.hist[int(step)], histogram)

    def merge(self, other: "_RollupGroup") -> None:
        self.reached = [a + b for a, b in zip(self.reached, other.reached, strict=True)]
        self.investment += other.investment
        self.fdi += other.fdi
        for mine, theirs in zip(self.hist, other.hist, strict=True):
            _add_counts(mine, theirs)

    def out(self, channel: str, source: dict | None) -> dict:
        steps = []
        for i, key in enumerate(STEP_KEYS):
            steps.append({"step": key, "count": sum(self.reached[i:]), "median_days": _histogram_median(self.hist[i])})
        return {
            "channel": channel,
            "source": source,
            "steps": steps,
            "investment": (Decimal(self.investment) / 100).quantize(CENT),
            "fdi_arrived_usd": (Decimal(self.fdi) / 100).quantize(CENT),
        }


def _add_counts(into: dict, counts: dict) -> None:
    get = into.get
    for value, n in counts.items():
        into[value] = get(value, 0) + n


def _histogram_median(counts: dict) -> Decimal | None:
    """``_median`` of the values a histogram (value, as a number or its text → how many) holds."""
    counts = {int(value): n for value, n in counts.items()}
    total = sum(counts.values())
    if not total:
        return None
    wanted = [(total - 1) // 2, total // 2]  # the middle position(s), 0-based
    found = []
    seen = 0
    for value in sorted(counts):
        seen += counts[value]
        while wanted and wanted[0] < seen:
            found.append(value)
            wanted.pop(0)
    return Decimal(found[0]) if total % 2 else Decimal(found[0] + found[1]) / 2


def _ordered(channels: dict, sources: dict, keep_ids: bool) -> dict:
    """Each channel in the lead channels' order, followed by its source records by name."""
    order = {value: i for i, (value, _) in enumerate(lead_selectors.lead_choices_source())}
    out = []
    by_name = sorted(sources.items(), key=lambda item: (str(item[0][1][2]), item[0][1][0], str(item[0][1][1])))
    for key in sorted(channels, key=lambda c: (order.get(c, 99), c)):
        out.append(_with_ids(channels[key].out(key, None), channels[key], keep_ids))
        for (ch, (kind, pk, name)), group in by_name:
            if ch == key:
                out.append(_with_ids(group.out(key, {"kind": kind, "id": pk, "name": name}), group, keep_ids))
    return {"channels": out}


def funnel_from_leads(
    *, user, year: int | None = None, channel: str = "", chain: str = "", unit_ids=None, keep_ids: bool = False
) -> dict:
    """The funnel computed from the leads themselves (one pass over every lead in scope): the reference the
    roll-up is tested against, and the path for lead ids and for scopes that are not a set of units."""
    if user.org_unit_id is None:
        return {"channels": []}
    region_id = user.org_unit.region_id
    start, end = (date(year, 1, 1), date(year, 12, 31)) if year else (None, None)
    rows = lead_selectors.lead_progress(user=user, start=start, end=end, chain=chain, unit_ids=unit_ids)
    if channel:
        rows = rows.filter(source=channel)
    fdi = stats_selectors.fdi_arrived_by_project(region_id=region_id)
    by_lead, offices = _source_names(region_id)
    channels: dict[str, _Group] = defaultdict(_Group)
    sources: dict[tuple[str, tuple], _Group] = defaultdict(_Group)
    for row in rows.iterator(chunk_size=5000):
        arrived = fdi.get(row["project_id"]) if row["project_id"] else None
        steps = lead_steps(row, arrived)
        channels[row["source"]].add(row, steps, arrived, keep_ids)
        source = by_lead.get(row["id"])
        if source is None and row["source"] == "office" and row["source_unit_id"] in offices:
            source = ("office", *offices[row["source_unit_id"]])
        if source is not None:
            sources[(row["source"], source)].add(row, steps, arrived, keep_ids)
    return _ordered(channels, sources, keep_ids)


def _with_ids(entry: dict, group: _Group, keep_ids: bool) -> dict:
    if keep_ids:
        entry["ids"] = dict(zip(STEP_KEYS, group.ids, strict=True))
    return entry


def conversion_rates(entry: dict) -> list[Decimal | None]:
    """Each step's count as a share (%) of the step before it (None for the first step or after zero)."""
    counts = [s["count"] for s in entry["steps"]]
    rates: list[Decimal | None] = [None]
    for before, now in zip(counts, counts[1:], strict=False):
        rates.append((Decimal(now) * 100 / before).quantize(Decimal("0.1")) if before else None)
    return rates
