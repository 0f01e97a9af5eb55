"""Defect 2: uploads encrypted at rest with the field key, deleted once committed or abandoned
(retention setting), files 0600 in 0700 directories, the SQLite database 0600."""

import io
import stat
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from tests.imports.test_engine import rows, xlsx
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.imports import services
from zhaoshang.imports.models import ImportJob


@pytest.fixture
def start(users, django_capture_on_commit_callbacks):
    def _start(data: bytes, mode: str) -> ImportJob:
        with django_capture_on_commit_callbacks(execute=True):
            job = services.import_start(
                actor=users["diankou"], kind="enterprises", mode=mode, upload=SimpleUploadedFile("企业.xlsx", data)
            )
        job.refresh_from_db()
        return job

    return _start


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_waiting_upload_is_encrypted_private_and_read_back(start):
    data = xlsx(rows(3))
    job = start(data, "dry_run")
    assert job.status == "done" and job.total_rows == 3  # the engine read the encrypted file
    path = Path(job.file.path)
    raw = path.read_bytes()
    assert raw != data and not raw.startswith(b"PK")  # not the xlsx (a ZIP) in plain
    assert b"91330681" not in raw and "诸暨示例".encode() not in raw
    assert _mode(path) == 0o600
    assert _mode(path.parent) == 0o700


def test_committing_deletes_the_upload_and_the_dry_runs_copy(start, users, django_capture_on_commit_callbacks):
    dry = start(xlsx(rows(3)), "dry_run")
    dry_path = Path(dry.file.path)
    with django_capture_on_commit_callbacks(execute=True):
        commit = services.import_rerun(actor=users["diankou"], job=dry, mode="commit")
    commit.refresh_from_db()
    dry.refresh_from_db()
    assert commit.committed and Enterprise.objects.count() == 3
    assert not commit.file and not dry.file
    assert not dry_path.exists()


def test_a_failed_commit_keeps_its_file_for_the_retention_period_then_it_is_purged(start, settings):
    data = rows(3)
    data[1]["成立日期"] = "去年"
    job = start(xlsx(data), "commit")
    assert job.status == "done" and not job.committed and job.error_count == 1
    path = Path(job.file.path)
    assert path.exists()  # the user may still choose "import valid rows only"
    assert services.import_files_purge() == 0
    with time_machine.travel(timezone.now() + timedelta(days=settings.ZHAOSHANG_IMPORT_RETENTION_DAYS, hours=1)):
        out = io.StringIO()
        call_command("purge_import_files", stdout=out)
    assert "已删除 1 个上传文件" in out.getvalue()
    job.refresh_from_db()
    assert not path.exists() and not job.file
    assert job.errors and job.error_count == 1  # the error report outlives the file


def test_an_abandoned_dry_run_is_purged_after_the_retention_period(start, settings):
    settings.ZHAOSHANG_IMPORT_RETENTION_DAYS = 2
    job = start(xlsx(rows(2)), "dry_run")
    path = Path(job.file.path)
    later = timezone.now() + timedelta(days=1)
    assert services.import_files_purge(now=later) == 0 and path.exists()
    assert services.import_files_purge(now=later + timedelta(days=2)) == 1
    assert not path.exists()


def test_a_purged_job_cannot_be_rerun_and_says_so(start, users):
    job = start(xlsx(rows(2)), "dry_run")
    services.import_files_purge(now=timezone.now() + timedelta(days=30))
    job.refresh_from_db()
    with pytest.raises(Exception) as info:
        services.import_rerun(actor=users["diankou"], job=job, mode="commit")
    assert "重新上传" in info.value.message
    assert ImportJob.objects.count() == 1


def test_upload_and_var_settings_are_private():
    assert settings.FILE_UPLOAD_PERMISSIONS == 0o600
    assert settings.FILE_UPLOAD_DIRECTORY_PERMISSIONS == 0o700


def test_the_sqlite_database_file_is_made_private(tmp_path):
    from django.db.backends.signals import connection_created  # deferred: only this test sends the signal

    database = tmp_path / "db.sqlite3"
    database.write_bytes(b"")
    database.chmod(0o644)

    class FakeConnection:
        vendor = "sqlite"
        settings_dict = {"NAME": str(database)}

    connection_created.send(sender=None, connection=FakeConnection())
    assert _mode(database) == 0o600


def test_private_dir_is_0700(tmp_path):
    from zhaoshang.settings.base import private_dir  # deferred: the settings module's helper

    target = tmp_path / "var"
    target.mkdir(mode=0o755)
    target.chmod(0o755)
    private_dir(target)
    assert _mode(target) == 0o700
