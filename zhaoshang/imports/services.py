"""Starting imports: check the upload, keep the file (encrypted, ``uploads``), queue the job after the
transaction commits; delete uploads whose import is over (``import_files_purge``); fail the jobs whose worker
died (``import_jobs_fail_stale``)."""

from datetime import timedelta

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from zhaoshang.core.audit import log_change
from zhaoshang.core.errors import PermissionDenied, ValidationFailed
from zhaoshang.core.models import ObjectChange
from zhaoshang.core.roles import Cap

from . import uploads
from .engine import REGISTRY, tell_owner
from .files import UploadRejected, inspect_upload
from .models import ImportJob
from .tasks import process_import

MAX_UPLOAD_BYTES = getattr(settings, "ZHAOSHANG_IMPORT_MAX_BYTES", 20 * 1024 * 1024)


def import_start(*, actor, kind: str, mode: str, upload) -> ImportJob:
    """``upload``: an UploadedFile. Bad files are refused here with a message saying what is wrong."""
    if not actor.has_capability(Cap.IMPORT) or actor.org_unit_id is None:
        raise PermissionDenied("您的角色不能导入数据")
    if kind not in REGISTRY:
        raise ValidationFailed(fields={"kind": [f"不支持的导入类型：{kind}"]})
    if mode not in ImportJob.Mode.values:
        raise ValidationFailed(fields={"mode": ["导入方式应为 dry_run、commit 或 valid_only"]})
    if upload is None:
        raise ValidationFailed(fields={"file": ["请选择要上传的文件"]})
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationFailed(fields={"file": [f"文件过大，上限为 {MAX_UPLOAD_BYTES // (1024 * 1024)} MB"]})
    data = upload.read()
    try:
        file_kind = inspect_upload(data, upload.name, max_bytes=MAX_UPLOAD_BYTES)
    except UploadRejected as exc:
        raise ValidationFailed(exc.message, fields={"file": [exc.message]}) from exc
    with transaction.atomic():
        job = ImportJob(
            kind=kind,
            mode=mode,
            filename=upload.name[:200],
            file_kind=file_kind,
            created_by=actor,
            org_unit=actor.org_unit,
        )
        uploads.store(job, data, f"{kind}.{file_kind}")
        job.save()
        transaction.on_commit(lambda: process_import.enqueue(job.pk))
    return job


def import_rerun(*, actor, job: ImportJob, mode: str) -> ImportJob:
    """Run the same file again in another mode (typically: commit after a clean dry run). The file moves to
    the new job: one copy at a time, deleted with the last job that needs it."""
    if not job.file:
        raise ValidationFailed("上传的文件已按保留期限删除，请重新上传", fields={"file": ["文件已删除"]})
    upload = SimpleUploadedFile(job.filename, uploads.read(job))
    new = import_start(actor=actor, kind=job.kind, mode=mode, upload=upload)
    if uploads.discard(job):
        ImportJob.objects.filter(pk=job.pk).update(file="")
    return new


def import_files_purge(*, now=None) -> int:
    """Delete the uploads whose import is over: committed jobs at once (normally done by the engine already),
    other jobs (dry runs never followed, failures, jobs that never ran) once finished or created more than
    ``ZHAOSHANG_IMPORT_RETENTION_DAYS`` ago. Returns the number of files deleted. For the daily scheduler."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.ZHAOSHANG_IMPORT_RETENTION_DAYS)
    expired = ImportJob.objects.exclude(file="").filter(
        Q(committed=True) | Q(finished_at__lt=cutoff) | Q(finished_at__isnull=True, created_at__lt=cutoff)
    )
    deleted = 0
    for job in expired.iterator():
        deleted += uploads.discard(job)
        ImportJob.objects.filter(pk=job.pk).update(file="")
    return deleted


INTERRUPTED = "任务执行进程已中断（超过 {minutes} 分钟没有响应），未写入任何数据；可点击“重新导入”再次运行"
INTERRUPTED_AFTER_WRITE = "数据已全部写入，但任务执行进程在收尾时中断，统计数字可能不完整"


def import_jobs_fail_stale(*, now=None) -> list[int]:
    """Jobs shown as running whose worker is gone (no heartbeat for ``ZHAOSHANG_IMPORT_LEASE_SECONDS``: killed,
    machine restarted) are ended: failed and marked interrupted, to be re-run with ``import_rerun`` (their write
    is one transaction, so nothing of them was kept) — or done, when the worker died after its write had
    committed. The owner is told either way. Run at the worker's start-up and every minute; returns the ids."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.ZHAOSHANG_IMPORT_LEASE_SECONDS)
    stale = Q(status=ImportJob.Status.RUNNING) & (
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, started_at__lt=cutoff)
    )
    minutes = max(1, round(settings.ZHAOSHANG_IMPORT_LEASE_SECONDS / 60))
    ended = []
    for pk in ImportJob.objects.filter(stale).order_by("pk").values_list("pk", flat=True):
        with transaction.atomic():
            job = ImportJob.objects.select_for_update().filter(stale, pk=pk).first()
            if job is None:  # its worker was alive after all: it beat or finished in between
                continue
            before = {"status": job.status, "heartbeat_at": job.heartbeat_at.isoformat() if job.heartbeat_at else None}
            job.status = ImportJob.Status.DONE if job.committed else ImportJob.Status.FAILED
            job.message = INTERRUPTED_AFTER_WRITE if job.committed else INTERRUPTED.format(minutes=minutes)
            job.interrupted, job.finished_at, job.phase = True, now, ""
            job.save(update_fields=["status", "message", "interrupted", "finished_at", "phase"])
            log_change(actor=None, obj=job, action=ObjectChange.Action.UPDATE, before=before, after=_outcome(job))
            tell_owner(job)
        if job.committed and uploads.discard(job):
            ImportJob.objects.filter(pk=job.pk).update(file="")
        ended.append(pk)
    return ended


def _outcome(job: ImportJob) -> dict:
    return {"status": job.status, "message": job.message, "interrupted": job.interrupted}
