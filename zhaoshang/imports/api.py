from datetime import datetime

from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from zhaoshang.api.capabilities import router_requires
from zhaoshang.api.schemas import ERRORS
from zhaoshang.core.roles import Cap

from . import selectors, services

router = Router(tags=["导入"])


class ImportError_(Schema):
    row: int
    column: str
    message: str


class ImportOut(Schema):
    id: int
    kind: str
    mode: str
    status: str
    status_label: str
    phase: str
    progress: int
    total_rows: int
    processed_rows: int
    created: int
    updated: int
    unchanged: int
    error_rows: int
    committed: bool
    message: str
    errors: list[ImportError_]
    changes: list[dict]
    created_at: datetime
    finished_at: datetime | None


def _out(job) -> dict:
    return {
        "id": job.pk,
        "kind": job.kind,
        "mode": job.mode,
        "status": job.status,
        "status_label": job.get_status_display(),
        "phase": job.phase,
        "progress": job.progress_pct,
        "total_rows": job.total_rows,
        "processed_rows": job.processed_rows,
        "created": job.created_count,
        "updated": job.updated_count,
        "unchanged": job.unchanged_count,
        "error_rows": job.error_count,
        "committed": job.committed,
        "message": job.message,
        "errors": job.errors,
        "changes": job.changes,
        "created_at": job.created_at,
        "finished_at": job.finished_at,
    }


@router.post(
    "",
    response={201: ImportOut, **ERRORS},
    summary="上传文件导入（dry_run 试导入 / commit 全部或全不 / valid_only 只导入正确的行）",
)
def import_create(request, kind: Form[str], mode: Form[str] = "dry_run", file: File[UploadedFile] = None):
    job = services.import_start(actor=request.user, kind=kind, mode=mode, upload=file)
    job.refresh_from_db()
    return Status(201, _out(job))


@router.get("/{int:pk}", response={200: ImportOut, **ERRORS}, summary="导入任务的状态、进度与错误")
def import_get(request, pk: int):
    return _out(selectors.import_job_get(user=request.user, pk=pk))


router_requires(router, Cap.IMPORT)

routers = [("/imports", router)]
