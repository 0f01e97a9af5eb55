from django.db import models


class FieldKeyRotation(models.Model):
    """One rotation of the field key (``zhaoshang rotate-field-key``): the key it moves the data to and how far it
    got — per column, the last primary key done — so that an interrupted run continues where it stopped."""

    key_id = models.CharField("目标密钥标识", max_length=8, db_index=True)
    started_at = models.DateTimeField("开始时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    progress = models.JSONField("进度（每列已处理到的主键）", default=dict, blank=True)
    counts = models.JSONField("已重新加密（每列）", default=dict, blank=True)

    class Meta:
        verbose_name = "字段加密密钥轮换"
        verbose_name_plural = "字段加密密钥轮换"
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"密钥轮换 → {self.key_id}"
