"""The FDI roll-ups (stats/rollup.py) stay equal to the records through every kind of write."""

import random
from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from zhaoshang.enterprises.services import enterprise_create
from zhaoshang.projects import services as project_services
from zhaoshang.stats import rollup, selectors
from zhaoshang.stats.models import FDIMonthTotal, FDIRecord, FDISubjectTotal

D = Decimal


@pytest.fixture
def world(users, county):
    enterprises = [
        enterprise_create(actor=users["diankou"], data={"name": f"外资{i}有限公司", "origin": "foreign"})
        for i in range(3)
    ]
    project = project_services.project_create(actor=users["diankou"], data={"name": "外资项目"}, on=date(2026, 1, 5))
    units = [county.diankou, county.datang]
    return enterprises, [None, project], units


def new_record(rng, enterprises, projects, units) -> FDIRecord:
    kind = rng.choice(["actual", "contract"])
    unit = rng.choice(units)
    form = rng.choice(["new", "increase", "decrease"])
    amount = D(rng.randint(1, 999_999)) / 100
    return FDIRecord(
        date=date(rng.choice([2025, 2026]), rng.randint(1, 12), rng.randint(1, 28)),
        kind=kind,
        form=form,
        amount=amount,
        signed_amount=-amount if kind == "contract" and form == "decrease" else amount,  # bulk_create skips save()
        enterprise=rng.choice(enterprises),
        project=rng.choice(projects),
        country=rng.choice(["中国香港", "新加坡", ""]),
        org_unit=unit,
        region_id=unit.region_id,
    )


@pytest.mark.parametrize("seed", range(4))
def test_rollups_equal_the_records_after_random_writes(world, seed):
    enterprises, projects, units = world
    rng = random.Random(seed)
    live: list[FDIRecord] = []
    for _ in range(120):
        op = rng.random()
        if op < 0.35 or not live:
            r = new_record(rng, enterprises, projects, units)
            r.save()
            live.append(r)
        elif op < 0.45:
            live += FDIRecord.objects.bulk_create([new_record(rng, enterprises, projects, units) for _ in range(3)])
        elif op < 0.65:
            r = rng.choice(live)
            r.amount = D(rng.randint(1, 999_999)) / 100
            r.date = date(rng.choice([2025, 2026]), rng.randint(1, 12), 3)
            r.kind = rng.choice(["actual", "contract"])
            r.form = rng.choice(["new", "decrease", "merger"])
            r.project = rng.choice(projects)
            r.org_unit = rng.choice(units)
            r.save()
        elif op < 0.7:
            # one column at a time, as a QuerySet.update writes it
            r = rng.choice(live)
            field, value = rng.choice(
                [
                    ("date", date(rng.choice([2025, 2026]), rng.randint(1, 12), 9)),
                    ("org_unit", rng.choice(units)),
                    ("country", rng.choice(["德国", ""])),
                    ("kind", rng.choice(["actual", "contract"])),
                    ("form", rng.choice(["new", "merger"])),
                    ("project", rng.choice(projects)),
                ]
            )
            FDIRecord.all_objects.filter(pk=r.pk).update(**{field: value})
        elif op < 0.77:
            r = rng.choice(live)
            FDIRecord.all_objects.filter(pk=r.pk).update(deleted_at=timezone.now())
        elif op < 0.82:
            r = rng.choice(live)
            FDIRecord.all_objects.filter(pk=r.pk).update(deleted_at=None)
        elif op < 0.9:
            r = live.pop(rng.randrange(len(live)))
            FDIRecord.all_objects.filter(pk=r.pk).delete()
        else:
            # a merge of enterprises moves records in one UPDATE
            FDIRecord.all_objects.filter(enterprise=rng.choice(enterprises)).update(enterprise=rng.choice(enterprises))
    assert FDIMonthTotal.objects.exists()
    assert rollup.differences() == []
    # and what the selectors read from them equals what the records say
    for year in (2025, 2026):
        raw = {
            kind: sum(
                (r.signed_amount for r in FDIRecord.objects.filter(kind=kind, date__year=year, date__month__lte=6)),
                D(0),
            )
            for kind in ("actual", "contract")
        }
        rolled = {
            kind: D(
                sum(
                    FDIMonthTotal.objects.filter(kind=kind, year=year, month__lte=6).values_list(
                        "total_cents", flat=True
                    )
                )
            )
            / 100
            for kind in ("actual", "contract")
        }
        assert rolled == raw


@pytest.mark.parametrize(
    "field", ["date", "kind", "form", "amount", "country", "org_unit", "project", "enterprise", "deleted_at"]
)
def test_a_single_column_update_moves_the_amount(world, field):
    enterprises, projects, units = world
    r = FDIRecord(
        date=date(2026, 5, 2),
        kind="actual" if field in ("project", "enterprise") else "contract",  # large projects count actual FDI
        form="new",
        amount=D("10.00"),
        signed_amount=D("10.00"),
        enterprise=enterprises[0],
        country="新加坡",
        org_unit=units[0],
        region_id=units[0].region_id,
    )
    r.save()
    value = {
        "date": date(2025, 1, 9),
        "kind": "actual",
        "form": "decrease",
        "amount": D("20.00"),
        "country": "德国",
        "org_unit": units[1],
        "project": projects[1],
        "enterprise": enterprises[1],
        "deleted_at": timezone.now(),
    }[field]
    if field == "amount":
        FDIRecord.all_objects.filter(pk=r.pk).update(amount=value, signed_amount=value)
    elif field == "form":  # a 减资 of contract FDI counts negative
        FDIRecord.all_objects.filter(pk=r.pk).update(form=value, signed_amount=-r.amount)
    else:
        FDIRecord.all_objects.filter(pk=r.pk).update(**{field: value})
    assert rollup.differences() == []


def test_a_rolled_back_write_leaves_the_rollups_as_they_were(world):
    enterprises, _, units = world
    rng = random.Random(9)
    new_record(rng, enterprises, [None], units).save()
    before = list(FDIMonthTotal.objects.values_list("total_cents", "records"))
    with pytest.raises(IntegrityError), transaction.atomic():
        new_record(rng, enterprises, [None], units).save()
        raise IntegrityError("simulated failure after the insert")
    assert list(FDIMonthTotal.objects.values_list("total_cents", "records")) == before
    assert rollup.differences() == []


def test_soft_delete_takes_a_record_out_and_restore_puts_it_back(world, users):
    enterprises, _, units = world
    r = FDIRecord(
        date=date(2026, 3, 2),
        kind="actual",
        form="new",
        amount=D("1234.56"),
        enterprise=enterprises[0],
        org_unit=units[0],
        region_id=units[0].region_id,
    )
    r.save()
    leader = users["leader"]
    assert selectors.fdi_stats(user=leader, year=2026, month=3)["actual"]["month"] == D("1234.56")
    assert FDISubjectTotal.objects.values_list("m02", "m03", "m04", "records").get() == (0, 123456, 0, 1)
    FDIRecord.all_objects.filter(pk=r.pk).update(deleted_at=timezone.now())
    assert selectors.fdi_stats(user=leader, year=2026, month=3)["actual"]["month"] == D("0.00")
    assert not FDIMonthTotal.objects.exists() and not FDISubjectTotal.objects.exists()
    FDIRecord.all_objects.filter(pk=r.pk).update(deleted_at=None)
    assert selectors.fdi_stats(user=leader, year=2026, month=3)["actual"]["month"] == D("1234.56")


def test_rebuild_restores_rollups_that_were_tampered_with(world):
    enterprises, projects, units = world
    rng = random.Random(4)
    for _ in range(20):
        new_record(rng, enterprises, projects, units).save()
    FDIMonthTotal.objects.filter(pk=FDIMonthTotal.objects.first().pk).update(total_cents=1)
    problems = rollup.differences()
    assert len(problems) == 1 and "汇总表" in problems[0]
    rollup.rebuild()
    assert rollup.differences() == []


def test_every_figure_from_the_rollups_equals_the_same_figure_from_the_records(world, users, county, monkeypatch):
    """The selectors read the roll-ups; forcing them onto the records must change no number."""
    enterprises, projects, units = world
    rng = random.Random(11)
    FDIRecord.objects.bulk_create([new_record(rng, enterprises, projects, units) for _ in range(300)])
    big = new_record(rng, enterprises, [None], units)
    big.kind, big.form, big.date, big.amount, big.signed_amount = "actual", "new", date(2026, 2, 2), D(1500), D(1500)
    big.save()

    def figures(user, org_unit_id=None):
        return (
            selectors.fdi_stats(user=user, year=2026, month=6, org_unit_id=org_unit_id),
            selectors.monthly(user=user, year=2026, org_unit_id=org_unit_id),
            selectors.breakdown(user=user, year=2026, month=6, org_unit_id=org_unit_id),
            selectors.rankings(user=user, year=2026, month=6, metric="contract"),
        )

    cases = [(users["leader"], None), (users["leader"], county.datang.pk), (users["diankou"], None)]
    rolled = [figures(user, unit) for user, unit in cases]
    assert rolled[0][0]["large_projects"]["count"] >= 1
    assert rolled[0][0]["actual"]["cumulative"] != rolled[2][0]["actual"]["cumulative"]  # scope matters
    monkeypatch.setattr(selectors, "unit_scope", lambda model, user: None)
    assert [figures(user, unit) for user, unit in cases] == rolled


def test_a_user_with_a_shared_record_counts_it(world, users, county):
    """Shares of single records cannot be said in units: such a user's numbers come from the records."""
    from django.contrib.contenttypes.models import ContentType

    from zhaoshang.core.models import ObjectShare

    enterprises, _, units = world
    datang_officer = users["datang"]
    mine = FDIRecord(
        date=date(2026, 3, 1),
        kind="actual",
        form="new",
        amount=D("5"),
        enterprise=enterprises[0],
        org_unit=county.datang,
        region_id=county.root.pk,
    )
    theirs = FDIRecord(
        date=date(2026, 3, 1),
        kind="actual",
        form="new",
        amount=D("7"),
        enterprise=enterprises[1],
        org_unit=county.diankou,
        region_id=county.root.pk,
    )
    mine.save()
    theirs.save()
    assert selectors.fdi_stats(user=datang_officer, year=2026, month=3)["actual"]["month"] == D("5.00")
    ObjectShare.objects.create(
        content_type=ContentType.objects.get_for_model(FDIRecord),
        object_id=theirs.pk,
        user=datang_officer,
        created_by=users["leader"],
    )
    assert selectors.fdi_stats(user=datang_officer, year=2026, month=3)["actual"]["month"] == D("12.00")


def test_the_command_reports_a_mismatch_and_rebuild_repairs_it(world):
    from io import StringIO

    from django.core.management import CommandError, call_command

    enterprises, projects, units = world
    new_record(random.Random(2), enterprises, projects, units).save()
    out = StringIO()
    call_command("fdi_rollup", stdout=out)
    assert "一致" in out.getvalue()
    FDIMonthTotal.objects.update(records=5)
    with pytest.raises(CommandError, match="1 处不一致"):
        call_command("fdi_rollup", stdout=StringIO())
    call_command("fdi_rollup", "--rebuild", stdout=out)
    assert FDIMonthTotal.objects.get().records == 1


def test_unit_scope_admits_exactly_the_units_restrict_admits(world, users, county, other_county):
    """For every role, the units whose roll-up rows a user counts are the units of the records
    ``restrict`` lets them see (None — count the records — for an expert)."""
    from django.contrib.auth.models import AnonymousUser

    from zhaoshang.core.scope import unit_scope

    enterprises, _, _ = world
    units = [county.root, county.center, county.diankou, county.datang, county.office_sh, county.zrzy]
    for unit in units:
        FDIRecord(
            date=date(2026, 1, 2),
            kind="actual",
            form="new",
            amount=D(1),
            signed_amount=D(1),
            enterprise=enterprises[0],
            org_unit=unit,
            region_id=unit.region_id,
        ).save()
    foreign = other_county.root
    FDIRecord(
        date=date(2026, 1, 2),
        kind="actual",
        form="new",
        amount=D(1),
        signed_amount=D(1),
        enterprise=enterprises[0],
        org_unit=foreign,
        region_id=foreign.region_id,
    ).save()
    for name, user in [*users.items(), ("anonymous", AnonymousUser())]:
        scope = unit_scope(FDIRecord, user)
        seen = set(FDIRecord.objects.restrict(user).values_list("org_unit_id", flat=True))
        if name == "expert1":
            assert scope is None
            continue
        counted = set(FDIMonthTotal.objects.filter(scope).values_list("org_unit_id", flat=True))
        assert counted == seen, name
    assert (
        len(
            set(
                FDIMonthTotal.objects.filter(unit_scope(FDIRecord, users["leader"])).values_list(
                    "org_unit_id", flat=True
                )
            )
        )
        == 6
    )
