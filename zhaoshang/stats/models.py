"""经济运行分析: FDI records (商务部口径), annual targets, and generated reports."""

from decimal import Decimal

from django.conf import settings
from django.db import models

from zhaoshang.core import parsers
from zhaoshang.core.models import BusinessModel


class FDIRecord(BusinessModel):
    """One amount of foreign investment in 万美元. ``org_unit`` is the unit it is counted for.

    ``signed_amount`` is what the statistics add up: a 减资 counts negative in 合同外资."""

    coordinated_changes = True  # a 统筹单位 records the county's statistics for every unit (core.scope)

    class Kind(models.TextChoices):
        ACTUAL = "actual", "实际使用外资"
        CONTRACT = "contract", "合同外资"

    class Form(models.TextChoices):
        NEW = "new", "新设"
        INCREASE = "increase", "增资"
        REINVEST = "reinvest", "利润再投资"
        MERGER = "merger", "并购"
        DECREASE = "decrease", "减资"

    date = models.DateField("日期", db_index=True)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name="外资企业", on_delete=models.PROTECT, related_name="fdi_records"
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name="项目",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="fdi_records",
    )
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    form = models.CharField("方式", max_length=10, choices=Form.choices)
    amount = models.DecimalField(
        "金额（万美元）", max_digits=14, decimal_places=2, validators=[parsers.validate_positive]
    )
    signed_amount = models.DecimalField("计入金额（万美元）", max_digits=14, decimal_places=2, editable=False)
    rmb_amount = models.DecimalField(
        "人民币金额（万元）",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[parsers.validate_positive],
    )
    rate = models.DecimalField(
        "折算汇率（元/美元）",
        max_digits=8,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[parsers.validate_positive],
    )
    country = models.CharField("来源国家/地区", max_length=40, blank=True)

    class Meta:
        verbose_name = "外资记录"
        verbose_name_plural = "外资记录"
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["region", "kind", "date"]), models.Index(fields=["org_unit", "kind", "date"])]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()} {self.amount} 万美元"

    def save(self, *args, **kwargs):
        if self.rmb_amount is not None and self.rate and not self.amount:
            self.amount = (self.rmb_amount / self.rate).quantize(Decimal("0.01"))
        negative = self.kind == self.Kind.CONTRACT and self.form == self.Form.DECREASE
        self.signed_amount = -abs(self.amount) if negative else abs(self.amount)
        super().save(*args, **kwargs)


class FDIMonthTotal(models.Model):
    """Roll-up of the live FDI records by unit, kind, month, source and form (see ``stats/rollup.py``).

    Written only by database triggers on ``stats_fdirecord``; never edit it from code."""

    region = models.ForeignKey("accounts.OrgUnit", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    org_unit = models.ForeignKey("accounts.OrgUnit", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    kind = models.CharField(max_length=10, choices=FDIRecord.Kind.choices)
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    country = models.CharField(max_length=40, blank=True)
    form = models.CharField(max_length=10, choices=FDIRecord.Form.choices)
    total_cents = models.BigIntegerField(help_text="signed_amount 之和，以 0.01 万美元计")
    records = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["org_unit", "kind", "year", "month", "country", "form"], name="fdi_month_total_key"
            )
        ]
        indexes = [models.Index(fields=["region", "year", "month"], name="fdi_month_total_region")]

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d} {self.kind} {self.form} {self.country} {self.total_cents / 100:.2f}"


class FDISubjectTotal(models.Model):
    """Roll-up of the live 实际使用外资 records by unit, year and subject: the project, or the enterprise
    (``project_id`` 0) when no project is linked, with each month's cents in ``m01``…``m12``. Written only
    by the triggers."""

    region = models.ForeignKey("accounts.OrgUnit", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    org_unit = models.ForeignKey("accounts.OrgUnit", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    year = models.PositiveSmallIntegerField()
    project_id = models.IntegerField(help_text="0：未关联项目")
    enterprise_id = models.IntegerField(help_text="0：已关联项目")
    m01 = models.BigIntegerField(default=0)
    m02 = models.BigIntegerField(default=0)
    m03 = models.BigIntegerField(default=0)
    m04 = models.BigIntegerField(default=0)
    m05 = models.BigIntegerField(default=0)
    m06 = models.BigIntegerField(default=0)
    m07 = models.BigIntegerField(default=0)
    m08 = models.BigIntegerField(default=0)
    m09 = models.BigIntegerField(default=0)
    m10 = models.BigIntegerField(default=0)
    m11 = models.BigIntegerField(default=0)
    m12 = models.BigIntegerField(default=0)
    records = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["org_unit", "year", "project_id", "enterprise_id"], name="fdi_subject_total_key"
            )
        ]
        indexes = [models.Index(fields=["region", "year"], name="fdi_subject_total_region")]

    def __str__(self) -> str:
        subject = f"项目 {self.project_id}" if self.project_id else f"企业 {self.enterprise_id}"
        return f"{self.year} {subject}"


class Target(models.Model):
    class Metric(models.TextChoices):
        ACTUAL = "actual", "实际使用外资（万美元）"
        CONTRACT = "contract", "合同外资（万美元）"
        BIG_PROJECTS = "big_projects", "签约亿元以上项目（个）"
        SIGNED_INVESTMENT = "signed_investment", "签约项目总投资（万元）"

    region = models.ForeignKey("accounts.OrgUnit", on_delete=models.PROTECT, related_name="+", editable=False)
    org_unit = models.ForeignKey("accounts.OrgUnit", verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField("年度")
    metric = models.CharField("指标", max_length=20, choices=Metric.choices)
    value = models.DecimalField("目标值", max_digits=14, decimal_places=2, validators=[parsers.validate_not_negative])

    class Meta:
        verbose_name = "年度目标"
        verbose_name_plural = "年度目标"
        ordering = ["-year", "org_unit", "metric"]
        constraints = [models.UniqueConstraint(fields=["org_unit", "year", "metric"], name="target_unique")]

    def __str__(self) -> str:
        return f"{self.year} {self.org_unit} {self.get_metric_display()} {self.value}"


class ReportJob(models.Model):
    class Kind(models.TextChoices):
        BRIEFING = "briefing", "招商引资工作简报（Word）"
        FDI_LEDGER = "fdi_ledger", "外资台账（Excel）"
        PROJECT_LEDGER = "project_ledger", "项目台账（Excel）"
        LEAD_LEDGER = "lead_ledger", "线索台账（Excel）"

    class Status(models.TextChoices):
        PENDING = "pending", "排队中"
        RUNNING = "running", "生成中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    kind = models.CharField("报表", max_length=20, choices=Kind.choices)
    year = models.PositiveIntegerField("年度")
    month = models.PositiveSmallIntegerField("月份")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField("进度", default=0)
    file = models.FileField("文件", upload_to="reports/%Y/%m/", blank=True)
    message = models.CharField("说明", max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "报表任务"
        verbose_name_plural = "报表任务"
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.year}-{self.month:02d}"
