"""Reservations: a project (or a lead in negotiation) holds a carrier for a limited time once the carrier's
owner unit approves. Two live reservations of one carrier are impossible: the carrier row is locked
(``select_for_update``) while the request checks, and a partial unique constraint backs it in the database
(on SQLite, which has no row locks, the constraint alone decides)."""

from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from zhaoshang.core.errors import NotFound, PermissionDenied, ValidationFailed
from zhaoshang.core.roles import Cap
from zhaoshang.core.scope import CHANGE
from zhaoshang.leads import selectors as leads
from zhaoshang.notify.services import NotificationLevel, notify_unit, notify_users
from zhaoshang.projects import selectors as projects

from ..models import Carrier, CarrierReservation
from .carriers import carrier_set_status

MAX_DAYS = 180
TAKEN_MESSAGE = "该载体已有待审批或有效的预留"
# Lead statuses of a lead being negotiated (在谈): it may hold a carrier.
LEAD_LIVE = ("assigned", "following", "assessed")


def _url(carrier) -> str:
    return reverse("carriers:carrier_detail", args=[carrier.pk]) + "#reservations"


def reservation_request(
    *, actor, carrier: Carrier, until: date, project_id: int | None = None, lead_id: int | None = None, note: str = ""
) -> CarrierReservation:
    if not actor.has_capability(Cap.BUSINESS_CHANGE):
        raise PermissionDenied("您的角色不能申请预留")
    today = timezone.localdate()
    fields = {}
    if until is None or until <= today or until > today + timedelta(days=MAX_DAYS):
        fields["until"] = [f"预留期限须在今天之后、{MAX_DAYS} 天以内"]
    project = projects.visible_project(user=actor, pk=project_id) if project_id else None
    lead = None
    if lead_id:
        try:
            lead = leads.lead_get(user=actor, pk=lead_id)
        except NotFound:
            lead = None
    if project_id and project is None:
        fields["project"] = ["项目不存在或不在您的数据范围内"]
    if lead_id and lead is None:
        fields["lead"] = ["线索不存在或不在您的数据范围内"]
    elif lead is not None and lead.status not in LEAD_LIVE:
        fields["lead"] = ["只有在谈的线索可以预留载体"]
    if not project_id and not lead_id:
        fields["project"] = ["请选择项目或在谈线索"]
    if fields:
        raise ValidationFailed(fields=fields)
    with transaction.atomic():
        current = Carrier.objects.restrict(actor).select_for_update().filter(pk=carrier.pk).first()
        if current is None:
            raise NotFound()
        if current.status not in (Carrier.Status.AVAILABLE, Carrier.Status.NEGOTIATING):
            raise ValidationFailed(f"该载体当前{current.get_status_display()}，不能预留")
        if CarrierReservation.objects.filter(carrier=current, status__in=CarrierReservation.LIVE).exists():
            raise ValidationFailed(TAKEN_MESSAGE)
        try:
            with transaction.atomic():
                reservation = CarrierReservation.objects.create(
                    carrier=current,
                    project=project,
                    lead=lead,
                    requested_by=actor,
                    requesting_unit=actor.org_unit,
                    until=until,
                    note=note[:200],
                )
        except IntegrityError as exc:  # a parallel request won between our check and our insert
            raise ValidationFailed(TAKEN_MESSAGE) from exc
        subject = project.name if project else lead.title
        carrier_set_status(
            actor=actor, carrier=current, status=Carrier.Status.NEGOTIATING, reason=f"申请预留：{subject}"
        )
        notify_unit(
            current.org_unit,
            title=f"载体预留待审批：{current.name}",
            body=f"{actor.org_unit.name}为“{subject}”申请预留至 {until:%Y-%m-%d}",
            url=_url(current),
            level=NotificationLevel.TASK,
        )
    return reservation


def _reservation_for_owner(actor, reservation_id: int) -> CarrierReservation:
    reservation = CarrierReservation.objects.select_for_update().filter(pk=reservation_id).first()
    if reservation is None or not Carrier.objects.restrict(actor, CHANGE).filter(pk=reservation.carrier_id).exists():
        raise NotFound()
    return reservation


def reservation_approve(*, actor, reservation_id: int, approve: bool = True, note: str = "") -> CarrierReservation:
    """The owner unit (or the land authority) approves or refuses a pending reservation."""
    if not actor.has_capability(Cap.BUSINESS_CHANGE):
        raise PermissionDenied()
    with transaction.atomic():
        reservation = _reservation_for_owner(actor, reservation_id)
        if reservation.status != CarrierReservation.Status.PENDING:
            raise ValidationFailed(f"该预留{reservation.get_status_display()}，不能审批")
        reservation.status = CarrierReservation.Status.ACTIVE if approve else CarrierReservation.Status.REJECTED
        reservation.decided_by, reservation.decided_at = actor, timezone.now()
        reservation.save(update_fields=["status", "decided_by", "decided_at"])
        status = Carrier.Status.RESERVED if approve else Carrier.Status.AVAILABLE
        word = "批准预留" if approve else "未批准预留"
        carrier_set_status(actor=actor, carrier=reservation.carrier, status=status, reason=f"{word} {note}".strip())
        notify_users(
            [reservation.requested_by],
            title=f"载体{word}：{reservation.carrier.name}",
            body=note,
            url=_url(reservation.carrier),
        )
    return reservation


def reservation_release(*, actor, reservation_id: int, reason: str = "") -> CarrierReservation:
    """The requesting unit or the owner unit ends a live reservation early."""
    with transaction.atomic():
        reservation = CarrierReservation.objects.select_for_update().filter(pk=reservation_id).first()
        if reservation is None:
            raise NotFound()
        mine = actor.org_unit_id is not None and reservation.requesting_unit_id in actor.org_unit.subtree_ids()
        owner = Carrier.objects.restrict(actor, CHANGE).filter(pk=reservation.carrier_id).exists()
        if not (mine or owner) or not actor.has_capability(Cap.BUSINESS_CHANGE):
            raise NotFound()
        if reservation.status not in CarrierReservation.LIVE:
            raise ValidationFailed(f"该预留{reservation.get_status_display()}，无需释放")
        _end(reservation, CarrierReservation.Status.RELEASED, actor=actor, reason=reason or "提前释放")
    return reservation


def _end(reservation: CarrierReservation, status: str, *, actor, reason: str) -> None:
    reservation.status = status
    reservation.decided_by = actor if actor is not None and actor.pk else reservation.decided_by
    reservation.decided_at = timezone.now()
    reservation.save(update_fields=["status", "decided_by", "decided_at"])
    carrier_set_status(actor=actor, carrier=reservation.carrier, status=Carrier.Status.AVAILABLE, reason=reason)
    title = f"载体预留{reservation.get_status_display()}：{reservation.carrier.name}"
    notify_users([reservation.requested_by], title=title, body=reason, url=_url(reservation.carrier))
    notify_unit(reservation.carrier.org_unit, title=title, body=reason, url=_url(reservation.carrier))


def reservations_expire(*, today: date | None = None) -> int:
    """Daily: end every live reservation whose term has passed, release its carrier and tell both units."""
    today = today or timezone.localdate()
    ended = 0
    for pk in CarrierReservation.objects.filter(status__in=CarrierReservation.LIVE, until__lt=today).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            reservation = CarrierReservation.objects.select_for_update().select_related("carrier").get(pk=pk)
            if reservation.status in CarrierReservation.LIVE and reservation.until < today:
                _end(
                    reservation,
                    CarrierReservation.Status.EXPIRED,
                    actor=None,
                    reason=f"预留已于 {reservation.until:%Y-%m-%d} 到期，载体已释放",
                )
                ended += 1
    return ended


def reservation_for_supply(*, project) -> CarrierReservation | None:
    """The project's live reservation (the lifecycle's 供地 converts it)."""
    return (
        CarrierReservation.objects.select_for_update()
        .select_related("carrier")
        .filter(project=project, status__in=CarrierReservation.LIVE)
        .order_by("-status", "id")  # 'pending' sorts after 'active' descending: approved ones first
        .first()
    )
