"""The project timeline (``ProjectEvent``): the one module that writes it.

``event`` writes one row as a page or the API acts; ``events_copy`` carries another record's history
over (a lead's timeline when it becomes a project); ``events_insert`` is the nightly warnings' bulk path:
plain tuples as multi-row INSERTs, since the first run over a freshly loaded library writes ~100,000
events and building a model instance for each costs more than storing them.
"""

import json
from collections.abc import Iterable
from datetime import date

from django.db import connection
from django.utils import timezone

from zhaoshang.core.bulk import insert_rows

from ..models import Project, ProjectEvent

# The kinds of timeline entries, for callers in other apps (a lead's conversion writes some).
EventKind = ProjectEvent.Kind


def today_or(on: date | None) -> date:
    return on or timezone.localdate()


def event(project: Project, kind: str, text: str, *, actor=None, on: date | None = None, **data) -> ProjectEvent:
    return ProjectEvent.objects.create(
        project=project, kind=kind, text=text[:300], actor=actor, occurred_on=today_or(on), data=data
    )


def events_copy(project: Project, rows: Iterable[tuple[str, str, object, date]]) -> None:
    """Append history from elsewhere: ``(kind, text, actor, occurred_on)`` per row, in one statement."""
    ProjectEvent.objects.bulk_create(
        [
            ProjectEvent(project=project, kind=kind, text=text, actor=actor, occurred_on=occurred_on)
            for kind, text, actor, occurred_on in rows
        ]
    )


def events_insert(rows: list[tuple[int, str, str, date, dict]]) -> None:
    """``(project_id, kind, text, occurred_on, data)`` per row, as multi-row INSERTs (no actor)."""
    if not rows:
        return
    ops = connection.ops
    now = ops.adapt_datetimefield_value(timezone.now())
    jsonb = "::jsonb" if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        insert_rows(
            cursor,
            ProjectEvent._meta.db_table,
            ["project_id", "kind", "text", "occurred_on", "created_at", "data"],
            [
                (pk, kind, text[:300], ops.adapt_datefield_value(on), now, json.dumps(data, ensure_ascii=False))
                for pk, kind, text, on, data in rows
            ],
            casts={"data": jsonb},
        )
