from django_tasks import task

from .services import outbox


@task()
def deliver_outbox() -> dict:
    """Dispatch and deliver what is due now (the worker's loop does this every few seconds; enqueue it with
    ``transaction.on_commit`` where a message must leave at once). Idempotent: deliveries are claimed."""
    return outbox.process()
