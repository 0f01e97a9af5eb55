"""导入完成: a finished import tells its owner once, in the bell and the outbox, with a link to the job."""

from tests.imports.test_engine import rows, run_import, xlsx  # noqa: F401 - fixture
from zhaoshang.notify.models import Notification, OutboxMessage


def test_a_finished_import_tells_its_owner(run_import, users):  # noqa: F811
    job = run_import(xlsx(rows(3)), mode="dry_run")
    note = Notification.objects.get(recipient=users["diankou"])
    assert note.title.startswith("导入已完成：") and note.url == f"/imports/{job.pk}/"
    message = OutboxMessage.objects.get(recipient=users["diankou"])
    assert (message.kind, message.dedupe_key, message.urgent) == ("import_done", f"import:{job.pk}", False)
