"""Rotation of the field key (SECURITY.md item 10): every encrypted value re-encrypted under the current key.

The procedure (docs/deploy.md): put the new key in ``ZHAOSHANG_FIELD_KEY`` and the old one in
``ZHAOSHANG_FIELD_KEYS_PREVIOUS``, restart web and worker (from then on new values are written under the new key
and old ones stay readable), run ``zhaoshang rotate-field-key``, and once it reports nothing left under an old
key, drop that key from ``ZHAOSHANG_FIELD_KEYS_PREVIOUS``.

What is encrypted: every text column named ``*_cipher`` (the platform's convention, ``encrypted_columns``) and
every stored file that starts with the encryption header (uploads waiting for their import). A run walks each
column in primary-key batches; a batch's new values and the run's progress (``FieldKeyRotation``) commit together,
so an interrupted run continues after the last whole batch. A value already under the current key (its key id
says so) is left as it is, so nothing is re-encrypted twice; a value is replaced only if it did not change
meanwhile (a user's concurrent write wins). A value in a ``*_cipher`` column that is not encrypted at all is
encrypted. The security audit log gets a row when a run starts (or resumes) and when it ends.

Not rewritten: the change log (append-only and hash-chained) keeps the ciphertexts that were logged at the time;
they stay readable only while their key is configured (keep retired keys offline with the backups they belong to).
"""

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from .audit import security_event
from .crypto import (
    BYTES_MAGIC,
    LEGACY_PREFIX,
    PREFIX,
    bytes_key_id,
    current_key_id,
    key_id,
    sm4_decrypt,
    sm4_decrypt_bytes,
    sm4_encrypt,
    sm4_encrypt_bytes,
    token_key_id,
)
from .errors import ApplicationError
from .models import FieldKeyRotation, SecurityEvent

BATCH = 500
_HEADER = 32  # bytes of a file enough to read its encryption header and key id


class RotationError(ApplicationError):
    code = "key_rotation_failed"
    status = 500


@dataclass(frozen=True)
class Column:
    model: type[models.Model]
    field: str
    is_file: bool = False

    @property
    def label(self) -> str:
        return f"{self.model._meta.label}.{self.field}"


def encrypted_columns() -> list[Column]:
    """Every column that may hold SM4 ciphertext: ``*_cipher`` text columns, and file columns (whose files are
    rotated when they carry the encryption header; plain files such as attachments are left alone)."""
    found = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                found.append(Column(model, field.attname, is_file=True))
            elif isinstance(field, models.CharField | models.TextField) and field.name.endswith("_cipher"):
                found.append(Column(model, field.attname))
    return sorted(found, key=lambda c: c.label)


def _rows(column: Column, after, limit: int) -> list[tuple]:
    manager = column.model._base_manager
    queryset = manager.exclude(**{column.field: ""}).exclude(**{f"{column.field}__isnull": True})
    if after is not None:
        queryset = queryset.filter(pk__gt=after)
    return list(queryset.order_by("pk").values_list("pk", column.field)[:limit])


def _new_value(column: Column, pk, value: str, kid: str) -> str | None:
    """The value under the current key, or None when it is already there."""
    if value.startswith(PREFIX) and token_key_id(value) == kid:
        return None
    if not value.startswith((PREFIX, LEGACY_PREFIX)):
        return sm4_encrypt(value)  # plain text where ciphertext belongs: encrypt it
    try:
        return sm4_encrypt(sm4_decrypt(value))
    except ValueError as exc:
        raise RotationError(
            f"无法解密 {column.label} #{pk}：{exc}（请在 ZHAOSHANG_FIELD_KEYS_PREVIOUS 中配置旧密钥）"
        ) from exc


def _storage_path(column: Column, name: str) -> Path | None:
    storage = column.model._meta.get_field(column.field).storage
    try:
        return Path(storage.path(name))
    except NotImplementedError:  # not on the local disk: such storage encrypts on its own
        return None


def _file_key_id(path: Path) -> tuple[bool, str | None]:
    """(encrypted, key id) from the file's first bytes."""
    with path.open("rb") as handle:
        head = handle.read(_HEADER)
    return head.startswith(BYTES_MAGIC), bytes_key_id(head)


def _rotate_file(column: Column, pk, name: str, kid: str) -> bool:
    """Re-encrypt one stored file in place (written beside it, then renamed over it); whether it changed."""
    path = _storage_path(column, name)
    if path is None or not path.exists():
        return False
    encrypted, file_kid = _file_key_id(path)
    if not encrypted or file_kid == kid:
        return False
    try:
        plain = sm4_decrypt_bytes(path.read_bytes())
    except ValueError as exc:
        raise RotationError(f"无法解密 {column.label} #{pk} 的文件：{exc}") from exc
    temporary = path.with_name(f".{path.name}.rotating")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(sm4_encrypt_bytes(plain))
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
    return True


def _rotate_batch(column: Column, rows: list[tuple], kid: str) -> int:
    changed = 0
    manager = column.model._base_manager
    for pk, value in rows:
        if column.is_file:
            changed += _rotate_file(column, pk, value, kid)
            continue
        new = _new_value(column, pk, value, kid)
        if new is not None:
            # only if unchanged since read: a concurrent write (already under the new key) wins
            changed += manager.filter(pk=pk, **{column.field: value}).update(**{column.field: new})
    return changed


def remaining() -> dict[str, int]:
    """Per column, the values not (yet) under the current key; empty when the rotation is complete."""
    kid = current_key_id()
    left = {}
    for column in encrypted_columns():
        manager = column.model._base_manager
        if column.is_file:
            count = 0
            for name in manager.exclude(**{column.field: ""}).values_list(column.field, flat=True).iterator():
                path = _storage_path(column, name)
                if path is not None and path.exists():
                    encrypted, file_kid = _file_key_id(path)
                    count += encrypted and file_kid != kid
        else:
            count = (
                manager.exclude(**{column.field: ""})
                .exclude(**{f"{column.field}__isnull": True})
                .exclude(**{f"{column.field}__startswith": f"{PREFIX}{kid}:"})
                .count()
            )
        if count:
            left[column.label] = count
    return left


def rotate(*, batch_size: int = BATCH, on_batch: Callable[[str, object, int], None] | None = None) -> FieldKeyRotation:
    """Re-encrypt every encrypted value under the current key, continuing an unfinished run for the same key.
    ``on_batch(column label, last primary key, values changed)`` is called after each committed batch."""
    kid = current_key_id()
    run = FieldKeyRotation.objects.filter(key_id=kid, finished_at__isnull=True).order_by("-pk").first()
    resumed = run is not None
    if run is None:
        run = FieldKeyRotation.objects.create(key_id=kid)
    previous = [key_id(k) for k in settings.ZHAOSHANG_FIELD_KEYS_PREVIOUS]
    security_event(
        SecurityEvent.Kind.KEY_ROTATION,
        username="系统",
        object_repr=f"字段加密密钥轮换 → {kid}（{'继续' if resumed else '开始'}）",
        detail={"step": "resumed" if resumed else "started", "key_id": kid, "previous": previous, "run": run.pk},
    )
    for column in encrypted_columns():
        last = run.progress.get(column.label)
        while rows := _rows(column, last, batch_size):
            with transaction.atomic():
                changed = _rotate_batch(column, rows, kid)
                last = rows[-1][0]
                run.progress[column.label] = last
                run.counts[column.label] = run.counts.get(column.label, 0) + changed
                run.save(update_fields=["progress", "counts"])
            if on_batch is not None:
                on_batch(column.label, last, changed)
    left = remaining()  # values written under an old key after their batch (a process not yet restarted)
    if not left:
        run.finished_at = timezone.now()
        run.save(update_fields=["finished_at"])
    security_event(
        SecurityEvent.Kind.KEY_ROTATION,
        username="系统",
        success=not left,
        object_repr=f"字段加密密钥轮换 → {kid}（{'完成' if not left else '未完成'}）",
        detail={"step": "finished" if not left else "incomplete", "key_id": kid, "counts": run.counts, "left": left},
    )
    if left:
        # start the next run from the beginning: the skipped values are cheap to pass over again
        FieldKeyRotation.objects.filter(pk=run.pk).update(progress={})
    return run
