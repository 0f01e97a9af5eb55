"""督办 by hand and 领导批示 with the responsible units' reports: the oversight of a project beside its lifecycle."""

from django.conf import settings
from django.db import models

from .lifecycle import Problem, Project


class Supervision(models.Model):
    """A 督办 introduced by hand (a leader, a 统筹单位 officer), with its reason — kept apart from the computed
    escalation (``Project.escalation``), which the nightly warning recomputation rewrites."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="supervisions")
    reason = models.CharField("督办事由", max_length=300)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    raised_on = models.DateField("列入日期")
    lifted_on = models.DateField("解除日期", null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lift_reason = models.CharField("解除理由", max_length=300, blank=True)

    class Meta:
        verbose_name = "人工督办"
        verbose_name_plural = "人工督办"
        ordering = ["-raised_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project"], condition=models.Q(lifted_on__isnull=True), name="one_open_supervision_per_project"
            )
        ]

    def __str__(self) -> str:
        return self.reason


class Instruction(models.Model):
    """领导批示 on a project (or one of its problems): the responsible units each report how they carried it
    out; it is done when all have."""

    class Status(models.TextChoices):
        OPEN = "open", "落实中"
        DONE = "done", "已办结"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="instructions")
    problem = models.ForeignKey(
        Problem, verbose_name="需协调事项", null=True, blank=True, on_delete=models.CASCADE, related_name="instructions"
    )
    text = models.TextField("批示内容")
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    units = models.ManyToManyField("accounts.OrgUnit", verbose_name="责任单位", related_name="+")
    issued_on = models.DateField("批示日期")
    due_on = models.DateField("落实期限", null=True, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OPEN)
    closed_on = models.DateField("办结日期", null=True, blank=True)

    class Meta:
        verbose_name = "领导批示"
        verbose_name_plural = "领导批示"
        ordering = ["-issued_on", "-id"]
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self) -> str:
        return self.text[:30]


class InstructionReply(models.Model):
    """One responsible unit's report on carrying out a 批示 (one per unit)."""

    instruction = models.ForeignKey(Instruction, on_delete=models.CASCADE, related_name="replies")
    unit = models.ForeignKey("accounts.OrgUnit", verbose_name="责任单位", on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField("落实情况")
    replied_on = models.DateField("反馈日期")

    class Meta:
        verbose_name = "批示落实反馈"
        verbose_name_plural = "批示落实反馈"
        ordering = ["instruction", "id"]
        constraints = [models.UniqueConstraint(fields=["instruction", "unit"], name="one_reply_per_unit")]

    def __str__(self) -> str:
        return self.text[:30]
