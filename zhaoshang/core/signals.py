"""Signal receivers of the core app."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import CalendarDay, ObjectShare
from .scope import forget_shares
from .workdays import clear_cache


@receiver([post_save, post_delete], sender=CalendarDay)
def _calendar_changed(sender, **kwargs):
    clear_cache()


@receiver([post_save, post_delete], sender=ObjectShare)
def _share_changed(sender, **kwargs):
    # Also deletes by cascade (a user, a unit, a content type going); bulk writes skip signals, so the
    # share services call forget_shares() themselves.
    forget_shares()
