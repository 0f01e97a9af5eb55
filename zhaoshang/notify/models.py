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
