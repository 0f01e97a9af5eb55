"""A job whose worker died (killed, machine restarted) no longer shows "running 99 %" forever: the runner holds a
lease by a heartbeat; once it runs out the job is failed with a message and can be re-run. Nothing half-written."""

import time
from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone

from zhaoshang.core.models import ObjectChange
from zhaoshang.enterprises.importers import EnterpriseImporter
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.imports import services
from zhaoshang.imports.models import ImportJob
from zhaoshang.notify import scheduler
from zhaoshang.notify.models import Notification

from .test_engine import rows, xlsx

LEASE = timedelta(seconds=120)  # ZHAOSHANG_IMPORT_LEASE_SECONDS's default
MESSAGE = "任务执行进程已中断（超过 2 分钟没有响应），未写入任何数据；可点击“重新导入”再次运行"


def _killed(*args, **kwargs):
    raise SystemExit("kill -9")  # the worker ends in the middle of the write: nothing after this line runs


@pytest.fixture
def start(users, django_capture_on_commit_callbacks):
    def _start(data: bytes, mode: str = "commit") -> ImportJob:
        with django_capture_on_commit_callbacks(execute=True):
            job = services.import_start(
                actor=users["diankou"], kind="enterprises", mode=mode, upload=SimpleUploadedFile("企业.xlsx", data)
            )
        job.refresh_from_db()
        return job

    return _start


def test_a_job_whose_worker_died_is_failed_by_the_check_and_can_be_rerun(
    start, users, monkeypatch, client_for, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(EnterpriseImporter, "write", _killed)
    job = start(xlsx(rows(30)))
    assert (job.status, job.committed, job.progress_pct) == ("running", False, 99)
    assert job.heartbeat_at is not None and job.phase == "写入数据"
    assert Enterprise.all_objects.count() == 0  # the write was one transaction: nothing of it is kept

    assert services.import_jobs_fail_stale() == []  # its lease has not run out yet
    with time_machine.travel(job.heartbeat_at + LEASE + timedelta(seconds=1)):
        assert services.import_jobs_fail_stale() == [job.pk]
        assert services.import_jobs_fail_stale() == []  # ended once
    job.refresh_from_db()
    assert (job.status, job.interrupted, job.committed, job.message) == ("failed", True, False, MESSAGE)
    assert job.finished and job.phase == "" and job.file  # the upload stays for the re-run
    told = Notification.objects.filter(recipient=users["diankou"], title__startswith="导入失败")
    assert [n.title for n in told] == [f"导入失败：导入（有错误（编号 {job.pk}）"]
    change = ObjectChange.objects.get(content_type__model="importjob", object_id=job.pk)
    assert (change.actor_id, change.after["status"], change.after["interrupted"]) == (None, "failed", True)
    page = client_for(users["diankou"]).get(f"/imports/{job.pk}/").content.decode()
    assert MESSAGE in page and 'data-testid="rerun"' in page

    monkeypatch.undo()  # the next worker is healthy
    with django_capture_on_commit_callbacks(execute=True):
        new = services.import_rerun(actor=users["diankou"], job=job, mode=job.mode)
    new.refresh_from_db()
    assert (new.status, new.committed, new.created_count) == ("done", True, 30)
    assert Enterprise.objects.count() == 30


def test_a_running_job_with_a_fresh_heartbeat_is_left_alone(start, users, monkeypatch):
    monkeypatch.setattr(EnterpriseImporter, "write", _killed)
    job = start(xlsx(rows(3)))
    started_long_ago = timezone.now() - timedelta(hours=2)  # a long import: started long ago, still beating
    ImportJob.objects.filter(pk=job.pk).update(started_at=started_long_ago, heartbeat_at=timezone.now())
    with time_machine.travel(timezone.now() + LEASE - timedelta(seconds=5)):
        assert services.import_jobs_fail_stale() == []
    job.refresh_from_db()
    assert (job.status, job.interrupted, job.message, job.finished_at) == ("running", False, "", None)
    assert not ObjectChange.objects.filter(content_type__model="importjob").exists()
    assert not Notification.objects.filter(recipient=users["diankou"], title__startswith="导入").exists()


def test_finished_and_waiting_jobs_are_not_touched(start):
    done = start(xlsx(rows(3)), mode="dry_run")
    ImportJob.objects.filter(pk=done.pk).update(heartbeat_at=timezone.now() - timedelta(days=1))
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        assert services.import_jobs_fail_stale() == []
    assert ImportJob.objects.get(pk=done.pk).status == "done"


def test_a_worker_that_died_after_its_write_committed_leaves_a_done_job(start, monkeypatch):
    job = start(xlsx(rows(3)))
    # as if the worker died between the write's commit and the job's last save
    ImportJob.objects.filter(pk=job.pk).update(status="running", message="", finished_at=None)
    with time_machine.travel(job.heartbeat_at + LEASE + timedelta(seconds=1)):
        assert services.import_jobs_fail_stale() == [job.pk]
    job.refresh_from_db()
    assert (job.status, job.committed, job.interrupted) == ("done", True, True)
    assert job.message == "数据已全部写入，但任务执行进程在收尾时中断，统计数字可能不完整"


def test_the_check_is_a_scheduled_job_and_runs_at_worker_start_up(start, monkeypatch):
    from zhaoshang.notify.management.commands import worker  # lazy: the command module is only needed here

    monkeypatch.setattr(EnterpriseImporter, "write", _killed)
    first, second = start(xlsx(rows(3))), start(xlsx(rows(3, start=10)))
    monkeypatch.undo()
    ImportJob.objects.filter(pk=first.pk).update(heartbeat_at=timezone.now() - LEASE - timedelta(seconds=1))
    monkeypatch.setattr(worker, "call_command", lambda *args, **kwargs: None)  # not the queue's endless loop
    worker.Command().handle(interval=1.0, tick=5.0, no_scheduler=True)
    assert ImportJob.objects.get(pk=first.pk).status == "failed"
    assert ImportJob.objects.get(pk=second.pk).status == "running"

    spec = scheduler.JOBS["interrupted_imports"]
    assert spec.default_schedule == "* * * * *"
    assert spec.func() == "没有中断的导入任务"
    with time_machine.travel(timezone.now() + LEASE + timedelta(seconds=1)):
        assert spec.func() == f"已结束 1 个执行进程中断的导入任务（编号 {second.pk}）"


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_keeps_beating_through_a_phase_that_reports_no_progress(users, monkeypatch):
    match = EnterpriseImporter.match
    beats = []

    def slow_match(self, job, actor, parsed):
        stamped = ImportJob.objects.values_list("heartbeat_at", flat=True).get(pk=job.pk)
        time.sleep(0.5)  # long matching: no progress written by the runner meanwhile
        beats.append(ImportJob.objects.values_list("heartbeat_at", flat=True).get(pk=job.pk) - stamped)
        return match(self, job, actor, parsed)

    monkeypatch.setattr(EnterpriseImporter, "match", slow_match)
    with override_settings(ZHAOSHANG_IMPORT_HEARTBEAT_SECONDS=0.05):
        job = services.import_start(
            actor=users["diankou"],
            kind="enterprises",
            mode="dry_run",
            upload=SimpleUploadedFile("企业.xlsx", xlsx(rows(3))),
        )
    job.refresh_from_db()
    assert job.status == "done" and len(beats) == 1
    assert beats[0] >= timedelta(seconds=0.3)
