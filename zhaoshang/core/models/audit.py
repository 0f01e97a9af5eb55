"""Append-only, hash-chained logs: ``ObjectChange`` (business writes) and ``SecurityEvent`` (logins,
exports, role changes, denied access …).

Each row stores the SM3 hash of its own content together with the previous row's hash, so editing or
removing a row breaks the chain at that point (``zhaoshang verify-audit`` finds it). Database
triggers (``core.audit_triggers``) refuse UPDATE, and DELETE of rows younger than the retention
period, on both SQLite and PostgreSQL.
"""

import functools
import json
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from ..bulk import insert_values
from ..crypto import sm3_hex

GENESIS_HASH = "0" * 64


class HashChainedLog(models.Model):
    time = models.DateTimeField("时间", db_index=True)
    prev_hash = models.CharField("上一条哈希", max_length=64, editable=False)
    hash = models.CharField("哈希（SM3）", max_length=64, editable=False, unique=True)

    # The fields whose values the hash covers, in addition to ``time`` and ``prev_hash``.
    hashed_fields: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise RuntimeError(f"{type(self).__name__} is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError(f"{type(self).__name__} is append-only")

    def hash_payload(self) -> str:
        return self.payload_of({f.attname: getattr(self, f.attname) for f in self._meta.concrete_fields})

    @classmethod
    def payload_of(cls, values: dict[str, Any]) -> str:
        """The hashed text of a row given as its field values by attname (``actor_id``): the one definition,
        used for rows in memory (``append_many``) and rows read back (``verify_chain``)."""
        data: dict[str, Any] = {"prev_hash": values["prev_hash"], "time": _utc_iso(values["time"])}
        for name, attname in _hashed_attnames(cls):
            data[name] = values[attname]
        return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)

    def compute_hash(self) -> str:
        return sm3_hex(self.hash_payload().encode())

    @classmethod
    def append_many(cls, rows: list[dict[str, Any]]) -> int:
        """Append many rows in one locked batch (imports): the same chain as ``append`` row by row. ``rows``
        give field values by attname (``actor_id``, not ``actor``); no model instance is built."""
        if not rows:
            return 0
        with transaction.atomic():
            _lock_chain(cls._meta.db_table)
            previous = cls.objects.order_by("-id").values_list("hash", flat=True).first() or GENESIS_HASH
            now = timezone.now()
            columns = [f for f in cls._meta.concrete_fields if not f.primary_key]
            attnames = [f.attname for f in columns]
            unknown = set().union(*rows) - set(attnames)
            if unknown:
                raise ValueError(f"{cls.__name__}.append_many takes values by attname; unknown: {sorted(unknown)}")
            defaults = {f.attname: f.get_default() for f in columns}  # only read, never changed: shared by rows
            values = []
            for given in rows:
                row = defaults | given
                row["prev_hash"], row["time"] = previous, given.get("time") or now
                row["hash"] = previous = sm3_hex(cls.payload_of(row).encode())
                values.append([row[name] for name in attnames])
            insert_values(cls, attnames, values)
        return len(values)

    @classmethod
    def append(cls, **fields: Any):
        """Insert one row at the end of the chain. Serialised so that no two rows share a predecessor."""
        with transaction.atomic():
            _lock_chain(cls._meta.db_table)
            last = cls.objects.order_by("-id").values_list("hash", flat=True).first()
            row = cls(prev_hash=last or GENESIS_HASH, time=fields.pop("time", None) or timezone.now(), **fields)
            row.hash = row.compute_hash()
            row.save(force_insert=True)
            return row


@functools.cache
def _hashed_attnames(model: type[HashChainedLog]) -> tuple[tuple[str, str], ...]:
    """(name, attname) of a log's hashed fields, looked up once per model (an import hashes 100,000 rows)."""
    return tuple((name, model._meta.get_field(name).attname) for name in model.hashed_fields)


def _utc_iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat()


def _lock_chain(table: str) -> None:
    # SQLite transactions start IMMEDIATE (settings), which already serialises writers.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [table])


class ObjectChange(HashChainedLog):
    class Action(models.TextChoices):
        CREATE = "create", "新建"
        UPDATE = "update", "修改"
        DELETE = "delete", "删除"
        RESTORE = "restore", "恢复"
        HARD_DELETE = "hard_delete", "彻底删除"

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
    )
    actor_name = models.CharField("操作人姓名", max_length=150, blank=True)
    ip = models.GenericIPAddressField("IP", null=True, blank=True)
    request_id = models.CharField("请求编号", max_length=64, blank=True, db_index=True)
    action = models.CharField("操作", max_length=16, choices=Action.choices)
    content_type = models.ForeignKey(
        ContentType,
        verbose_name="对象类型",
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        db_index=False,  # the (content_type, object_id) index serves every look-up by it
    )
    object_id = models.PositiveBigIntegerField("对象编号")
    object_repr = models.CharField("对象", max_length=200)
    region_id = models.PositiveBigIntegerField("所属地区", null=True, blank=True, db_index=True)
    before = models.JSONField("修改前", null=True, blank=True)
    after = models.JSONField("修改后", null=True, blank=True)

    hashed_fields = (
        "actor",
        "actor_name",
        "ip",
        "request_id",
        "action",
        "content_type",
        "object_id",
        "object_repr",
        "region_id",
        "before",
        "after",
    )

    class Meta:
        verbose_name = "变更记录"
        verbose_name_plural = "变更记录"
        ordering = ["-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.object_repr}"

    def changed_fields(self) -> list[tuple[str, Any, Any]]:
        before, after = self.before or {}, self.after or {}
        keys = sorted(set(before) | set(after))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]

    def diff(self) -> list[tuple[str, Any, Any]]:
        """Changed fields as people read them (the version counter left out): each field's Chinese label; a
        choice's label, a referenced record's name, 是/否 instead of the stored values. Lists of changes are
        resolved together by ``resolve_diffs`` (one query per referenced model); alone, a change resolves itself."""
        if not hasattr(self, "_diff"):
            resolve_diffs([self])
        return self._diff


def resolve_diffs(changes) -> None:
    """Compute ``diff`` for these changes at once: the records their foreign keys name are read in one query per
    referenced model (``_base_manager``: deleted and soft-deleted records keep their names)."""
    changes = list(changes)
    fields: list[list[tuple[str, models.Field | None, Any, Any]]] = []
    wanted: dict[type[models.Model], set] = {}
    for change in changes:
        model = change.content_type.model_class()
        rows = []
        for name, old, new in change.changed_fields():
            if name == "version":
                continue
            try:
                field = model._meta.get_field(name) if model else None
            except FieldDoesNotExist:  # a field removed since the change was logged
                field = None
            if field is not None and (field.many_to_one or field.one_to_one):
                wanted.setdefault(field.related_model, set()).update(v for v in (old, new) if v is not None)
            rows.append((name, field, old, new))
        fields.append(rows)
    names = {model: _names_of(model, ids) for model, ids in wanted.items()}
    for change, rows in zip(changes, fields, strict=True):
        change._diff = [
            (str(field.verbose_name) if field else name, _shown(field, old, names), _shown(field, new, names))
            for name, field, old, new in rows
        ]


def _names_of(model: type[models.Model], ids: set) -> dict[Any, str]:
    """id → what a person calls the record: its ``display_name``, else its ``name`` field, else ``str()``; one
    query."""
    manager = model._base_manager.filter(pk__in=ids)
    if not hasattr(model, "display_name") and "name" in {f.name for f in model._meta.concrete_fields}:
        return {pk: str(value) for pk, value in manager.values_list("pk", "name")}
    return {record.pk: str(getattr(record, "display_name", record)) for record in manager}


def _shown(field: models.Field | None, value: Any, names: dict) -> Any:
    if value is None or field is None:
        return value
    if field.many_to_one or field.one_to_one:
        return names.get(field.related_model, {}).get(value, f"编号 {value}（已不存在）")
    if field.flatchoices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(field, models.DateTimeField) and isinstance(value, str):
        moment = parse_datetime(value)
        return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S") if moment and moment.tzinfo else value
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(map(str, value)) or None
    return value


class SecurityEvent(HashChainedLog):
    class Kind(models.TextChoices):
        LOGIN = "login", "登录成功"
        LOGIN_FAILED = "login_failed", "登录失败"
        LOCKED_OUT = "locked_out", "账号锁定"
        LOGOUT = "logout", "退出登录"
        TOKEN_ISSUED = "token_issued", "签发接口令牌"
        PASSWORD_CHANGED = "password_changed", "修改密码"
        ROLE_CHANGED = "role_changed", "角色变更"
        ACCOUNT_CHANGED = "account_changed", "账号变更"
        ACCESS_DENIED = "access_denied", "拒绝访问"
        EXPORT = "export", "数据导出"
        REVEAL = "reveal", "查看完整个人信息"
        UNLOCK = "unlock", "解除锁定"
        AUDIT_VERIFIED = "audit_verified", "审计日志校验"
        TOKEN_REVOKED = "token_revoked", "吊销接口令牌"
        AUDIT_CHECKPOINT = "audit_checkpoint", "审计日志锚定"
        KEY_ROTATION = "key_rotation", "字段加密密钥轮换"
        TWO_FACTOR_ENROLLED = "2fa_enrolled", "绑定双因素认证"
        TWO_FACTOR_VERIFIED = "2fa_verified", "双因素认证通过"
        TWO_FACTOR_FAILED = "2fa_failed", "双因素认证失败"
        RECOVERY_CODE_USED = "2fa_recovery_used", "使用恢复码"
        TWO_FACTOR_RESET = "2fa_reset", "重置双因素认证"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="用户",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
    )
    username = models.CharField("用户名", max_length=150, blank=True, db_index=True)
    ip = models.GenericIPAddressField("IP", null=True, blank=True)
    request_id = models.CharField("请求编号", max_length=64, blank=True)
    kind = models.CharField("事件", max_length=32, choices=Kind.choices, db_index=True)
    success = models.BooleanField("成功", default=True)
    object_repr = models.CharField("对象", max_length=200, blank=True)
    path = models.CharField("地址", max_length=300, blank=True)
    region_id = models.PositiveBigIntegerField("所属地区", null=True, blank=True, db_index=True)
    detail = models.JSONField("详情", default=dict, blank=True)

    hashed_fields = (
        "user",
        "username",
        "ip",
        "request_id",
        "kind",
        "success",
        "object_repr",
        "path",
        "region_id",
        "detail",
    )

    class Meta:
        verbose_name = "安全审计事件"
        verbose_name_plural = "安全审计事件"
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.username}"
