"""Reservations: request, approval by the owner unit, one live reservation per carrier (constraint and lock),
expiry with a notice, 供地 → 已出让 with the project linked, 达产复核 against 标准地 commitments."""

import threading
import time
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils import timezone

from zhaoshang.carriers import services
from zhaoshang.carriers.models import (
    Carrier,
    CarrierReservation,
    CarrierStatusChange,
    LandCommitment,
    LandProductionCheck,
)
from zhaoshang.core.errors import NotFound, ValidationFailed
from zhaoshang.notify.models import Notification
from zhaoshang.projects.models import Problem, Project, ProjectEvent
from zhaoshang.projects.signals import stage_closed

SOON = timezone.localdate() + timedelta(days=30)


def _state():
    return (
        list(CarrierReservation.objects.values_list("pk", "status")),
        list(Carrier.objects.values_list("pk", "status", "version")),
    )


def test_request_then_owner_approves(users, make_carrier, make_project):
    carrier = make_carrier()
    project = make_project(actor=users["datang"], land_mu=Decimal("80"))
    reservation = services.reservation_request(
        actor=users["datang"], carrier=carrier, until=SOON, project_id=project.pk
    )
    carrier.refresh_from_db()
    assert (reservation.status, carrier.status) == ("pending", "negotiating")
    assert Notification.objects.filter(recipient=users["diankou"], title__startswith="载体预留待审批").count() == 1
    with pytest.raises(NotFound):  # the requesting unit cannot approve a carrier it does not own
        services.reservation_approve(actor=users["datang"], reservation_id=reservation.pk)
    services.reservation_approve(actor=users["diankou"], reservation_id=reservation.pk)
    carrier.refresh_from_db()
    reservation.refresh_from_db()
    assert (reservation.status, carrier.status, reservation.decided_by) == ("active", "reserved", users["diankou"])
    history = list(
        CarrierStatusChange.objects.filter(carrier=carrier).order_by("id").values_list("to_status", flat=True)
    )
    assert history == ["available", "negotiating", "reserved"]


def test_second_live_reservation_is_refused_and_changes_nothing(users, make_carrier, make_project):
    carrier = make_carrier()
    first = make_project(actor=users["datang"], name="项目甲")
    second = make_project(actor=users["diankou"], name="项目乙")
    services.reservation_request(actor=users["datang"], carrier=carrier, until=SOON, project_id=first.pk)
    before = _state()
    with pytest.raises(ValidationFailed) as refused:
        services.reservation_request(actor=users["diankou"], carrier=carrier, until=SOON, project_id=second.pk)
    assert refused.value.message == "该载体已有待审批或有效的预留"
    assert _state() == before


def test_database_refuses_two_live_reservations(users, make_carrier, make_project):
    """The partial unique constraint alone (what decides on SQLite, which has no row locks)."""
    carrier = make_carrier()
    project = make_project(actor=users["datang"])
    row = {
        "carrier": carrier,
        "project": project,
        "requested_by": users["datang"],
        "requesting_unit": users["datang"].org_unit,
        "until": SOON,
    }
    CarrierReservation.objects.create(**row, status="active")
    CarrierReservation.objects.create(**row, status="released")  # ended ones do not count
    with pytest.raises(IntegrityError), transaction.atomic():
        CarrierReservation.objects.create(**row, status="pending")
    assert CarrierReservation.objects.filter(status__in=["pending", "active"]).count() == 1


def test_two_parallel_requests_one_wins(transactional_db, users, make_carrier, make_project):
    carrier = make_carrier()
    projects = [make_project(actor=users["datang"], name=f"并发项目{i}") for i in range(2)]
    barrier, outcomes = threading.Barrier(2), []

    def request(project):
        try:
            barrier.wait(timeout=5)
            for attempt in range(20):  # SQLite answers "locked" at once (no busy wait in the shared-cache test
                try:  # database); a user would retry after the 503, so the request is retried the same way
                    services.reservation_request(
                        actor=users["datang"], carrier=carrier, until=SOON, project_id=project.pk
                    )
                    outcomes.append("ok")
                    break
                except OperationalError:
                    if attempt == 19:
                        raise
                    time.sleep(0.05 * (attempt + 1))
        except ValidationFailed as exc:
            outcomes.append(exc.message)
        except Exception as exc:
            outcomes.append(type(exc).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=request, args=(p,)) for p in projects]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("ok") == 1, outcomes
    assert CarrierReservation.objects.filter(carrier=carrier, status__in=["pending", "active"]).count() == 1


def test_expiry_releases_with_notice(users, make_carrier, make_project):
    carrier = make_carrier()
    project = make_project(actor=users["datang"])
    reservation = services.reservation_request(
        actor=users["datang"], carrier=carrier, until=SOON, project_id=project.pk
    )
    services.reservation_approve(actor=users["diankou"], reservation_id=reservation.pk)
    assert services.reservations_expire(today=SOON) == 0  # the last day still holds
    assert services.reservations_expire(today=SOON + timedelta(days=1)) == 1
    carrier.refresh_from_db()
    reservation.refresh_from_db()
    assert (reservation.status, carrier.status) == ("expired", "available")
    notices = Notification.objects.filter(title__startswith="载体预留已到期")
    assert sorted(n.recipient.username for n in notices) == ["datang", "diankou"]
    assert services.reservations_expire(today=SOON + timedelta(days=2)) == 0  # idempotent


def test_only_negotiating_leads_reserve_and_bad_terms_are_refused(users, make_carrier):
    carrier = make_carrier()
    before = _state()
    with pytest.raises(ValidationFailed) as refused:
        services.reservation_request(actor=users["datang"], carrier=carrier, until=date(2020, 1, 1))
    assert set(refused.value.fields) == {"until", "project"}
    assert _state() == before


def _supplied(users, make_carrier, make_project, indicators, **project_data):
    carrier = make_carrier(is_standard_land=True)
    services.indicator_values_set(
        actor=users["diankou"], carrier=carrier, values={"investment": Decimal("400"), "tax": Decimal("30")}
    )
    project = make_project(actor=users["diankou"], land_mu=Decimal("80"), **project_data)
    reservation = services.reservation_request(
        actor=users["diankou"], carrier=carrier, until=SOON, project_id=project.pk
    )
    services.reservation_approve(actor=users["diankou"], reservation_id=reservation.pk)
    stage_closed.send(Project, project=project, stage_code="land", actor=users["zrzy"], on=timezone.localdate())
    return carrier, project, reservation


def test_land_supply_marks_taken_links_project_and_records_commitments(users, make_carrier, make_project, indicators):
    carrier, project, reservation = _supplied(users, make_carrier, make_project, indicators)
    carrier.refresh_from_db()
    reservation.refresh_from_db()
    assert (carrier.status, carrier.project_id, reservation.status) == ("taken", project.pk, "converted")
    commitments = dict(LandCommitment.objects.filter(project_id=project.pk).values_list("indicator__code", "value"))
    assert commitments == {"investment": Decimal("400.00"), "tax": Decimal("30.00")}


def test_production_check_passes_when_commitments_met(users, make_carrier, make_project, indicators):
    _, project, _ = _supplied(
        users, make_carrier, make_project, indicators, total_investment=Decimal("40000"), annual_tax=Decimal("2400")
    )
    stage_closed.send(
        Project, project=project, stage_code="full_production", actor=users["diankou"], on=timezone.localdate()
    )
    check = LandProductionCheck.objects.get(project_id=project.pk)
    assert check.passed is True
    assert [(i["code"], i["actual"], i["met"]) for i in check.items] == [
        ("investment", "500.00", True),
        ("tax", "30.00", True),
    ]
    assert not Problem.objects.filter(project=project).exists()


def test_production_check_failure_warns_in_the_lifecycle(users, make_carrier, make_project, indicators):
    _, project, _ = _supplied(
        users, make_carrier, make_project, indicators, total_investment=Decimal("24000"), annual_tax=Decimal("2400")
    )
    stage_closed.send(
        Project, project=project, stage_code="full_production", actor=users["diankou"], on=timezone.localdate()
    )
    check = LandProductionCheck.objects.get(project_id=project.pk)
    assert check.passed is False
    failed = [i for i in check.items if i["met"] is False]
    assert [(i["code"], i["committed"], i["actual"], i["gap"]) for i in failed] == [
        ("investment", "400.00", "300.00", "-100.00")
    ]
    problem = Problem.objects.get(project=project)
    assert problem.title == "标准地达产复核未通过"
    assert "投资强度承诺不低于 400.00 万元/亩，实际 300.00，差 100.00" in problem.description
    assert (
        ProjectEvent.objects.filter(project=project, kind="warning", text__startswith="标准地达产复核未通过").count()
        == 1
    )


def test_daily_command_expires(users, make_carrier, make_project):
    from io import StringIO

    from django.core.management import call_command

    carrier = make_carrier()
    project = make_project(actor=users["datang"])
    reservation = services.reservation_request(
        actor=users["datang"], carrier=carrier, until=SOON, project_id=project.pk
    )
    CarrierReservation.objects.filter(pk=reservation.pk).update(until=timezone.localdate() - timedelta(days=1))
    out = StringIO()
    call_command("expire_carrier_reservations", stdout=out)
    assert "已释放 1 个到期的载体预留" in out.getvalue()
    assert CarrierReservation.objects.get(pk=reservation.pk).status == "expired"


def test_the_scheduled_job_expires_through_the_service(users, make_carrier, make_project):
    from zhaoshang.notify import scheduler

    carrier = make_carrier()
    project = make_project(actor=users["datang"])
    reservation = services.reservation_request(
        actor=users["datang"], carrier=carrier, until=SOON, project_id=project.pk
    )
    spec = scheduler.JOBS["carrier_reservations_expire"]
    assert spec.default_schedule == "15 0 * * *"
    assert spec.func() == "已释放 0 个到期的载体预留"  # still in its term: left alone
    assert CarrierReservation.objects.get(pk=reservation.pk).status == "pending"
    CarrierReservation.objects.filter(pk=reservation.pk).update(until=timezone.localdate() - timedelta(days=1))
    assert spec.func() == "已释放 1 个到期的载体预留"
    carrier.refresh_from_db()
    assert (CarrierReservation.objects.get(pk=reservation.pk).status, carrier.status) == ("expired", "available")
