"""Model fields shared by the apps' models (imported from here, not from ``core.models``: the rules they carry
live in ``core.parsers``, which itself reads ``core.models``)."""

from django.db import models

from ..parsers import validate_not_negative


def amount_field(verbose_name: str, max_digits: int = 14, **kwargs) -> models.DecimalField:
    """An optional amount, area or quantity with 2 decimals that is never negative (forms and services refuse
    it with the shared message, the form's input has ``min="0"``)."""
    return models.DecimalField(
        verbose_name,
        max_digits=max_digits,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[validate_not_negative],
        **kwargs,
    )
