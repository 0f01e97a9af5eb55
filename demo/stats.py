"""FDI records 2020–2026 and targets. 2020–2022 reproduce the figures the center published in
诸招商〔2022〕5号 exactly (DOMAIN.md §6):
- 2021 实际使用外资 13,509 万美元, +20 % on 2020 (so 2020 = 11,257.50);
- 2022 months 1–6 实际使用外资 2,788.9 万美元, with exactly one project ≥ 1,000 万美元;
- 2022 months 1–6 合同外资 16,222.23 万美元, +96.7 % on 2021's months 1–6 (8,247.00).
Later years are plausible so that the current year's pages have data."""

import random
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from zhaoshang.accounts.models import OrgUnit, User
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.projects.models import Project
from zhaoshang.stats.models import FDIRecord, Target

CENT = Decimal("0.01")


def split(total: Decimal, parts: int, rng: random.Random, cap: Decimal | None = None) -> list[Decimal]:
    """``parts`` positive amounts (two decimals) adding up exactly to ``total``; none above ``cap``."""
    for _ in range(1000):
        weights = [rng.uniform(0.5, 1.5) for _ in range(parts)]
        amounts = [(total * Decimal(w / sum(weights))).quantize(CENT) for w in weights]
        amounts[-1] = total - sum(amounts[:-1])
        if all(a > 0 and (cap is None or a < cap) for a in amounts):
            return amounts
    raise ValueError("cannot split")


@transaction.atomic
def seed_fdi(seed: int = 2022) -> int:
    region = OrgUnit.objects.get(code="zhuji")
    if FDIRecord.all_objects.filter(region=region).exists():
        return 0
    rng = random.Random(seed)
    actor = User.objects.get(username="leader")
    foreign = list(
        Enterprise.objects.filter(region=region, origin__in=["foreign", "hmt"])
        .select_related("org_unit")
        .order_by("id")
    )
    hailiang = Enterprise.objects.filter(region=region, name="海亮集团有限公司").first()
    reinvest = Project.objects.filter(region=region, name__startswith="海亮集团 8000").first()
    created = 0

    # From 2025 on, about half of the amounts go to signed projects with foreign capital: the ledger then
    # names the project, and the amount counts for the unit that introduced it. (A separate generator, so
    # that the published years above come out exactly as before.)
    linker = random.Random(seed + 1)
    fdi_projects = list(
        Project.objects.filter(region=region, contracted_fdi__isnull=False, signed_actual__isnull=False)
        .select_related("investor", "operating_company", "org_unit")
        .order_by("id")
    )

    def project_for(day: date):
        signed = [p for p in fdi_projects if p.signed_actual <= day and (p.investor_id or p.operating_company_id)]
        if day.year < 2025 or not signed or linker.random() < 0.5:
            return None
        return linker.choice(signed)

    def add(day: date, kind: str, amount: Decimal, *, enterprise=None, project=None, form=None):
        nonlocal created
        if enterprise is None and project is None and (project := project_for(day)) is not None:
            enterprise = project.investor or project.operating_company
        enterprise = enterprise or rng.choice(foreign)
        record = FDIRecord(
            date=day,
            kind=kind,
            amount=amount,
            enterprise=enterprise,
            project=project,
            form=form or rng.choice(["new", "increase", "increase", "reinvest", "merger"]),
            country=(project.investor_country if project else "")
            or enterprise.country
            or rng.choice(["中国香港", "新加坡", "德国", "日本", "美国"]),
            org_unit=project.org_unit if project else enterprise.org_unit,
            region=region,
            created_by=actor,
            updated_by=actor,
        )
        record.save()
        created += 1

    def months_of(year: int, months: range, total: Decimal, kind: str, per_month: int = 3, cap=None):
        amounts = split(total, len(months) * per_month, rng, cap)
        # Below a cap, every amount goes to a different enterprise so that no one adds up past it.
        owners = rng.sample(foreign, len(amounts)) if cap else [None] * len(amounts)
        for i, amount in enumerate(amounts):
            add(date(year, months[i // per_month], rng.randint(1, 28)), kind, amount, enterprise=owners[i])

    months_of(2020, range(1, 13), Decimal("11257.50"), "actual")
    months_of(2021, range(1, 13), Decimal("13509.00"), "actual")
    months_of(2020, range(1, 13), Decimal("15680.00"), "contract")
    months_of(2021, range(1, 7), Decimal("8247.00"), "contract")
    months_of(2021, range(7, 13), Decimal("9120.00"), "contract")
    # 2022 H1: one large project (海亮's profit reinvestment, 1,200 万美元) and small amounts below 400
    add(date(2022, 5, 18), "actual", Decimal("1200.00"), enterprise=hailiang, project=reinvest, form="reinvest")
    months_of(2022, range(1, 7), Decimal("1588.90"), "actual", per_month=2, cap=Decimal("400"))
    months_of(2022, range(1, 7), Decimal("16222.23"), "contract", per_month=2)
    months_of(2022, range(7, 13), Decimal("9850.00"), "actual")
    months_of(2022, range(7, 13), Decimal("12400.00"), "contract")
    add(date(2022, 9, 6), "contract", Decimal("600.00"), form="decrease")  # a 减资, counted negative
    for year, actual, contract in (
        (2023, "12860.00", "21500.00"),
        (2024, "13920.00", "23800.00"),
        (2025, "14760.00", "25600.00"),
    ):
        months_of(year, range(1, 13), Decimal(actual), "actual")
        months_of(year, range(1, 13), Decimal(contract), "contract")
    months_of(2026, range(1, 12), Decimal("12930.00"), "actual")
    months_of(2026, range(1, 12), Decimal("23650.00"), "contract")
    today = timezone.localdate()
    if today.year == 2026 and today.month == 12 and today.day > 1:
        # December so far, so that the cockpit's 本月至今 has something to compare with last December
        for kind, per_day in (("actual", "215.50"), ("contract", "380.00")):
            for day in range(1, today.day, 2):
                add(date(2026, 12, day), kind, Decimal(per_day))
    for year, actual, contract in (
        (2021, 12000, 20000),
        (2022, 15000, 30000),
        (2025, 15000, 26000),
        (2026, 16000, 28000),
    ):
        for metric, value in (("actual", actual), ("contract", contract)):
            Target.objects.create(region=region, org_unit=region, year=year, metric=metric, value=Decimal(value))
    for code, value in (
        ("zhuji-diankou", 2500),
        ("zhuji-zone", 4000),
        ("zhuji-datang", 900),
        ("zhuji-center", 5000),
        ("zhuji-office-sh", 1500),
    ):
        unit = OrgUnit.objects.filter(code=code).first()
        if unit is not None:
            Target.objects.create(region=region, org_unit=unit, year=2026, metric="actual", value=Decimal(value))
    return created
