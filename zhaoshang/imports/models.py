from django.conf import settings
from django.db import models


class ImportJob(models.Model):
    """One upload and what became of it: a dry run's report, or a commit's counts and errors."""

    class Status(models.TextChoices):
        PENDING = "pending", "等待处理"
        RUNNING = "running", "处理中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    class Mode(models.TextChoices):
        DRY_RUN = "dry_run", "试导入（只检查，不写入）"
        COMMIT = "commit", "导入（有错误则全部不导入）"
        VALID_ONLY = "valid_only", "只导入正确的行"

    kind = models.CharField("数据类型", max_length=30)
    mode = models.CharField("方式", max_length=16, choices=Mode.choices, default=Mode.DRY_RUN)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.PENDING)
    file = models.FileField("文件", upload_to="imports/%Y/%m/")
    filename = models.CharField("文件名", max_length=200)
    file_kind = models.CharField("文件格式", max_length=8)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    org_unit = models.ForeignKey("accounts.OrgUnit", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("提交时间", auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The runner's lease: stamped while the job runs; a running job whose stamp is older than
    # ZHAOSHANG_IMPORT_LEASE_SECONDS lost its worker and is failed (``services.import_jobs_fail_stale``).
    heartbeat_at = models.DateTimeField("最近心跳", null=True, blank=True)
    interrupted = models.BooleanField("执行进程中断", default=False)
    phase = models.CharField("阶段", max_length=30, blank=True)
    total_rows = models.PositiveIntegerField("总行数", default=0)
    processed_rows = models.PositiveIntegerField("已处理", default=0)
    created_count = models.PositiveIntegerField("新增", default=0)
    updated_count = models.PositiveIntegerField("更新", default=0)
    unchanged_count = models.PositiveIntegerField("无变化", default=0)
    error_count = models.PositiveIntegerField("错误行", default=0)
    committed = models.BooleanField("已写入", default=False)
    message = models.CharField("结果说明", max_length=300, blank=True)
    errors = models.JSONField("错误", default=list, blank=True)
    changes = models.JSONField("变更预览", default=list, blank=True)

    class Meta:
        verbose_name = "导入任务"
        verbose_name_plural = "导入任务"
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.filename}（{self.get_status_display()}）"

    @property
    def progress_pct(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.total_rows:
            return 0
        return min(99, int(self.processed_rows * 100 / self.total_rows))

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
