"""项目库: projects and their lifecycle — configurable stages (per county), the stage each project is in with
its owner and deadline, checklists and their attachments, problems to solve, follow-ups and domain events."""

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.urls import reverse

from zhaoshang.core import parsers
from zhaoshang.core.models import BusinessModel, Industry
from zhaoshang.core.models.fields import amount_field

# The key dates of a project: (field stem, label). Each has ``<stem>_planned`` and ``<stem>_actual``.
KEY_DATES = [
    ("first_contact", "首次接洽"),
    ("signed", "签约"),
    ("registered", "注册"),
    ("land_supplied", "供地"),
    ("construction_start", "开工"),
    ("completion", "竣工"),
    ("production", "投产"),
    ("full_production", "达产"),
]


class Stage(models.Model):
    """One stage of the lifecycle in one county, in order. Configuration, edited by the administrator."""

    class LimitUnit(models.TextChoices):
        WORKDAYS = "workdays", "工作日"
        DAYS = "days", "自然日"

    class Advancer(models.TextChoices):
        OWNER = "owner", "责任单位"
        INTRODUCER = "introducer", "引进单位"
        EITHER = "either", "责任单位或引进单位"

    region = models.ForeignKey("accounts.OrgUnit", verbose_name="所属地区", on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField("顺序")
    code = models.SlugField("编码", max_length=30)
    name = models.CharField("名称", max_length=30)
    owner_unit = models.ForeignKey(
        "accounts.OrgUnit",
        verbose_name="责任单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="留空表示由项目的引进单位负责",
    )
    time_limit = models.PositiveIntegerField("办理时限", null=True, blank=True, help_text="留空表示不限时")
    limit_unit = models.CharField("时限单位", max_length=10, choices=LimitUnit.choices, default=LimitUnit.WORKDAYS)
    required_fields = models.JSONField("离开本阶段前必填的字段", default=list, blank=True)
    completes_date = models.CharField(
        "完成时记录的实际日期", max_length=30, blank=True, choices=[(stem, label) for stem, label in KEY_DATES]
    )
    advancer = models.CharField("谁可以推进", max_length=12, choices=Advancer.choices, default=Advancer.EITHER)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "项目阶段"
        verbose_name_plural = "项目阶段"
        ordering = ["region", "order"]
        constraints = [
            models.UniqueConstraint(fields=["region", "code"], name="stage_unique_code"),
            models.UniqueConstraint(fields=["region", "order"], name="stage_unique_order"),
        ]

    def __str__(self) -> str:
        return self.name

    def required_field_labels(self) -> list[str]:
        """The required fields as a person reads them: each project field's verbose name (a field no longer on
        the project is shown by its stored name)."""
        labels = []
        for name in self.required_fields:
            try:
                labels.append(str(Project._meta.get_field(name).verbose_name))
            except FieldDoesNotExist:
                labels.append(name)
        return labels


class WarningRules(models.Model):
    """The thresholds of the red/yellow lights in one county (defaults from DOMAIN.md §4)."""

    region = models.OneToOneField("accounts.OrgUnit", on_delete=models.CASCADE, related_name="+")
    yellow_overdue_days = models.PositiveIntegerField(
        "阶段逾期即黄灯（天）", default=0, help_text="阶段超过办理期限多少天亮黄灯（0 表示一到期即黄灯）"
    )
    red_overdue_days = models.PositiveIntegerField("阶段逾期红灯（天）", default=30)
    yellow_behind_points = models.PositiveIntegerField("落后序时进度黄灯（百分点）", default=10)
    red_behind_points = models.PositiveIntegerField("落后序时进度红灯（百分点）", default=30)
    red_not_started_months = models.PositiveIntegerField("计划开工后仍未开工红灯（月）", default=3)
    yellow_idle_days = models.PositiveIntegerField("无进展黄灯（天）", default=60)
    red_idle_days = models.PositiveIntegerField("无进展红灯（天）", default=90)
    dormant_idle_days = models.PositiveIntegerField("无进展出库（天）", default=180)
    leader_after_days = models.PositiveIntegerField("黄灯持续多少天告知包保领导", default=14)

    class Meta:
        verbose_name = "预警规则"
        verbose_name_plural = "预警规则"

    def __str__(self) -> str:
        return f"预警规则（{self.region}）"


class ChecklistItem(models.Model):
    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="checklist")
    order = models.PositiveSmallIntegerField("顺序", default=0)
    title = models.CharField("事项", max_length=100)
    owner_unit = models.ForeignKey(
        "accounts.OrgUnit",
        verbose_name="负责单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="留空表示由阶段责任单位负责",
    )
    required = models.BooleanField("必须完成", default=True)

    class Meta:
        verbose_name = "阶段清单事项"
        verbose_name_plural = "阶段清单事项"
        ordering = ["stage", "order", "id"]

    def __str__(self) -> str:
        return self.title


class Project(BusinessModel):
    """A project from first contact to full production. ``org_unit`` is the introducing unit (引进单位)."""

    class Grade(models.TextChoices):
        A = "A", "A 重点"
        B = "B", "B 跟进"
        C = "C", "C 储备"

    class Light(models.TextChoices):
        GREEN = "green", "绿灯"
        YELLOW = "yellow", "黄灯"
        RED = "red", "红灯"

    class Type(models.TextChoices):
        NEW = "new", "新建"
        CAPITAL_INCREASE = "capital_increase", "增资"
        REINVESTMENT = "reinvestment", "利润再投资"
        MERGER = "merger", "并购"
        JOINT_VENTURE = "joint_venture", "合资"
        RETURN = "return", "返程投资"
        REFERRAL = "referral", "以商招商"

    class Escalation(models.IntegerChoices):
        NONE = 0, "无"
        REMINDED = 1, "已提醒责任单位"
        LEADER_INFORMED = 2, "已告知包保领导"
        SUPERVISED = 3, "列入督办"

    code = models.CharField("项目编号", max_length=20, unique=True, editable=False)
    name = models.CharField("项目名称", max_length=200, db_index=True)
    investor = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name="投资主体",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects_invested",
    )
    operating_company = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name="项目公司",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects_operated",
    )
    investor_country = models.CharField("投资方国别（地区）", max_length=40, blank=True)
    industry = models.ForeignKey(
        Industry, verbose_name="国民经济行业", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    project_type = models.CharField("项目类型", max_length=20, choices=Type.choices, default=Type.NEW)
    total_investment = amount_field("总投资（万元）")
    fixed_asset_investment = amount_field("固定资产投资（万元）")
    contracted_fdi = amount_field("合同外资（万美元）")
    land_mu = amount_field("用地（亩）", 10)
    floor_area = amount_field("建筑面积（㎡）", 12)
    annual_output = amount_field("预计年产值（万元）")
    annual_tax = amount_field("预计年税收（万元）")
    jobs = models.PositiveIntegerField("新增就业（人）", null=True, blank=True)
    town = models.ForeignKey(
        "accounts.OrgUnit",
        verbose_name="落地镇街/园区",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    lead_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="包保领导",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    chief_servant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="首席服务员",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    grade = models.CharField("项目等级", max_length=1, choices=Grade.choices, default=Grade.B)
    stage = models.ForeignKey(
        Stage, verbose_name="当前阶段", on_delete=models.PROTECT, related_name="projects", editable=False
    )
    light = models.CharField("预警灯", max_length=8, choices=Light.choices, default=Light.GREEN, editable=False)
    warning_reasons = models.JSONField("预警原因", default=list, blank=True, editable=False)
    warning_since = models.DateField("预警起始", null=True, blank=True, editable=False)
    escalation = models.PositiveSmallIntegerField("督办级别", choices=Escalation.choices, default=0, editable=False)
    last_progress_on = models.DateField("最近进展", null=True, blank=True, editable=False)
    is_dormant = models.BooleanField("已出库（长期无进展）", default=False, editable=False)
    description = models.TextField("项目简介", blank=True)

    for _stem, _label in KEY_DATES:
        locals()[f"{_stem}_planned"] = models.DateField(f"计划{_label}日期", null=True, blank=True)
        locals()[f"{_stem}_actual"] = models.DateField(f"实际{_label}日期", null=True, blank=True)
    del _stem, _label

    changelog_exclude = ("updated_at", "updated_by", "warning_reasons")

    class Meta:
        verbose_name = "项目"
        verbose_name_plural = "项目"
        indexes = [
            # The board: a stage's most escalated projects first.
            models.Index(fields=["region", "stage", "-escalation", "id"]),
            # The board's per-stage counts and the cockpit's counts by stage and light, read from the
            # index alone, in GROUP BY order (is_dormant last: the ORM writes NOT is_dormant, which is
            # not an equality SQLite could use on a middle column).
            models.Index(
                fields=["region", "stage", "light", "is_dormant"],
                condition=models.Q(deleted_at__isnull=True),
                name="project_live_stage_light_idx",
            ),
            # Red lights, worst first (the cockpit's list): read in index order, no sort.
            models.Index(fields=["region", "light", "-escalation", "warning_since"], name="project_light_worst_idx"),
            models.Index(fields=["region", "escalation"]),
            # The cockpit: projects signed this year.
            models.Index(fields=["region", "signed_actual"]),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("projects:project_detail", args=[self.pk])

    def first_contact_on(self):
        """The project's first contact: the actual date, else the planned one."""
        return self.first_contact_actual or self.first_contact_planned

    def clean(self) -> None:
        """Planned milestones may lie in the past (projects are registered late), not before the first contact."""
        super().clean()
        first = self.first_contact_on()
        checks = {}
        for stem, _ in KEY_DATES:
            for kind in ("planned", "actual"):
                name, value = f"{stem}_{kind}", getattr(self, f"{stem}_{kind}")
                if value is None:
                    continue
                if kind == "planned" and stem != "first_contact":
                    checks[name] = lambda value=value: parsers.not_before(value, first, "首次接洽日期")
                else:
                    checks[name] = lambda value=value: parsers.calendar_date(value)
        parsers.model_clean(checks)


class ProjectStage(models.Model):
    """One pass of a project through a stage: who owns it, since when, until when."""

    class Status(models.TextChoices):
        OPEN = "open", "办理中"
        DONE = "done", "已办结"
        SKIPPED = "skipped", "已跳过"
        REVERTED = "reverted", "已退回"
        TERMINATED = "terminated", "已终止"  # the project was not admitted (研判 不予引进)

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="stage_runs")
    stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="+")
    owner_unit = models.ForeignKey(
        "accounts.OrgUnit", verbose_name="责任单位", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OPEN)
    opened_on = models.DateField("开始日期")
    due_on = models.DateField("办理期限", null=True, blank=True)
    closed_on = models.DateField("办结日期", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "项目阶段办理"
        verbose_name_plural = "项目阶段办理"
        ordering = ["project", "id"]
        # (project, status): "the open stage of these projects" must not scan every open stage in the county.
        indexes = [
            models.Index(fields=["owner_unit", "status"]),
            models.Index(fields=["status", "due_on"]),
            models.Index(fields=["project", "status"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["project"], condition=models.Q(status="open"), name="one_open_stage_per_project"
            )
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.stage}"


class ChecklistEntry(models.Model):
    run = models.ForeignKey(ProjectStage, on_delete=models.CASCADE, related_name="entries")
    item = models.ForeignKey(ChecklistItem, null=True, on_delete=models.SET_NULL, related_name="+")
    title = models.CharField("事项", max_length=100)
    owner_unit = models.ForeignKey(
        "accounts.OrgUnit", verbose_name="负责单位", on_delete=models.PROTECT, related_name="+"
    )
    required = models.BooleanField("必须完成", default=True)
    done_on = models.DateField("完成日期", null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "清单事项办理"
        verbose_name_plural = "清单事项办理"
        ordering = ["run", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def needs_attachment(self) -> bool:
        """An item that says 上传 (上传投资协议) is done only with the document attached."""
        return "上传" in self.title


class ChecklistAttachment(models.Model):
    """A document attached to a checklist item (the signed agreement, the licence …); checked by content
    on upload (``core.uploads.inspect_attachment``), kept under MEDIA_ROOT."""

    entry = models.ForeignKey(ChecklistEntry, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField("文件", upload_to="projects/checklist/%Y/%m/")
    name = models.CharField("文件名", max_length=200)
    kind = models.CharField("类型", max_length=10)
    size = models.PositiveIntegerField("大小（字节）")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "清单事项附件"
        verbose_name_plural = "清单事项附件"
        ordering = ["entry", "id"]

    def __str__(self) -> str:
        return self.name


class Problem(models.Model):
    """需协调事项: an investor's problem assigned to a department with a deadline."""

    class Status(models.TextChoices):
        OPEN = "open", "待解决"
        RESOLVED = "resolved", "已解决"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="problems")
    title = models.CharField("问题", max_length=200)
    description = models.TextField("详细说明", blank=True)
    owner_unit = models.ForeignKey(
        "accounts.OrgUnit", verbose_name="责任单位", on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField("解决期限")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OPEN)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    raised_on = models.DateField("提出日期")
    resolved_on = models.DateField("解决日期", null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolution = models.TextField("解决情况", blank=True)

    class Meta:
        verbose_name = "需协调事项"
        verbose_name_plural = "需协调事项"
        ordering = ["status", "due_on", "id"]
        indexes = [models.Index(fields=["owner_unit", "status"])]

    def __str__(self) -> str:
        return self.title


class ProblemComment(models.Model):
    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField("内容")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text[:30]


class FollowUp(models.Model):
    class Kind(models.TextChoices):
        VISIT = "visit", "走访"
        RECEPTION = "reception", "来访"
        CALL = "call", "电话"
        MEETING = "meeting", "会议"
        EVENT = "event", "活动"
        EMAIL = "email", "邮件"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="followups")
    kind = models.CharField("方式", max_length=12, choices=Kind.choices)
    date = models.DateField("日期")
    summary = models.TextField("内容")
    next_step = models.CharField("下一步", max_length=200, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "跟进记录"
        verbose_name_plural = "跟进记录"
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return self.summary[:30]


class ProjectEvent(models.Model):
    """What happened to a project, in business words: the timeline on its page."""

    class Kind(models.TextChoices):
        CREATED = "created", "建档"
        ADVANCED = "advanced", "阶段办结"
        HANDOFF = "handoff", "交棒"
        REVERTED = "reverted", "退回"
        SKIPPED = "skipped", "跳过阶段"
        CHECKLIST = "checklist", "清单事项"
        PROBLEM_RAISED = "problem_raised", "提出问题"
        PROBLEM_RESOLVED = "problem_resolved", "问题解决"
        FOLLOWUP = "followup", "跟进"
        WARNING = "warning", "预警变化"
        ESCALATED = "escalated", "督办升级"
        DORMANT = "dormant", "出库"
        STAGE_DATA = "stage_data", "阶段资料"
        SUPERVISED = "supervised", "列入督办"
        SUPERVISION_LIFTED = "supervision_lifted", "解除督办"
        INSTRUCTION = "instruction", "领导批示"
        INSTRUCTION_REPLY = "instruction_reply", "批示落实"
        TERMINATED = "terminated", "终止引进"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField("事件", max_length=20, choices=Kind.choices)
    text = models.CharField("内容", max_length=300)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    occurred_on = models.DateField("日期")
    created_at = models.DateTimeField(auto_now_add=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = "项目事件"
        verbose_name_plural = "项目事件"
        ordering = ["-occurred_on", "-id"]
        indexes = [models.Index(fields=["project", "-occurred_on"])]

    def __str__(self) -> str:
        return self.text
