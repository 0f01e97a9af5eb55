"""``/api/v1/system/jobs`` and ``/api/v1/system/outbox`` (系统管理员): the scheduled jobs with their last and
next run, and the outbox's deliveries (``?status=failed`` for the ones that need attention)."""

from datetime import datetime
from typing import Literal

from ninja import Router, Schema

from zhaoshang.api.capabilities import router_requires
from zhaoshang.api.pagination import paginate
from zhaoshang.api.schemas import ERRORS
from zhaoshang.core.errors import PermissionDenied
from zhaoshang.core.roles import Cap

from . import selectors
from .services import jobs

router = Router(tags=["系统管理"])


def _admin(request) -> None:
    if not request.user.has_capability(Cap.MANAGE_SETTINGS):
        raise PermissionDenied()


class JobLastRunOut(Schema):
    started_at: datetime
    duration_ms: int | None
    result: str
    ok: bool | None


class ScheduledJobOut(Schema):
    name: str
    label: str
    schedule: str
    enabled: bool
    last_run: JobLastRunOut | None
    next_run: datetime | None


@router.get("/jobs", response={200: list[ScheduledJobOut], **ERRORS}, summary="定时任务（上次运行与下次运行）")
def job_list(request):
    _admin(request)
    jobs.sync_jobs()
    return [
        {
            "name": job.name,
            "label": job.label,
            "schedule": job.schedule,
            "enabled": job.enabled,
            "last_run": None
            if job.last_started_at is None
            else {
                "started_at": job.last_started_at,
                "duration_ms": job.last_duration_ms,
                "result": job.last_result,
                "ok": job.last_ok,
            },
            "next_run": job.next_run_at if job.enabled else None,
        }
        for job in selectors.job_list()
    ]


class OutboxDeliveryOut(Schema):
    id: int
    channel: str
    status: str
    attempts: int
    last_error: str
    kind: str
    title: str
    recipient_id: int
    created_at: datetime
    next_attempt_at: datetime
    sent_at: datetime | None


class OutboxPageOut(Schema):
    count: int
    results: list[OutboxDeliveryOut]


OutboxStatus = Literal["failed", "queued", "digest", "sending", "sent", "unknown"]
OutboxChannel = Literal["email", "zzd", "dingtalk", "wecom"]


@router.get("/outbox", response={200: OutboxPageOut, **ERRORS}, summary="消息投递记录（status=failed 含结果未知）")
def outbox_list(
    request,
    status: OutboxStatus | None = None,
    channel: OutboxChannel | None = None,
    page: int = 1,
    page_size: int = 20,
):
    _admin(request)
    result = paginate(
        selectors.delivery_list(status=status or "", channel=channel or ""), page=page, page_size=page_size
    )
    result["results"] = [
        {
            "id": d.pk,
            "channel": d.channel,
            "status": d.status,
            "attempts": d.attempts,
            "last_error": d.last_error,
            "kind": d.message.kind,
            "title": d.message.title,
            "recipient_id": d.message.recipient_id,
            "created_at": d.created_at,
            "next_attempt_at": d.next_attempt_at,
            "sent_at": d.sent_at,
        }
        for d in result["results"]
    ]
    return result


router_requires(router, Cap.MANAGE_SETTINGS)

routers = [("/system", router)]
