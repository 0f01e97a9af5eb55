"""招商网络: resident offices (targets, activities, assessment), intermediaries and their agreements and rewards,
以商引商 referrers, sister cities and events — and, for every lead they produce, its source record.

A lead's source record lives here (``LeadSource``), not on the lead: see docs/decisions.md (招商网络)."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse

from zhaoshang.core.crypto import sm4_decrypt, sm4_encrypt
from zhaoshang.core.models import BusinessModel, Industry
from zhaoshang.core.models.fields import amount_field
from zhaoshang.core.text import mask_phone


class OfficeProfile(BusinessModel):
    """A resident office (驻外招商引智办事处): ``org_unit`` is the office's own unit (kind office). The center (a
    统筹单位) keeps the offices' profiles, so its officers may change them (``coordinated_changes``)."""

    coordinated_changes = True

    name = models.CharField("办事处", max_length=60)
    city = models.CharField("驻在城市", max_length=40)
    coverage = models.CharField("联络范围", max_length=200, blank=True, help_text="如 上海、江苏")
    staff = models.CharField("工作人员", max_length=200, blank=True)
    address = models.CharField("办公地址", max_length=200, blank=True)
    note = models.TextField("备注", blank=True)

    class Meta:
        verbose_name = "驻外办事处"
        verbose_name_plural = "驻外办事处"
        constraints = [
            models.UniqueConstraint(
                fields=["org_unit"], condition=models.Q(deleted_at__isnull=True), name="network_one_profile_per_unit"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("network:officeprofile_detail", args=[self.pk])


class OfficeTarget(models.Model):
    """An office's annual targets, set by the center."""

    office = models.ForeignKey(OfficeProfile, on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveIntegerField("年度")
    new_leads = models.PositiveIntegerField("新增线索", default=0)
    valid_visits = models.PositiveIntegerField("有效客商拜访", default=0)
    negotiating = models.PositiveIntegerField("在谈项目", default=0)
    signed = models.PositiveIntegerField("签约项目", default=0)
    landed = models.PositiveIntegerField("开工项目", default=0)
    fdi_usd = amount_field("到资（万美元）")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "办事处年度目标"
        constraints = [models.UniqueConstraint(fields=["office", "year"], name="network_one_target_per_year")]

    def __str__(self) -> str:
        return f"{self.office} {self.year}年目标"


class Metric(models.TextChoices):
    """What an assessment indicator counts (each from the platform's own records)."""

    LEADS = "leads", "新增线索"
    QUALITY_LEADS = "quality_leads", "有效线索（已研判或已转项目）"
    VISITS = "visits", "有效客商拜访"
    NEGOTIATING = "negotiating", "在谈项目（线索转项目）"
    SIGNED = "signed", "签约项目（本办为引进单位）"
    LANDED = "landed", "开工项目（本办为引进单位）"
    FDI = "fdi", "实际到资（万美元）"


class AssessmentIndicator(models.Model):
    """One indicator of a county's 考核办法 for the offices: what it counts and its weight (points)."""

    region = models.ForeignKey("accounts.OrgUnit", on_delete=models.CASCADE, related_name="+")
    metric = models.CharField("指标", max_length=20, choices=Metric.choices)
    weight = models.DecimalField("分值", max_digits=5, decimal_places=1)
    order = models.PositiveIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "考核指标"
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["region", "metric"], name="network_one_indicator_per_metric")]

    def __str__(self) -> str:
        return f"{self.get_metric_display()}（{self.weight}分）"


class Activity(BusinessModel):
    """An office's visit, reception or promotion; ``lead`` is the lead it created or updated."""

    class Kind(models.TextChoices):
        VISIT = "visit", "拜访企业"
        RECEPTION = "reception", "接待来访"
        PROMOTION = "promotion", "推介活动"

    kind = models.CharField("类型", max_length=12, choices=Kind.choices, default=Kind.VISIT)
    date = models.DateField("日期")
    topic = models.CharField("主题", max_length=200)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name="企业（企业库）", null=True, blank=True, on_delete=models.PROTECT
    )
    enterprise_name = models.CharField("企业名称", max_length=200, blank=True)
    people_met = models.CharField("会见人员", max_length=200, blank=True)
    content = models.TextField("交流内容", blank=True)
    next_step = models.CharField("下一步", max_length=200, blank=True)
    lead = models.ForeignKey(
        "leads.Lead", verbose_name="线索", null=True, blank=True, on_delete=models.SET_NULL, editable=False
    )

    class Meta:
        verbose_name = "办事处活动"
        verbose_name_plural = "办事处活动"
        indexes = [models.Index(fields=["org_unit", "kind", "date"])]

    def __str__(self) -> str:
        return self.topic

    def get_absolute_url(self) -> str:
        return reverse("network:activity_detail", args=[self.pk])


class ActivityAttachment(models.Model):
    """A document or photo attached to an activity (the visit's minutes, a signed memorandum, the event's
    photos): checked by content on upload (``imports.attachments.accept_attachment``), stored under a random
    name with the upload file modes, sent only to those who may view the activity."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField("文件", upload_to="network/activities/%Y/%m/")
    name = models.CharField("文件名", max_length=200)
    kind = models.CharField("类型", max_length=10)
    size = models.PositiveIntegerField("大小（字节）")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "活动附件"
        verbose_name_plural = "活动附件"
        ordering = ["activity", "id"]

    def __str__(self) -> str:
        return self.name


class Intermediary(BusinessModel):
    """An intermediary (international consultancy, agency, association, chamber, adviser)."""

    class Kind(models.TextChoices):
        CONSULTANCY = "consultancy", "国际咨询/地产顾问"
        AGENCY = "agency", "招商代理机构"
        ASSOCIATION = "association", "行业协会"
        CHAMBER = "chamber", "商会"
        ADVISER = "adviser", "招商顾问"

    class Status(models.TextChoices):
        ACTIVE = "active", "合作中"
        PAUSED = "paused", "暂停"
        ENDED = "ended", "已终止"

    name = models.CharField("名称", max_length=200)
    kind = models.CharField("类型", max_length=12, choices=Kind.choices)
    country = models.CharField("国别（地区）", max_length=40, blank=True)
    profile = models.TextField("简介", blank=True)
    contact_name = models.CharField("联系人", max_length=50, blank=True)
    contact_phone_cipher = models.CharField("联系电话（加密）", max_length=200, blank=True, editable=False)
    contact_phone_masked = models.CharField("联系电话", max_length=30, blank=True, editable=False)
    status = models.CharField("状态", max_length=8, choices=Status.choices, default=Status.ACTIVE)

    class Meta:
        verbose_name = "中介机构"
        verbose_name_plural = "中介机构"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("network:intermediary_detail", args=[self.pk])

    def set_phone(self, phone: str) -> None:
        phone = (phone or "").strip()
        self.contact_phone_cipher = sm4_encrypt(phone) if phone else ""
        self.contact_phone_masked = mask_phone(phone)

    def reveal_phone(self) -> str:
        return sm4_decrypt(self.contact_phone_cipher) if self.contact_phone_cipher else ""


class Agreement(BusinessModel):
    """A 委托招商协议 with an intermediary: scope, term, reward rule and its condition."""

    class RewardKind(models.TextChoices):
        FIXED = "fixed", "每个签约项目固定金额"
        SHARE = "share", "按实际投资比例"
        TIERS = "tiers", "按实际到资分档"

    class Condition(models.TextChoices):
        SIGNED = "signed", "项目签约"
        FDI_ARRIVED = "fdi_arrived", "外资到位"
        STARTED = "started", "项目开工"

    class Status(models.TextChoices):
        ACTIVE = "active", "执行中"
        EXPIRED = "expired", "已到期"
        TERMINATED = "terminated", "已终止"

    intermediary = models.ForeignKey(Intermediary, verbose_name="中介机构", on_delete=models.PROTECT)
    name = models.CharField("协议名称", max_length=200)
    scope_chains = models.CharField("委托产业链", max_length=200, blank=True, help_text="多个用顿号分隔")
    scope_countries = models.CharField("委托国别（地区）", max_length=200, blank=True, help_text="多个用顿号分隔")
    starts_on = models.DateField("生效日期")
    ends_on = models.DateField("到期日期")
    reward_kind = models.CharField("奖励方式", max_length=8, choices=RewardKind.choices)
    fixed_amount = amount_field("每个项目奖励（万元）")
    share_percent = models.DecimalField(
        "奖励比例（%）", max_digits=6, decimal_places=3, null=True, blank=True, help_text="占实际投资（万元）的百分比"
    )
    tiers = models.JSONField(
        "分档奖励", default=list, blank=True, help_text="[[到资下限（万美元）, 奖励（万元）], …]，从低到高"
    )
    condition = models.CharField("奖励条件", max_length=12, choices=Condition.choices, default=Condition.SIGNED)
    within_months = models.PositiveIntegerField("条件期限（月）", null=True, blank=True, help_text="自线索登记起")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.ACTIVE)

    class Meta:
        verbose_name = "委托招商协议"
        verbose_name_plural = "委托招商协议"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("network:agreement_detail", args=[self.pk])


class SisterCity(BusinessModel):
    """A sister or friendship city and the state of its relationship and contact channel."""

    class Relation(models.TextChoices):
        SISTER = "sister", "友好城市"
        FRIENDSHIP = "friendship", "友好交流城市"

    name = models.CharField("城市", max_length=100)
    country = models.CharField("国家", max_length=40)
    relation = models.CharField("关系", max_length=12, choices=Relation.choices, default=Relation.SISTER)
    established_on = models.DateField("缔结日期", null=True, blank=True)
    relationship_status = models.CharField("关系状态", max_length=200, blank=True)
    channel_status = models.CharField("对接渠道状态", max_length=300, blank=True)
    partner_department = models.CharField("对接部门", max_length=100, blank=True, help_text="如 外事办、商务局")
    industries = models.ManyToManyField(Industry, verbose_name="主导产业（行业）", blank=True, related_name="+")
    industry_note = models.CharField("主导产业", max_length=300, blank=True)

    class Meta:
        verbose_name = "友好城市"
        verbose_name_plural = "友好城市"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("network:sistercity_detail", args=[self.pk])


class Event(BusinessModel):
    """A promotion event: 推介会, 展会, 出访, 接待来访, 云招商."""

    class Kind(models.TextChoices):
        PROMOTION = "promotion", "推介会"
        FAIR = "fair", "展会"
        MISSION = "mission", "出访"
        RECEPTION = "reception", "接待来访"
        ONLINE = "online", "云招商"

    name = models.CharField("活动名称", max_length=200)
    kind = models.CharField("类型", max_length=12, choices=Kind.choices)
    organiser = models.CharField("主办单位", max_length=200, blank=True)
    date = models.DateField("日期")
    place = models.CharField("地点", max_length=200, blank=True)
    cost = amount_field("费用（万元）")
    sister_city = models.ForeignKey(
        SisterCity, verbose_name="友好城市", null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    note = models.TextField("备注", blank=True)

    class Meta:
        verbose_name = "招商活动"
        verbose_name_plural = "招商活动"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("network:event_detail", args=[self.pk])


class EventParticipant(models.Model):
    """An enterprise (and person) at an event; ``signed_in`` from the sign-in sheet."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="participants")
    enterprise_name = models.CharField("企业", max_length=200)
    person = models.CharField("姓名", max_length=50, blank=True)
    title = models.CharField("职务", max_length=60, blank=True)
    signed_in = models.BooleanField("已签到", default=True)

    class Meta:
        verbose_name = "活动参会企业"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.enterprise_name


class LeadSource(models.Model):
    """The record a lead came from (its channel stays ``Lead.source``): an office, an intermediary under an
    agreement, a referrer enterprise (以商引商), a sister city or an event."""

    class Kind(models.TextChoices):
        OFFICE = "office", "驻外办事处"
        INTERMEDIARY = "intermediary", "中介机构"
        REFERRER = "referrer", "以商引商"
        SISTER_CITY = "sister_city", "友好城市"
        EVENT = "event", "招商活动"

    lead = models.OneToOneField("leads.Lead", on_delete=models.CASCADE, related_name="network_source")
    kind = models.CharField("来源类型", max_length=12, choices=Kind.choices)
    office = models.ForeignKey(OfficeProfile, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    activity = models.ForeignKey(Activity, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    intermediary = models.ForeignKey(Intermediary, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    agreement = models.ForeignKey(Agreement, null=True, blank=True, on_delete=models.PROTECT, related_name="referrals")
    referrer = models.ForeignKey(
        "enterprises.Enterprise", verbose_name="引荐企业", null=True, blank=True, on_delete=models.PROTECT
    )
    sister_city = models.ForeignKey(SisterCity, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    event = models.ForeignKey(Event, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "线索来源"
        indexes = [models.Index(fields=["kind"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.record}"

    @property
    def record(self):
        return {
            self.Kind.OFFICE: self.office,
            self.Kind.INTERMEDIARY: self.intermediary,
            self.Kind.REFERRER: self.referrer,
            self.Kind.SISTER_CITY: self.sister_city,
            self.Kind.EVENT: self.event,
        }[self.kind]

    @property
    def record_id(self) -> int | None:
        return getattr(self, f"{'referrer' if self.kind == self.Kind.REFERRER else self.kind}_id")


class Reward(models.Model):
    """A reward item for a referral under an agreement, once its project met the condition."""

    class Status(models.TextChoices):
        DUE = "due", "待审批"
        APPROVED = "approved", "已审批"
        PAID = "paid", "已支付"
        REJECTED = "rejected", "不予奖励"

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="rewards")
    lead = models.ForeignKey("leads.Lead", on_delete=models.PROTECT, related_name="+")
    project = models.ForeignKey("projects.Project", null=True, on_delete=models.PROTECT, related_name="+")
    condition_met_on = models.DateField("条件达成日期")
    basis = models.CharField("计算依据", max_length=300)
    amount = models.DecimalField("奖励金额（万元）", max_digits=14, decimal_places=2, default=Decimal(0))
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DUE)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_on = models.DateField("审批日期", null=True, blank=True)
    paid_on = models.DateField("支付日期", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "奖励"
        constraints = [models.UniqueConstraint(fields=["agreement", "lead"], name="network_one_reward_per_referral")]

    def __str__(self) -> str:
        return f"{self.agreement} 奖励 {self.amount} 万元"


class LeadProgress(models.Model):
    """The funnel's roll-up: one row per live, unmerged lead — its grouping keys, the furthest funnel step it
    reached, and per step the days from the latest earlier step (``funnel.lead_steps`` computed once, at write
    time). Kept by ``services.progress`` from the saves of the records it reads (leads, projects, FDI records,
    source links); ``zhaoshang network-progress --rebuild`` recomputes it. Amounts are integer cents (exact sums).
    """

    # DO_NOTHING: a lead's hard delete is seen by the receivers, which take its row out of its group too.
    lead = models.OneToOneField(
        "leads.Lead", primary_key=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    region = models.ForeignKey("accounts.OrgUnit", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    org_unit = models.ForeignKey("accounts.OrgUnit", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    registered_on = models.DateField()
    channel = models.CharField(max_length=20)
    chain = models.CharField(max_length=100, blank=True)
    source_unit_id = models.IntegerField(null=True)
    source_kind = models.CharField(max_length=12, blank=True)
    source_id = models.IntegerField(null=True)
    quality = models.BooleanField(help_text="assessed_on set or converted: the assessment's 有效线索")
    has_project = models.BooleanField()
    reached = models.PositiveSmallIntegerField(help_text="index of the furthest funnel step reached")
    valid_days = models.IntegerField(null=True)
    negotiating_days = models.IntegerField(null=True)
    signed_days = models.IntegerField(null=True)
    registered_days = models.IntegerField(null=True)
    started_days = models.IntegerField(null=True)
    arrived_days = models.IntegerField(null=True)
    investment_cents = models.BigIntegerField(help_text="the project's total investment once signed, 0.01 万元")
    fdi_cents = models.BigIntegerField(help_text="the project's 实际使用外资, 0.01 万美元")

    class Meta:
        indexes = [models.Index(fields=["region", "registered_on"], name="lead_progress_period")]

    def __str__(self) -> str:
        return f"lead {self.lead_id}: step {self.reached}"


class LeadProgressGroup(models.Model):
    """``LeadProgress`` summed per funnel group and month of registration (what the funnel filters and groups
    by), so that the funnel reads a few hundred rows whatever the number of leads: ``reached`` the number of
    leads whose furthest step is each step, ``days`` per step a histogram ``{days: leads}`` (the sorted column
    the medians are read from). Kept with ``LeadProgress`` by ``services.progress`` (old row out, new row in)."""

    region = models.ForeignKey("accounts.OrgUnit", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    org_unit = models.ForeignKey("accounts.OrgUnit", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    month = models.DateField(help_text="the first day of the month of registration")
    channel = models.CharField(max_length=20)
    chain = models.CharField(max_length=100, blank=True)
    source_unit_id = models.IntegerField(null=True)
    source_kind = models.CharField(max_length=12, blank=True)
    source_id = models.IntegerField(null=True)
    quality = models.BooleanField()
    has_project = models.BooleanField()
    reached = models.JSONField(help_text="leads per furthest step reached")
    days = models.JSONField(help_text="per step after the first: {days: leads}")
    investment_cents = models.BigIntegerField()
    fdi_cents = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["region", "month"], name="lead_progress_group_period")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.channel} {self.source_kind}{self.source_id or ''}"
