"""Policies: create, edit, delete, restore (``core.services``), the links to the policies they replace, and the
full text as an attachment checked by the import engine's upload rules."""

import os
import uuid

from django.db import transaction

from zhaoshang.core import services
from zhaoshang.core.audit import log_change, snapshot
from zhaoshang.core.errors import ValidationFailed
from zhaoshang.core.models import ObjectChange
from zhaoshang.imports.attachments import inspect_attachment
from zhaoshang.imports.files import UploadRejected

from ..models import Policy


def _replaces(policy: Policy, replaces) -> None:
    if replaces is None:
        return
    ids = [p.pk if hasattr(p, "pk") else int(p) for p in replaces]
    if policy.pk in ids:
        raise ValidationFailed(fields={"replaces": ["政策不能替代自己"]})
    found = list(Policy.objects.filter(pk__in=ids, region_id=policy.region_id))
    if len(found) != len(set(ids)):
        raise ValidationFailed(fields={"replaces": ["所选被替代政策不存在"]})
    policy.replaces.set(found)


def policy_create(*, actor, data: dict) -> Policy:
    data = dict(data)
    replaces = data.pop("replaces", None)
    with transaction.atomic():
        policy = services.object_create(model=Policy, actor=actor, data=data)
        _replaces(policy, replaces)
    return policy


def policy_update(*, actor, policy: Policy, data: dict, version: int) -> Policy:
    data = dict(data)
    replaces = data.pop("replaces", None)
    with transaction.atomic():
        policy = services.object_update(obj=policy, actor=actor, data=data, version=version)
        _replaces(policy, replaces)
    return policy


def policy_delete(*, actor, policy: Policy, version: int | None = None) -> None:
    services.object_delete(obj=policy, actor=actor, version=version)


def policy_restore(*, actor, pk: int) -> Policy:
    return services.object_restore(model=Policy, actor=actor, pk=pk)


def policy_attach(*, actor, policy: Policy, upload) -> Policy:
    """Store the policy's full text (PDF or Word, checked by content, size capped) under a new name."""
    if upload is None:
        raise ValidationFailed(fields={"file": ["请选择要上传的文件"]})
    try:
        kind = inspect_attachment(upload.file if hasattr(upload, "file") else upload, upload.name)
    except UploadRejected as exc:
        raise ValidationFailed(exc.message, fields={"file": [exc.message]}) from exc
    if kind not in ("pdf", "docx"):
        message = "政策全文请上传 PDF 或 Word（.docx）文件"
        raise ValidationFailed(message, fields={"file": [message]})
    with transaction.atomic():
        current = services.object_get_for_change(model=Policy, actor=actor, pk=policy.pk)
        before = snapshot(current)
        original = os.path.basename(upload.name.replace("\\", "/"))[:200]
        upload.name = f"{uuid.uuid4().hex}.{kind}"
        current.attachment, current.attachment_name, current.attachment_kind = upload, original, kind
        current.version += 1
        current.updated_by = actor
        current.save()
        log_change(actor=actor, obj=current, action=ObjectChange.Action.UPDATE, before=before, after=snapshot(current))
    return current
