"""Signal receivers of the core app."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import CalendarDay
from .workdays import clear_cache


@receiver([post_save, post_delete], sender=CalendarDay)
def _calendar_changed(sender, **kwargs):
    clear_cache()
