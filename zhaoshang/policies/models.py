"""政策库: policies, their clauses (with published versions), the variable catalogue, saved calculations
(政策测算), the terms agreed in signed projects (协议约定的政策) and their 兑现 items."""

from django.conf import settings
from django.db import models
from django.urls import reverse

from zhaoshang.core.models import BusinessModel
from zhaoshang.core.models.fields import amount_field

from .engine.catalogue import KINDS


class Policy(BusinessModel):
    class Level(models.TextChoices):
        NATIONAL = "national", "国家"
        PROVINCE = "province", "省"
        CITY = "city", "市"
        COUNTY = "county", "县（市、区）"

    class Status(models.TextChoices):
        DRAFT = "draft", "草案"
        CURRENT = "current", "现行"
        REPEALED = "repealed", "已废止"

    number = models.CharField("文号", max_length=60, blank=True)
    title = models.CharField("标题", max_length=200)
    issuer = models.CharField("发文机关", max_length=100, blank=True)
    level = models.CharField("层级", max_length=10, choices=Level.choices, default=Level.COUNTY)
    effective_from = models.DateField("施行日期", null=True, blank=True)
    effective_to = models.DateField("有效期至", null=True, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    summary = models.TextField("摘要", blank=True)
    department = models.ForeignKey(
        "accounts.OrgUnit", verbose_name="责任部门", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    replaces = models.ManyToManyField(
        "self", verbose_name="替代的政策", symmetrical=False, blank=True, related_name="replaced_by"
    )
    attachment = models.FileField("全文附件", upload_to="policies/%Y/", blank=True, editable=False)
    attachment_name = models.CharField("附件文件名", max_length=200, blank=True, editable=False)
    attachment_kind = models.CharField("附件类型", max_length=10, blank=True, editable=False)

    changelog_exclude = ("updated_at", "updated_by", "attachment")  # the file's name and kind are logged

    class Meta:
        verbose_name = "政策"
        verbose_name_plural = "政策"
        indexes = [models.Index(fields=["region", "status"])]

    def __str__(self) -> str:
        return f"{self.title}（{self.number}）" if self.number else self.title

    def get_absolute_url(self) -> str:
        return reverse("policies:policy_detail", args=[self.pk])


class Clause(BusinessModel):
    """A clause's working copy. Publishing it (its worked examples must pass) freezes the content as a
    ``ClauseVersion``; a later edit of a published clause publishes the next version at once (again only when
    the examples pass), closing the previous one the day before."""

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        PUBLISHED = "published", "已发布"
        WITHDRAWN = "withdrawn", "已停用"

    class Timing(models.TextChoices):
        SIGNING = "signing", "签约后"
        PRODUCTION = "production", "投产后"
        FULL_PRODUCTION = "full_production", "达产后"
        YEARLY = "yearly", "分年度"

    policy = models.ForeignKey(Policy, verbose_name="所属政策", on_delete=models.PROTECT, related_name="clauses")
    article = models.CharField("条款号", max_length=30)
    title = models.CharField("条款名称", max_length=100)
    text = models.TextField("条款原文", blank=True)
    condition = models.JSONField("适用条件（JSON Logic）", default=dict, blank=True)
    formula = models.CharField("奖励公式（万元）", max_length=500)
    minimum = amount_field("保底（万元）")
    cap = amount_field("封顶（万元）")
    yearly_cap = amount_field("每户每年上限（万元）")
    exclusivity_group = models.CharField("互斥组（就高不叠加）", max_length=50, blank=True)
    materials = models.TextField("申报材料", blank=True)
    paying_department = models.ForeignKey(
        "accounts.OrgUnit", verbose_name="兑现部门", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    timing = models.CharField("兑现时点", max_length=16, choices=Timing.choices, default=Timing.SIGNING)
    installments = models.PositiveSmallIntegerField("分几年兑现", default=1)
    examples = models.JSONField("测算示例", default=list, blank=True)
    examples_ok = models.BooleanField("示例全部通过", default=False, editable=False)
    examples_report = models.JSONField("示例运行结果", default=list, blank=True, editable=False)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    current_version = models.ForeignKey(
        "ClauseVersion",
        verbose_name="现行版本",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    changelog_exclude = ("updated_at", "updated_by", "examples_report")

    class Meta:
        verbose_name = "政策条款"
        verbose_name_plural = "政策条款"
        indexes = [models.Index(fields=["region", "status"])]

    def __str__(self) -> str:
        return f"{self.article} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("policies:clause_detail", args=[self.pk])


class ClauseVersion(models.Model):
    """A published clause as it stood: what calculations record, so an old calculation can be re-shown."""

    clause = models.ForeignKey(Clause, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField("版本号")
    content = models.JSONField("内容")
    effective_from = models.DateField("生效日期")
    effective_to = models.DateField("失效日期", null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "条款版本"
        verbose_name_plural = "条款版本"
        constraints = [models.UniqueConstraint(fields=["clause", "number"], name="policies_clause_version_unique")]

    def __str__(self) -> str:
        return f"{self.clause} 第 {self.number} 版"


class Variable(models.Model):
    """A county's variable catalogue entry (configuration: the center edits it)."""

    region = models.ForeignKey("accounts.OrgUnit", verbose_name="所属地区", on_delete=models.CASCADE, related_name="+")
    code = models.SlugField("变量名", max_length=40)
    name = models.CharField("名称", max_length=40)
    kind = models.CharField("类型", max_length=12, choices=KINDS)
    unit = models.CharField("单位", max_length=20, blank=True)
    choices = models.JSONField("选项", default=list, blank=True, help_text="[[值, 名称], …]，仅选项类型")
    source = models.CharField("取值来源", max_length=60, blank=True, help_text="从项目取值时读取的字段")
    order = models.PositiveSmallIntegerField("顺序", default=0)
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "政策变量"
        verbose_name_plural = "政策变量"
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["region", "code"], name="policies_variable_unique")]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"


class Calculation(BusinessModel):
    """A saved 政策测算 of a project: the inputs, the result as shown, and the clause versions used."""

    project = models.ForeignKey(
        "projects.Project", verbose_name="项目", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField("名称", max_length=200)
    inputs = models.JSONField("输入", default=dict)
    result = models.JSONField("结果", default=dict, editable=False)
    total = amount_field("合计（万元）")
    versions = models.ManyToManyField(ClauseVersion, verbose_name="所用条款版本", blank=True, related_name="+")
    note = models.TextField("备注", blank=True)

    changelog_exclude = ("updated_at", "updated_by", "result")

    class Meta:
        verbose_name = "政策测算"
        verbose_name_plural = "政策测算"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("policies:calculation_detail", args=[self.pk])


class Commitment(BusinessModel):
    """A policy term agreed in a signed project (协议约定的政策): a clause, an amount, the condition on the
    project's actual figures and the date it is checked. ``org_unit`` is the project's unit."""

    class Status(models.TextChoices):
        PENDING = "pending", "待到期"
        DUE = "due", "已到期待兑现"
        MET = "met", "已达标"
        UNMET = "unmet", "未达标（追回）"

    project = models.ForeignKey("projects.Project", verbose_name="项目", on_delete=models.PROTECT, related_name="+")
    clause = models.ForeignKey(Clause, verbose_name="条款", on_delete=models.PROTECT, related_name="commitments")
    clause_version = models.ForeignKey(
        ClauseVersion, verbose_name="条款版本", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    amount = amount_field("约定金额（万元）")
    condition = models.JSONField("兑现条件（JSON Logic）", default=dict, blank=True)
    condition_text = models.CharField("兑现条件说明", max_length=200, blank=True)
    due_stage = models.CharField("到期阶段", max_length=20, blank=True, help_text="如 signing、full_production")
    due_on = models.DateField("到期日期", null=True, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    checked_on = models.DateField("核查日期", null=True, blank=True, editable=False)
    check_result = models.JSONField("核查结果", default=list, blank=True, editable=False)

    class Meta:
        verbose_name = "约定政策"
        verbose_name_plural = "约定政策"

    def __str__(self) -> str:
        return f"{self.clause}（{self.amount} 万元）"


class Fulfilment(BusinessModel):
    """A 兑现 item (or a 追回 item) for the paying department: ``org_unit`` is that department, so its
    officers see and handle it; the project's unit sees it through the commitment."""

    class Kind(models.TextChoices):
        PAYOUT = "payout", "兑现"
        CLAWBACK = "clawback", "追回"

    class Status(models.TextChoices):
        OPEN = "open", "待申请"
        APPLIED = "applied", "已申请"
        REVIEWED = "reviewed", "已审核"
        PAID = "paid", "已拨付"
        REFUSED = "refused", "不予兑现"
        RECOVERED = "recovered", "已追回"

    commitment = models.ForeignKey(
        Commitment, verbose_name="约定政策", on_delete=models.PROTECT, related_name="fulfilments"
    )
    kind = models.CharField("类型", max_length=10, choices=Kind.choices, default=Kind.PAYOUT)
    title = models.CharField("事项", max_length=200)
    amount = amount_field("金额（万元）")
    year = models.PositiveSmallIntegerField("年度")
    opened_on = models.DateField("开始日期")
    due_on = models.DateField("办理期限")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
    applied_on = models.DateField("申请日期", null=True, blank=True)
    reviewed_on = models.DateField("审核日期", null=True, blank=True)
    paid_on = models.DateField("拨付日期", null=True, blank=True)
    reason = models.TextField("说明/理由", blank=True)

    class Meta:
        verbose_name = "兑现事项"
        verbose_name_plural = "兑现事项"
        indexes = [models.Index(fields=["org_unit", "status", "due_on"])]

    def __str__(self) -> str:
        return self.title


class PushRun(models.Model):
    """精准推送: one background run per published clause version — the enterprises and live projects the version
    newly applies to, with the progress shown while it runs."""

    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "进行中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    region = models.ForeignKey("accounts.OrgUnit", on_delete=models.CASCADE, related_name="+")
    clause_version = models.OneToOneField(ClauseVersion, on_delete=models.CASCADE, related_name="push")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField("待检查", default=0)
    done = models.PositiveIntegerField("已检查", default=0)
    enterprises = models.JSONField("适用企业", default=list)
    projects = models.JSONField("适用项目", default=list)
    notified = models.PositiveIntegerField("已通知单位数", default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = "精准推送"
        verbose_name_plural = "精准推送"

    def __str__(self) -> str:
        return f"精准推送 {self.clause_version_id}"

    @property
    def percent(self) -> int:
        return 100 if self.status == self.Status.DONE else int(self.done * 100 / self.total) if self.total else 0
