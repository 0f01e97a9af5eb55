"""The open stage's checklist: each item is ticked by the unit it is assigned to — not by whoever can edit the
project — or, for a stuck item, by a leader of the region who gives the reason (it stands in the 大事记). An
item that says 上传 is done only with its document attached (``ChecklistAttachment``)."""

import os
import uuid
from datetime import date

from django.db import transaction

from zhaoshang.core.errors import NotFound, PermissionDenied, ValidationFailed
from zhaoshang.core.roles import Cap
from zhaoshang.imports.attachments import inspect_attachment
from zhaoshang.imports.files import UploadRejected

from ..models import ChecklistAttachment, ChecklistEntry, Project, ProjectEvent, ProjectStage
from .events import event, today_or
from .lifecycle import project_for
from .warning_engine import refresh_warning


def is_entry_owner(actor, entry: ChecklistEntry) -> bool:
    """A member of the item's unit (or of a unit inside it) — not of a unit above it: the county's leaders
    sit above every department and tick another unit's item only as ``may_overrule`` allows."""
    return (
        actor.has_capability(Cap.BUSINESS_CHANGE)
        and actor.org_unit_id is not None
        and entry.owner_unit_id in actor.org_unit.ancestor_ids()
    )


def may_overrule(actor, project: Project) -> bool:
    """A leader of the region may tick any unit's item, with a reason."""
    return actor.has_capability(Cap.ADVANCE_ANY_STAGE) and project.region_id == actor.region_id


def _open_entry(actor, entry_id: int) -> tuple[ChecklistEntry, Project]:
    entry = (
        ChecklistEntry.objects.select_for_update(of=("self",))
        .select_related("run__project", "run__stage", "owner_unit")
        .filter(pk=entry_id)
        .first()
    )
    if entry is None:
        raise NotFound()
    project = project_for(actor, entry.run.project_id)
    if entry.run.status != ProjectStage.Status.OPEN:
        raise ValidationFailed("该阶段已办结，清单不能再修改")
    return entry, project


def checklist_set(*, actor, entry_id: int, done: bool, note: str = "", on: date | None = None) -> ChecklistEntry:
    """Tick (or untick) a checklist item. Its owner unit may; a leader of the region may with a reason
    (``note``), recorded in the 大事记; nobody else. An item that says 上传 needs its attachment first."""
    on = today_or(on)
    note = (note or "").strip()
    with transaction.atomic():
        entry, project = _open_entry(actor, entry_id)
        owner = is_entry_owner(actor, entry)
        if not owner and not may_overrule(actor, project):
            raise PermissionDenied(f"“{entry.title}”由{entry.owner_unit.name}负责，只能由该单位确认完成")
        if not owner and not note:
            raise ValidationFailed(
                f"“{entry.title}”由{entry.owner_unit.name}负责，领导代为确认须说明理由",
                fields={"note": ["请填写代为确认的理由"]},
            )
        if done and entry.needs_attachment and not entry.attachments.exists():
            raise ValidationFailed(f"“{entry.title}”须先上传附件，才能确认完成", fields={"file": ["请上传附件"]})
        entry.done_on, entry.done_by = (on, actor) if done else (None, None)
        entry.note = note[:200]
        entry.save(update_fields=["done_on", "done_by", "note"])
        unit = actor.org_unit.name if actor.org_unit_id else ""
        verb = "完成" if done else "撤销完成"
        if owner:
            text = f"{unit}{verb}“{entry.title}”"
        else:
            text = f"{actor.display_name}代{entry.owner_unit.name}{verb}“{entry.title}”，理由：{note}"
        event(project, ProjectEvent.Kind.CHECKLIST, text, actor=actor, on=on, overruled=not owner)
        Project.objects.filter(pk=project.pk).update(last_progress_on=on)
        project.last_progress_on = on
        refresh_warning(project, today=on)
    return entry


def checklist_attach(*, actor, entry_id: int, upload, on: date | None = None) -> ChecklistAttachment:
    """Attach a document to a checklist item of the open stage (its owner unit, or a leader of the region).
    The file is checked by content (PDF, .docx, .xlsx, PNG/JPEG; size cap) and stored under a new name."""
    with transaction.atomic():
        entry, project = _open_entry(actor, entry_id)
        if not is_entry_owner(actor, entry) and not may_overrule(actor, project):
            raise PermissionDenied(f"“{entry.title}”由{entry.owner_unit.name}负责，只能由该单位上传附件")
        if upload is None:
            raise ValidationFailed(fields={"file": ["请选择要上传的文件"]})
        try:
            kind = inspect_attachment(upload.file if hasattr(upload, "file") else upload, upload.name)
        except UploadRejected as exc:
            raise ValidationFailed(exc.message, fields={"file": [exc.message]}) from exc
        original = os.path.basename(upload.name.replace("\\", "/"))[:200]
        upload.name = f"{uuid.uuid4().hex}.{kind}"
        attachment = ChecklistAttachment.objects.create(
            entry=entry, file=upload, name=original, kind=kind, size=upload.size, uploaded_by=actor
        )
        event(project, ProjectEvent.Kind.CHECKLIST, f"为“{entry.title}”上传附件“{original}”", actor=actor, on=on)
    return attachment


# --- written on behalf of another app's recorded act (a review's decision) ---------------------------------


def checklist_add(*, actor, project_id: int, titles: list[str], source: str, on: date | None = None) -> list:
    """Add required items to the project's open stage (owned by the stage's unit): conditions a decision set
    (研判's 附加条件) that the stage must tick before it closes. ``source`` words where they come from."""
    on = today_or(on)
    titles = [t.strip()[:100] for t in titles if t and t.strip()]
    with transaction.atomic():
        project = project_for(actor, project_id)
        run = ProjectStage.objects.filter(project=project, status=ProjectStage.Status.OPEN).first()
        if run is None or not titles:
            return []
        entries = ChecklistEntry.objects.bulk_create(
            [ChecklistEntry(run=run, title=title, owner_unit_id=run.owner_unit_id, required=True) for title in titles]
        )
        event(project, ProjectEvent.Kind.CHECKLIST, f"{source}：新增清单事项“{'、'.join(titles)}”", actor=actor, on=on)
    return entries


def checklist_complete_on_record(*, actor, project_id: int, title: str, note: str, on: date | None = None) -> bool:
    """Tick the open stage's item named ``title`` because a record of another app proves it done (a review's
    decision is the 专家研判意见); the note names that record. False when the open stage has no such item."""
    on = today_or(on)
    with transaction.atomic():
        project = project_for(actor, project_id)
        entry = (
            ChecklistEntry.objects.select_for_update()
            .filter(run__project=project, run__status=ProjectStage.Status.OPEN, title=title, done_on__isnull=True)
            .first()
        )
        if entry is None:
            return False
        entry.done_on, entry.done_by, entry.note = on, actor, note[:200]
        entry.save(update_fields=["done_on", "done_by", "note"])
        event(project, ProjectEvent.Kind.CHECKLIST, f"完成“{entry.title}”：{note}"[:300], actor=actor, on=on)
    return True
