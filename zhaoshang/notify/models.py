from django.conf import settings
from django.db import models


class Notification(models.Model):
    """An in-app message to one user (a message to a unit is one row per member)."""

    class Level(models.TextChoices):
        INFO = "info", "通知"
        TASK = "task", "待办"
        HANDOFF = "handoff", "交棒"  # a project stage closed: the next owner unit takes over (接力式推进)
        WARNING = "warning", "预警"
        URGENT = "urgent", "督办"

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    level = models.CharField("类型", max_length=16, choices=Level.choices, default=Level.INFO)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    url = models.CharField("链接", max_length=300, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        verbose_name = "通知"
        verbose_name_plural = "通知"
        ordering = ["-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.title


class Kind(models.TextChoices):
    """What a notice is about: users pick channels per kind; urgent kinds ignore quiet hours."""

    HANDOFF = "handoff", "交棒"
    ASSIGNMENT = "assignment", "分派"
    REMINDER = "reminder", "提醒"
    OVERDUE = "overdue", "超时"
    WARNING = "warning", "预警"
    ESCALATION = "escalation", "升级提醒"
    SUPERVISION = "supervision", "督办"
    PROBLEM = "problem", "问题协调"
    IMPORT_DONE = "import_done", "导入完成"
    INFO = "info", "一般通知"
    SYSTEM = "system", "系统运行"


URGENT_KINDS = frozenset({Kind.ESCALATION, Kind.SUPERVISION})


class Channel(models.TextChoices):
    EMAIL = "email", "电子邮件"
    ZZD = "zzd", "浙政钉工作通知"
    DINGTALK = "dingtalk", "钉钉群机器人"
    WECOM = "wecom", "企业微信群机器人"


class OutboxMessage(models.Model):
    """One notice to one user, written with the bell's row in the business transaction; the worker fans it out
    into deliveries (one per channel the recipient wants) and stamps ``dispatched_at``."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField("类别", max_length=16, choices=Kind.choices, default=Kind.INFO)
    dedupe_key = models.CharField("去重键", max_length=200)
    urgent = models.BooleanField("紧急", default=False)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    url = models.CharField("链接", max_length=300, blank=True)
    created_at = models.DateTimeField("时间")
    dispatched_at = models.DateTimeField("分发时间", null=True, blank=True)

    class Meta:
        verbose_name = "待发消息"
        verbose_name_plural = "待发消息"
        indexes = [models.Index(fields=["dispatched_at", "id"])]

    def __str__(self) -> str:
        return self.title


class Delivery(models.Model):
    """One message on one channel to one target (a user, or a group robot). Unique per channel, target and
    dedupe key: the same notice never goes to the same place twice."""

    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        DIGEST = "digest", "待汇总"
        SENDING = "sending", "发送中"
        SENT = "sent", "已发送"
        FAILED = "failed", "失败"
        UNKNOWN = "unknown", "结果未知"

    message = models.ForeignKey(OutboxMessage, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField("渠道", max_length=16, choices=Channel.choices)
    target = models.CharField("接收方", max_length=120)
    dedupe_key = models.CharField("去重键", max_length=200)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    next_attempt_at = models.DateTimeField("下次尝试")
    lease_until = models.DateTimeField("占用至", null=True, blank=True)
    claimed_at = models.DateTimeField("开始发送", null=True, blank=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)
    last_error = models.TextField("最近错误", blank=True)
    external_id = models.CharField("对方消息号", max_length=120, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "投递"
        verbose_name_plural = "投递"
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["channel", "target", "dedupe_key"], name="notify_delivery_once"),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["channel", "claimed_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.target}"


class ChannelConfig(models.Model):
    """A channel's settings (系统管理 → 消息渠道). Secrets are SM4-GCM encrypted and never shown again."""

    changelog_exclude = ("secrets_cipher",)

    channel = models.CharField("渠道", max_length=16, choices=Channel.choices, unique=True)
    enabled = models.BooleanField("启用", default=False)
    options = models.JSONField("设置", default=dict, blank=True)
    secrets_cipher = models.TextField("密钥（加密）", blank=True)
    secret_names = models.JSONField("已保存的密钥项", default=list, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "消息渠道"
        verbose_name_plural = "消息渠道"

    def __str__(self) -> str:
        return self.get_channel_display()


class RoleDefault(models.Model):
    """The administrator's default channels per kind for one role; a user's own choice overrides it."""

    role = models.CharField("角色", max_length=16, unique=True)
    channels = models.JSONField("各类通知的渠道", default=dict, blank=True)

    class Meta:
        verbose_name = "角色默认渠道"
        verbose_name_plural = "角色默认渠道"

    def __str__(self) -> str:
        return self.role


class NotifyProfile(models.Model):
    """A user's message preferences: channels per kind (empty = the role default), digest, quiet hours."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notify_profile")
    channels = models.JSONField("各类通知的渠道", null=True, blank=True)
    digest = models.BooleanField("每日汇总（非紧急消息每天汇总发送一次）", default=False)
    quiet_start = models.TimeField("免打扰开始", null=True, blank=True)
    quiet_end = models.TimeField("免打扰结束", null=True, blank=True)
    zzd_account_id = models.CharField("浙政钉账号 ID", max_length=64, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "消息偏好"
        verbose_name_plural = "消息偏好"

    def __str__(self) -> str:
        return str(self.user_id)


class ScheduledJob(models.Model):
    """A job the worker's scheduler runs (系统管理 → 定时任务): schedule, lock and the last run."""

    name = models.CharField("任务", max_length=64, unique=True)
    schedule = models.CharField("时间（cron 表达式）", max_length=64)
    enabled = models.BooleanField("启用", default=True)
    next_run_at = models.DateTimeField("下次运行", null=True, blank=True)
    locked_until = models.DateTimeField("锁定至", null=True, blank=True)
    lock_token = models.CharField("锁", max_length=40, blank=True)
    last_started_at = models.DateTimeField("上次开始", null=True, blank=True)
    last_duration_ms = models.PositiveIntegerField("上次耗时（毫秒）", null=True, blank=True)
    last_ok = models.BooleanField("上次成功", null=True, blank=True)
    last_result = models.TextField("上次结果", blank=True)

    class Meta:
        verbose_name = "定时任务"
        verbose_name_plural = "定时任务"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class JobRun(models.Model):
    job = models.ForeignKey(ScheduledJob, on_delete=models.CASCADE, related_name="runs")
    started_at = models.DateTimeField("开始")
    duration_ms = models.PositiveIntegerField("耗时（毫秒）")
    ok = models.BooleanField("成功")
    result = models.TextField("结果", blank=True)

    class Meta:
        verbose_name = "任务运行记录"
        verbose_name_plural = "任务运行记录"
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.job_id} {self.started_at}"
