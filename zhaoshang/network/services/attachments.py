"""Attachments of office activities (minutes, memoranda, photos): the import engine's upload rules
(``imports.attachments.accept_attachment``: type by content, size cap, random stored name, the upload file
modes), written by the units that may change the activity, each upload and removal in the change log."""

from django.db import transaction

from zhaoshang.core import services as core
from zhaoshang.core.audit import log_change
from zhaoshang.core.errors import NotFound
from zhaoshang.core.models import ObjectChange
from zhaoshang.imports.attachments import accept_attachment

from ..models import Activity, ActivityAttachment
from .common import require_change


def _names(activity: Activity) -> list[str]:
    return list(activity.attachments.order_by("id").values_list("name", flat=True))


def activity_attach(*, actor, activity: Activity, upload) -> ActivityAttachment:
    """Attach a file to an activity the actor may change; a refused file stores nothing."""
    require_change(actor)
    with transaction.atomic():
        current = core.object_get_for_change(model=Activity, actor=actor, pk=activity.pk)
        kind, original = accept_attachment(upload)
        before = _names(current)
        attachment = ActivityAttachment.objects.create(
            activity=current, file=upload, name=original, kind=kind, size=upload.size, uploaded_by=actor
        )
        log_change(
            actor=actor,
            obj=current,
            action=ObjectChange.Action.UPDATE,
            before={"附件": before},
            after={"附件": [*before, original]},
        )
    return attachment


def activity_attachment_delete(*, actor, activity: Activity, attachment_id: int) -> None:
    """Remove an attachment of an activity the actor may change (404 otherwise); the file goes once the
    removal is committed."""
    require_change(actor)
    with transaction.atomic():
        current = core.object_get_for_change(model=Activity, actor=actor, pk=activity.pk)
        attachment = ActivityAttachment.objects.filter(activity=current, pk=attachment_id).first()
        if attachment is None:
            raise NotFound()
        before = _names(current)
        storage, name = attachment.file.storage, attachment.file.name
        attachment.delete()
        log_change(
            actor=actor,
            obj=current,
            action=ObjectChange.Action.UPDATE,
            before={"附件": before},
            after={"附件": _names(current)},
        )
        transaction.on_commit(lambda: storage.delete(name))
