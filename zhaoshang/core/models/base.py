"""Base mixins for every business record: timestamps, soft delete, optimistic-lock version, data scope.

A business model subclasses ``BusinessModel`` and gets:
- ``org_unit`` (the owning unit) and ``region`` (its root, the county), which drive data scope;
- ``objects`` (live rows, restrictable) and ``all_objects`` (including soft-deleted rows);
- ``version``, compared by ``core.services.object_update`` so a stale write is refused.
Writes go through the services in ``core.services`` (or an app's own services built on them), which
also record the change log.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models

from ..scope import RestrictedQuerySet


class TimestampedModel(models.Model):
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # nothing is looked up by it, and every insert paid for the index (docs/decisions.md)
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="更新人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # nothing is looked up by it, and every insert paid for the index (docs/decisions.md)
    )

    class Meta:
        abstract = True


class VersionedModel(models.Model):
    version = models.PositiveIntegerField("版本", default=1, editable=False)

    class Meta:
        abstract = True


class LiveManager(models.Manager.from_queryset(RestrictedQuerySet)):
    def get_queryset(self):
        return super().get_queryset().filter(deleted_at__isnull=True)


class AllRowsManager(models.Manager.from_queryset(RestrictedQuerySet)):
    pass


class SoftDeleteModel(models.Model):
    deleted_at = models.DateTimeField("删除时间", null=True, blank=True, editable=False, db_index=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="删除人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        db_index=False,  # as created_by
    )

    objects = LiveManager()
    all_objects = AllRowsManager()

    class Meta:
        abstract = True

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class BusinessModel(TimestampedModel, VersionedModel, SoftDeleteModel):
    """A record owned by an org unit: scoped, versioned, soft-deleted, change-logged."""

    org_unit = models.ForeignKey(
        "accounts.OrgUnit", verbose_name="所属单位", on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey(
        "accounts.OrgUnit",
        verbose_name="所属地区",
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )

    # Fields left out of the change log (derived or noisy).
    changelog_exclude: tuple[str, ...] = ("updated_at", "updated_by")
    # Whether officers of a 统筹单位 may also change and delete every unit's records of this model (statistics
    # they compile for the county); otherwise they view the region but change only their own unit's records.
    coordinated_changes: bool = False

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.org_unit_id and not self.region_id:
            self.region_id = self.org_unit.region_id
        super().save(*args, **kwargs)

    @classmethod
    def scope_for_expert(cls, queryset, user, action):
        """Experts see only what is assigned to them; models with assignments override this."""
        return queryset.none()


class ObjectShare(models.Model):
    """An explicit share of one record with a user or an org unit (and the units below it)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    obj = GenericForeignKey("content_type", "object_id")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="shares"
    )
    org_unit = models.ForeignKey(
        "accounts.OrgUnit", null=True, blank=True, on_delete=models.CASCADE, related_name="shares"
    )
    can_change = models.BooleanField("可修改", default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "共享"
        verbose_name_plural = "共享"
        indexes = [models.Index(fields=["content_type", "object_id"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(user__isnull=False) | models.Q(org_unit__isnull=False),
                name="objectshare_has_target",
            )
        ]

    def __str__(self) -> str:
        target = self.user or self.org_unit
        return f"{self.content_type_id}:{self.object_id} → {target}"
