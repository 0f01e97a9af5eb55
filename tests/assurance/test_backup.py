"""Backup and restore round trip (SECURITY.md item 18)."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import override_settings

from zhaoshang.core import backup
from zhaoshang.enterprises import services
from zhaoshang.enterprises.models import Enterprise


@pytest.fixture
def media(tmp_path):
    root = tmp_path / "media"
    (root / "imports").mkdir(parents=True)
    (root / "imports" / "a.csv").write_text("名称\n示例企业\n")
    with override_settings(MEDIA_ROOT=root):
        yield root


def test_round_trip_restores_rows_checksums_and_files(transactional_db, users, media, tmp_path):
    services.enterprise_create(actor=users["diankou"], data={"name": "备份前的企业有限公司"})
    folder = backup.backup(tmp_path / "backups", keep=3)
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["tables"]["enterprises_enterprise"]["rows"] == 1
    assert oct((folder / "manifest.json").stat().st_mode & 0o777) == "0o600"
    assert "00112233" not in (folder / "manifest.json").read_text()  # fingerprints, never the key
    # after the backup: a new record, a deleted file
    services.enterprise_create(actor=users["diankou"], data={"name": "备份后的企业有限公司"})
    (media / "imports" / "a.csv").unlink()
    assert backup.table_checksums() != manifest["tables"]

    assert backup.restore(folder) == {}
    assert backup.table_checksums() == manifest["tables"]
    assert list(Enterprise.objects.values_list("name", flat=True)) == ["备份前的企业有限公司"]
    assert (media / "imports" / "a.csv").read_text() == "名称\n示例企业\n"


def test_restore_refuses_a_corrupt_backup_or_another_field_key(transactional_db, users, media, tmp_path):
    folder = backup.backup(tmp_path / "backups")
    other_key = override_settings(ZHAOSHANG_FIELD_KEY="ffeeddccbbaa99887766554433221100")
    with other_key, pytest.raises(backup.BackupError, match="字段加密密钥"):
        backup.restore(folder)
    (folder / "media.tar.gz").write_bytes(b"broken")
    with pytest.raises(backup.BackupError, match="已损坏"):
        backup.restore(folder)
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(folder))


def test_retention_keeps_the_newest(transactional_db, media, tmp_path):
    made = [backup.backup(tmp_path / "b", keep=2) for _ in range(3)]
    assert sorted(p.name for p in (tmp_path / "b").iterdir()) == [made[1].name, made[2].name]


def test_the_scheduled_backup_runs_nightly_and_keeps_the_configured_number(transactional_db, media, tmp_path):
    from zhaoshang.notify import scheduler
    from zhaoshang.notify.models import ScheduledJob
    from zhaoshang.notify.services import jobs

    spec = scheduler.JOBS["backup"]
    assert spec.default_schedule == "30 2 * * *"  # ZHAOSHANG_BACKUP_SCHEDULE's default: a quiet hour
    with override_settings(ZHAOSHANG_BACKUP_DIR=tmp_path / "nightly", ZHAOSHANG_BACKUP_KEEP=2):
        jobs.sync_jobs()
        job = ScheduledJob.objects.get(name="backup")
        for _ in range(3):
            assert jobs.run_job(job)
    job.refresh_from_db()
    kept = sorted((tmp_path / "nightly").iterdir())
    assert job.last_ok and job.last_result == f"已备份到 {kept[-1]}"
    assert len(kept) == 2 and all((folder / "manifest.json").exists() for folder in kept)
    backup.verify(kept[-1])


def test_a_backup_made_before_a_key_rotation_restores_while_its_key_is_a_previous_key(
    transactional_db, media, tmp_path
):
    folder = backup.backup(tmp_path / "backups")
    old = "00112233445566778899aabbccddeeff"  # the test settings' key
    with override_settings(ZHAOSHANG_FIELD_KEY="ffeeddccbbaa99887766554433221100", ZHAOSHANG_FIELD_KEYS_PREVIOUS=[old]):
        assert backup.verify(folder)["engine"] == connection.vendor
    with (
        override_settings(ZHAOSHANG_FIELD_KEY="ffeeddccbbaa99887766554433221100", ZHAOSHANG_FIELD_KEYS_PREVIOUS=[]),
        pytest.raises(backup.BackupError, match="字段加密密钥"),
    ):
        backup.verify(folder)
