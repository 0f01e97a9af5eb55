"""Signal receivers of the core app."""

import contextlib
import os

from django.db.backends.signals import connection_created
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import CalendarDay, ObjectShare
from .scope import forget_shares
from .workdays import clear_cache


@receiver([post_save, post_delete], sender=CalendarDay)
def _calendar_changed(sender, **kwargs):
    clear_cache()


@receiver(connection_created)
def _private_sqlite_file(sender, connection, **kwargs):
    """The SQLite database and its WAL files are readable by the platform's user only (0600)."""
    if connection.vendor != "sqlite":
        return
    name = str(connection.settings_dict.get("NAME") or "")
    if not name or name == ":memory:" or name.startswith("file:"):
        return
    for path in (name, f"{name}-wal", f"{name}-shm"):
        with contextlib.suppress(OSError):  # not there yet, or not ours
            if os.stat(path).st_mode & 0o077:
                os.chmod(path, 0o600)


@receiver([post_save, post_delete], sender=ObjectShare)
def _share_changed(sender, **kwargs):
    # Also deletes by cascade (a user, a unit, a content type going); bulk writes skip signals, so the
    # share services call forget_shares() themselves.
    forget_shares()
