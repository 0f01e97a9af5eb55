"""Starting imports: check the upload, keep the file (encrypted, ``uploads``), queue the job after the
transaction commits; delete uploads whose import is over (``import_files_purge``)."""

from datetime import timedelta

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from zhaoshang.core.errors import PermissionDenied, ValidationFailed
from zhaoshang.core.roles import Cap

from . import uploads
from .engine import REGISTRY
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
