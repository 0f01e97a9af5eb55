import hashlib
import secrets
from functools import cached_property

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone

from zhaoshang.core.roles import CAPABILITIES, Role


class OrgUnit(models.Model):
    """A unit in the organisation tree. Several roots are allowed: one per county (region).

    ``path`` is the materialised path of ids (``/1/5/12/``): subtree and ancestor look-ups are one
    indexed query or no query at all. It is kept by ``accounts.services.org_unit_save``.
    """

    class Kind(models.TextChoices):
        CITY = "city", "市"
        CENTER = "center", "中心"
        DEPARTMENT = "department", "部门"
        TOWN = "town", "镇街"
        OFFICE = "office", "驻外办事处"
        ZONE = "zone", "开发区"

    name = models.CharField("名称", max_length=100)
    short_name = models.CharField("简称", max_length=30, blank=True)
    code = models.SlugField("编码", max_length=60, unique=True, help_text="英文字母、数字、下划线或连字符，全平台唯一")
    kind = models.CharField("类型", max_length=16, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    region = models.ForeignKey(
        "self",
        verbose_name="所属地区",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    path = models.CharField("路径", max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField("层级", default=0, editable=False)
    sort_order = models.PositiveIntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)
    is_coordinating = models.BooleanField(
        "统筹单位",
        default=False,
        help_text="县级统筹单位（如投资促进中心）：本单位招商专员可查看全县线索、项目和统计，分派线索，督办，为各单位录入统计数据",
    )

    class Meta:
        verbose_name = "组织单位"
        verbose_name_plural = "组织单位"
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="orgunit_unique_name_in_parent"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    def ancestor_ids(self) -> list[int]:
        """Ids from the root down to this unit, itself included."""
        return [int(part) for part in self.path.strip("/").split("/") if part]

    def subtree_ids(self) -> list[int]:
        cached = getattr(self, "_subtree_ids", None)
        if cached is None:
            cached = list(OrgUnit.objects.filter(path__startswith=self.path).values_list("id", flat=True))
            self._subtree_ids = cached
        return cached

    def ancestors(self):
        return OrgUnit.objects.filter(id__in=self.ancestor_ids()).order_by("depth")


class User(AbstractUser):
    """A named account. Exactly one role (三员分立); business users belong to one org unit."""

    full_name = models.CharField("姓名", max_length=50, blank=True)
    org_unit = models.ForeignKey(
        OrgUnit,
        verbose_name="所属单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    role = models.CharField("角色", max_length=16, choices=Role.choices, blank=True, default="")
    phone = models.CharField("办公电话", max_length=30, blank=True)
    title = models.CharField("职务", max_length=50, blank=True)
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)

    objects = UserManager()

    REQUIRED_FIELDS = ["email"]

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        ordering = ["username"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    @cached_property
    def capabilities(self) -> frozenset[str]:
        if not self.is_active or not self.role:
            return frozenset()
        return CAPABILITIES.get(self.role, frozenset())

    def has_capability(self, capability: str) -> bool:
        return capability in self.capabilities

    @property
    def is_admin_role(self) -> bool:
        return self.role in Role.admin_roles()

    @property
    def region_id(self) -> int | None:
        return self.org_unit.region_id if self.org_unit_id else None

    def set_password(self, raw_password):
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 digest is stored; the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("名称", max_length=60, blank=True)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField("前缀", max_length=8, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField("到期时间")
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)

    class Meta:
        verbose_name = "接口令牌"
        verbose_name_plural = "接口令牌"

    def __str__(self) -> str:
        return f"{self.prefix}…"

    @staticmethod
    def digest_of(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @staticmethod
    def generate() -> str:
        return "zs_" + secrets.token_urlsafe(32)

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now() and self.user.is_active
