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


class Tag(models.Model):
    """A label on enterprises (and later other records): list memberships such as 世界500强, 专精特新."""

    class Category(models.TextChoices):
        LIST = "list", "榜单"
        QUALIFICATION = "qualification", "资质"
        CHAIN = "chain", "产业链"
        CUSTOM = "custom", "自定义"

    name = models.CharField("名称", max_length=30, unique=True)
    category = models.CharField("类别", max_length=16, choices=Category.choices, default=Category.CUSTOM)
    sort_order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "标签"
        verbose_name_plural = "标签"
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class CalendarDay(models.Model):
    """A day whose working status an administrator sets: a holiday (not worked) or a 调休 workday.

    Takes precedence over the bundled official calendar; years it lacks are entered here."""

    date = models.DateField("日期", unique=True)
    is_workday = models.BooleanField("上班", help_text="勾选表示当天上班（调休工作日），不勾选表示放假")
    name = models.CharField("说明", max_length=40, blank=True, help_text="如 春节、国庆节调休")

    class Meta:
        verbose_name = "节假日与调休"
        verbose_name_plural = "节假日与调休"
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {'上班' if self.is_workday else '放假'} {self.name}"
