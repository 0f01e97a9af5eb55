"""企业库: enterprises, their contacts (phones encrypted), signals, notes and merges."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from zhaoshang.core import parsers
from zhaoshang.core.crypto import sm4_decrypt, sm4_encrypt
from zhaoshang.core.models import BusinessModel, Industry, Tag
from zhaoshang.core.models.fields import amount_field
from zhaoshang.core.reference import PROVINCES
from zhaoshang.core.text import mask_phone


class Enterprise(BusinessModel):
    class Kind(models.TextChoices):
        LOCAL = "local", "本地企业"
        TARGET = "target", "目标企业"
        INVESTOR = "investor", "客商"

    class Origin(models.TextChoices):
        DOMESTIC = "domestic", "内资"
        FOREIGN = "foreign", "外资"
        HMT = "hmt", "港澳台资"

    class Scale(models.TextChoices):
        LARGE = "large", "大型"
        MEDIUM = "medium", "中型"
        SMALL = "small", "小型"
        MICRO = "micro", "微型"

    name = models.CharField("企业名称", max_length=200, db_index=True)
    normalized_name = models.CharField("规范化名称", max_length=200, db_index=True, editable=False)
    credit_code = models.CharField("统一社会信用代码", max_length=18, blank=True, db_index=True)
    short_name = models.CharField("简称", max_length=60, blank=True)
    former_names = models.TextField("曾用名", blank=True, help_text="每行一个")
    english_name = models.CharField("英文名称", max_length=200, blank=True)
    kind = models.CharField("企业类型", max_length=16, choices=Kind.choices, default=Kind.TARGET)
    origin = models.CharField("资本来源", max_length=16, choices=Origin.choices, default=Origin.DOMESTIC)
    country = models.CharField("投资方国别（地区）", max_length=40, blank=True, help_text="外资、港澳台资企业填写")
    scale = models.CharField("企业规模", max_length=16, choices=Scale.choices, blank=True)
    industry = models.ForeignKey(
        Industry, verbose_name="国民经济行业", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    province = models.CharField("所在省份", max_length=20, blank=True, choices=[(p, p) for p in PROVINCES])
    city = models.CharField("所在城市", max_length=40, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    legal_representative = models.CharField("法定代表人", max_length=50, blank=True)
    registered_capital = amount_field("注册资本（万元）", 16)
    established_on = models.DateField("成立日期", null=True, blank=True)
    is_historical = models.BooleanField(
        parsers.HISTORICAL_LABEL, default=False, help_text="勾选后成立日期可早于 1949-10-01"
    )
    website = models.CharField("网站", max_length=200, blank=True)
    business_scope = models.TextField("经营范围", blank=True)
    tags = models.ManyToManyField(Tag, verbose_name="标签", blank=True, related_name="enterprises")
    merged_into = models.ForeignKey(
        "self",
        verbose_name="已合并至",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="merged_from",
    )

    changelog_exclude = ("updated_at", "updated_by", "normalized_name")

    class Meta:
        verbose_name = "企业"
        verbose_name_plural = "企业"
        constraints = [
            models.UniqueConstraint(
                fields=["region", "credit_code"],
                condition=Q(deleted_at__isnull=True) & ~Q(credit_code=""),
                name="enterprise_unique_live_credit_code",
                violation_error_message="本地区已有使用该统一社会信用代码的企业",
            )
        ]
        # The list's default order (latest updated first) within a county or a unit's records.
        indexes = [
            models.Index(fields=["region", "normalized_name"]),
            models.Index(fields=["region", "-updated_at"]),
            models.Index(fields=["org_unit", "-updated_at"]),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("enterprises:enterprise_detail", args=[self.pk])

    def former_name_list(self) -> list[str]:
        return [line.strip() for line in self.former_names.splitlines() if line.strip()]

    def clean(self) -> None:
        super().clean()
        if self.established_on is not None:
            established, historical = self.established_on, self.is_historical
            parsers.model_clean({"established_on": lambda: parsers.founding_date(established, historical=historical)})


class Contact(BusinessModel):
    """A person at an enterprise. The phone is kept SM4-GCM encrypted; lists show ``phone_masked``."""

    enterprise = models.ForeignKey(Enterprise, verbose_name="企业", on_delete=models.PROTECT, related_name="contacts")
    name = models.CharField("姓名", max_length=50)
    title = models.CharField("职务", max_length=60, blank=True)
    phone_cipher = models.CharField("电话（密文）", max_length=200, blank=True, editable=False)
    phone_masked = models.CharField("电话", max_length=30, blank=True, editable=False)
    email = models.EmailField("电子邮箱", blank=True)
    wechat = models.CharField("微信", max_length=60, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)

    class Meta:
        verbose_name = "联系人"
        verbose_name_plural = "联系人"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.enterprise}）"

    def set_phone(self, phone: str) -> None:
        phone = (phone or "").strip()
        self.phone_cipher = sm4_encrypt(phone) if phone else ""
        self.phone_masked = mask_phone(phone)

    def reveal_phone(self) -> str:
        return sm4_decrypt(self.phone_cipher) if self.phone_cipher else ""


class Signal(BusinessModel):
    """Something that happened to an enterprise that may make it a target: financing, a new branch …"""

    class Kind(models.TextChoices):
        FINANCING = "financing", "融资"
        OUTBOUND = "outbound", "对外投资"
        BRANCH = "branch", "新设分支机构"
        TENDER = "tender", "招投标"
        PATENT = "patent", "专利"
        LIST = "list", "榜单入选"

    enterprise = models.ForeignKey(Enterprise, verbose_name="企业", on_delete=models.PROTECT, related_name="signals")
    kind = models.CharField("类型", max_length=16, choices=Kind.choices)
    occurred_on = models.DateField("日期")
    title = models.CharField("内容", max_length=200)
    amount = amount_field("金额（万元）", 16)
    source = models.CharField("来源", max_length=100, blank=True)

    class Meta:
        verbose_name = "企业动态"
        verbose_name_plural = "企业动态"
        ordering = ["-occurred_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.title}"


class Note(models.Model):
    """A person's note on an enterprise (the journal); notes are never edited, only added."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField("内容")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "备注"
        verbose_name_plural = "备注"
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.text[:30]


class Merge(models.Model):
    """One merge of ``merged`` into ``survivor``, with what is needed to undo it."""

    survivor = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="merges_won")
    merged = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="merges_lost")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    field_choices = models.JSONField("字段取值", default=dict)
    survivor_before = models.JSONField(default=dict)
    survivor_tags_before = models.JSONField(default=list)
    moved = models.JSONField("迁移的记录", default=dict)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "企业合并"
        verbose_name_plural = "企业合并"
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.merged} → {self.survivor}"
