"""线索: leads from every channel — registered, checked for duplicates and 首谈保护, assigned, followed up
on working-day clocks, and converted into a project in one action."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from zhaoshang.core import parsers
from zhaoshang.core.crypto import sm4_decrypt, sm4_encrypt
from zhaoshang.core.models import BusinessModel, Industry
from zhaoshang.core.models.fields import amount_field
from zhaoshang.core.reference import PROVINCES
from zhaoshang.core.text import mask_phone
from zhaoshang.projects.models import FollowUp, Project


class LeadRules(models.Model):
    """A county's lead rules (DOMAIN.md §3): response clocks and 首谈保护."""

    region = models.OneToOneField("accounts.OrgUnit", on_delete=models.CASCADE, related_name="+")
    respond_workdays = models.PositiveIntegerField("响应时限（工作日）", default=1)
    assess_workdays = models.PositiveIntegerField("研判时限（工作日）", default=3)
    major_assess_workdays = models.PositiveIntegerField("重大线索研判时限（工作日）", default=5)
    report_every_days = models.PositiveIntegerField("进展报告周期（天）", default=14)
    protect_amount = models.DecimalField(
        "首谈保护金额门槛（万元）",
        max_digits=14,
        decimal_places=2,
        default=Decimal("100000"),
        validators=[parsers.validate_not_negative],
        help_text="预计投资达到该金额（含外资折算）的线索受首谈保护",
    )
    protect_days = models.PositiveIntegerField("首谈保护期（天）", default=180)
    usd_rate = models.DecimalField(
        "美元折人民币汇率（用于判断门槛）",
        max_digits=8,
        decimal_places=4,
        default=Decimal("7.1"),
        validators=[parsers.validate_positive],
    )

    class Meta:
        verbose_name = "线索规则"
        verbose_name_plural = "线索规则"

    def __str__(self) -> str:
        return f"线索规则（{self.region}）"


class Lead(BusinessModel):
    """``org_unit`` is the owner unit; ``owner`` the officer who follows it up. A lead in the pool
    (``in_pool``) waits for a unit to claim it or for assignment."""

    class Status(models.TextChoices):
        NEW = "new", "新登记"
        ASSIGNED = "assigned", "已分派"
        FOLLOWING = "following", "跟进中"
        ASSESSED = "assessed", "已研判"
        CONVERTED = "converted", "已转项目"
        SHELVED = "shelved", "已搁置"
        MERGED = "merged", "已合并"

    class Source(models.TextChoices):
        OFFICE = "office", "驻外办事处"
        TOWN = "town", "镇街"
        DEPARTMENT = "department", "部门"
        AGENCY = "agency", "中介机构"
        REFERRAL = "referral", "以商招商"
        SISTER_CITY = "sister_city", "友城"
        FAIR = "fair", "展会"
        ONLINE = "online", "网络"
        SUPERIOR = "superior", "上级推送"

    class Grade(models.TextChoices):
        A = "A", "A 重点"
        B = "B", "B 跟进"
        C = "C", "C 储备"

    ProjectType = Project.Type  # a lead becomes a project: the same types (for the lead's API and import)

    OPEN_STATUSES = (Status.NEW, Status.ASSIGNED, Status.FOLLOWING, Status.ASSESSED)

    code = models.CharField("线索编号", max_length=20, unique=True, editable=False)
    title = models.CharField("线索名称", max_length=200)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name="投资主体",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="leads",
    )
    enterprise_name = models.CharField("投资主体名称", max_length=200, blank=True, help_text="尚未入企业库时填写名称")
    normalized_name = models.CharField(max_length=200, blank=True, db_index=True, editable=False)
    investor_country = models.CharField("投资方国别（地区）", max_length=40, blank=True)
    investor_province = models.CharField(
        "投资方所在省份", max_length=20, blank=True, choices=[(p, p) for p in PROVINCES], help_text="国内投资方填写"
    )
    investor_city = models.CharField("投资方所在城市", max_length=40, blank=True, help_text="如 杭州市、深圳市")
    industry = models.ForeignKey(
        Industry, verbose_name="国民经济行业", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    chain = models.CharField("产业链", max_length=40, blank=True)
    project_type = models.CharField("项目类型", max_length=20, choices=ProjectType.choices, default=ProjectType.NEW)
    investment_rmb = amount_field("预计投资（万元）")
    investment_fdi = amount_field("预计外资（万美元）")
    land_mu = amount_field("用地需求（亩）", 10)
    floor_area = amount_field("厂房/楼宇需求（㎡）", 12)
    preferred_town = models.ForeignKey(
        "accounts.OrgUnit",
        verbose_name="意向镇街/园区",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    site_needs = models.CharField("选址要求", max_length=300, blank=True)
    coordination = models.TextField("需政府协调事项", blank=True)
    source = models.CharField("来源渠道", max_length=16, choices=Source.choices)
    source_unit = models.ForeignKey(
        "accounts.OrgUnit", verbose_name="来源单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source_detail = models.CharField("来源说明", max_length=200, blank=True, help_text="如中介机构名称、引荐企业")
    contact_name = models.CharField("联系人", max_length=50, blank=True)
    contact_title = models.CharField("联系人职务", max_length=60, blank=True)
    contact_phone_cipher = models.CharField("联系电话（加密）", max_length=200, blank=True, editable=False)
    contact_phone_masked = models.CharField("联系电话", max_length=30, blank=True, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="跟进人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    in_pool = models.BooleanField("待分派池", default=False, db_index=True)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.NEW, db_index=True)
    grade = models.CharField("等级", max_length=1, choices=Grade.choices, default=Grade.B)
    description = models.TextField("线索描述", blank=True)
    registered_on = models.DateField("登记日期")
    responded_on = models.DateField("首次响应", null=True, blank=True, editable=False)
    assessed_on = models.DateField("研判日期", null=True, blank=True, editable=False)
    last_report_on = models.DateField("最近进展", null=True, blank=True, editable=False)
    next_followup_on = models.DateField("下次跟进", null=True, blank=True)
    protected_until = models.DateField("首谈保护至", null=True, blank=True, editable=False)
    closed_reason = models.CharField("搁置/合并原因", max_length=200, blank=True, editable=False)
    overdue_notified_on = models.DateField("逾期已提醒日期", null=True, blank=True, editable=False)
    project = models.OneToOneField(
        "projects.Project",
        verbose_name="已转项目",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lead",
        editable=False,
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name="已合并至",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )

    changelog_exclude = ("updated_at", "updated_by", "normalized_name")

    class Meta:
        verbose_name = "线索"
        verbose_name_plural = "线索"
        indexes = [models.Index(fields=["region", "status"]), models.Index(fields=["region", "normalized_name"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("leads:lead_detail", args=[self.pk])

    @property
    def is_protected(self) -> bool:
        """首谈保护 applies while the lead is open and within its period."""
        return bool(
            self.protected_until and self.status in self.OPEN_STATUSES and self.protected_until >= timezone.localdate()
        )

    @property
    def investor_label(self) -> str:
        return self.enterprise.name if self.enterprise_id else self.enterprise_name

    def set_phone(self, phone: str) -> None:
        phone = (phone or "").strip()
        self.contact_phone_cipher = sm4_encrypt(phone) if phone else ""
        self.contact_phone_masked = mask_phone(phone)

    def reveal_phone(self) -> str:
        return sm4_decrypt(self.contact_phone_cipher) if self.contact_phone_cipher else ""


class LeadFollowUp(models.Model):
    Kind = FollowUp.Kind  # the same ways of following up as on a project

    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="followups")
    kind = models.CharField("方式", max_length=12, choices=Kind.choices)
    date = models.DateField("日期")
    our_side = models.CharField("我方人员", max_length=200, blank=True)
    their_side = models.CharField("对方人员", max_length=200, blank=True)
    summary = models.TextField("内容")
    outcome = models.CharField("结果", max_length=200, blank=True)
    next_step = models.CharField("下一步", max_length=200, blank=True)
    next_date = models.DateField("下次跟进日期", null=True, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "线索跟进"
        verbose_name_plural = "线索跟进"
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return self.summary[:30]


class LeadEvent(models.Model):
    class Kind(models.TextChoices):
        REGISTERED = "registered", "登记"
        ASSIGNED = "assigned", "分派"
        CLAIMED = "claimed", "认领"
        FOLLOWUP = "followup", "跟进"
        ASSESSED = "assessed", "研判"
        CONVERTED = "converted", "转为项目"
        SHELVED = "shelved", "搁置"
        MERGED = "merged", "合并"
        OVERDUE = "overdue", "超时提醒"

    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField("事件", max_length=12, choices=Kind.choices)
    text = models.CharField("内容", max_length=300)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    occurred_on = models.DateField("日期")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_on", "-id"]

    def __str__(self) -> str:
        return self.text


class AssignmentRule(models.Model):
    """When a pooled lead matches (every condition given), it goes to ``assign_unit``."""

    region = models.ForeignKey("accounts.OrgUnit", on_delete=models.CASCADE, related_name="+")
    order = models.PositiveIntegerField("优先顺序", default=0)
    source_unit = models.ForeignKey(
        "accounts.OrgUnit", verbose_name="来源单位为", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    industry_prefix = models.CharField("行业代码开头为", max_length=4, blank=True)
    chain = models.CharField("产业链为", max_length=40, blank=True)
    preferred_town = models.ForeignKey(
        "accounts.OrgUnit", verbose_name="意向镇街为", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    assign_unit = models.ForeignKey(
        "accounts.OrgUnit", verbose_name="分派给", on_delete=models.CASCADE, related_name="+"
    )
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "分派规则"
        verbose_name_plural = "分派规则"
        ordering = ["region", "order", "id"]

    def __str__(self) -> str:
        return f"→ {self.assign_unit}"

    def matches(self, lead: Lead) -> bool:
        """Every condition the rule sets must hold; an empty condition matches anything."""
        conditions = [
            not self.source_unit_id or lead.source_unit_id == self.source_unit_id,
            not self.industry_prefix or bool(lead.industry_id and lead.industry.code.startswith(self.industry_prefix)),
            not self.chain or lead.chain == self.chain,
            not self.preferred_town_id or lead.preferred_town_id == self.preferred_town_id,
        ]
        return all(conditions)
