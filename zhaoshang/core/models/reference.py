from django.db import models


class Industry(models.Model):
    """GB/T 4754-2017 国民经济行业分类: 门类 (A–T), 大类 (2 digits), 中类 (3), 小类 (4)."""

    class Level(models.IntegerChoices):
        SECTION = 1, "门类"
        DIVISION = 2, "大类"
        GROUP = 3, "中类"
        CLASS = 4, "小类"

    code = models.CharField("代码", max_length=4, unique=True)
    name = models.CharField("名称", max_length=100)
    level = models.PositiveSmallIntegerField("层级", choices=Level.choices)
    section = models.CharField("门类", max_length=1, db_index=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "国民经济行业分类"
        verbose_name_plural = "国民经济行业分类"
        ordering = ["section", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
