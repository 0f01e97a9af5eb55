from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models

from zhaoshang.core.models import BusinessModel


class Dossier(BusinessModel):
    name = models.CharField("名称", max_length=100)
    amount = models.DecimalField(
        "金额（万元）",
        max_digits=14,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    note = models.TextField("备注", blank=True)

    class Meta:
        verbose_name = "档案"
        verbose_name_plural = "档案"

    def __str__(self) -> str:
        return self.name
