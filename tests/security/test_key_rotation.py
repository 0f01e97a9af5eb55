"""SECURITY.md item 10: the field key can be rotated. Every encrypted value (the ``*_cipher`` columns and the
encrypted uploads) is re-encrypted under the new key, in batches that resume after an interruption and never
encrypt a value twice; the old key stays readable (ZHAOSHANG_FIELD_KEYS_PREVIOUS) while the rotation runs."""

import base64
import io
import os
import re

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from tests.imports.test_engine import rows, xlsx
from zhaoshang.core import key_rotation
from zhaoshang.core.crypto import bytes_key_id, key_id, sm4_decrypt, token_key_id
from zhaoshang.core.models import FieldKeyRotation, SecurityEvent
from zhaoshang.enterprises import services as enterprises
from zhaoshang.enterprises.models import Contact
from zhaoshang.imports import services as imports
from zhaoshang.imports import uploads
from zhaoshang.imports.models import ImportJob

OLD = "00112233445566778899aabbccddeeff"  # the test settings' key
NEW = "ffeeddccbbaa99887766554433221100"
OTHER = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
PHONES = [f"1381234{i:04d}" for i in range(5)]
ROTATED = override_settings(ZHAOSHANG_FIELD_KEY=NEW, ZHAOSHANG_FIELD_KEYS_PREVIOUS=[OLD])
NEW_ONLY = override_settings(ZHAOSHANG_FIELD_KEY=NEW, ZHAOSHANG_FIELD_KEYS_PREVIOUS=[])
OLD_ONLY = override_settings(ZHAOSHANG_FIELD_KEY=OLD, ZHAOSHANG_FIELD_KEYS_PREVIOUS=[])


class Interrupted(Exception):
    pass


@pytest.fixture
def contacts(users):
    enterprise = enterprises.enterprise_create(actor=users["diankou"], data={"name": "密钥轮换测试有限公司"})
    return [
        enterprises.contact_create(
            actor=users["diankou"], enterprise=enterprise, data={"name": f"联系人{i}", "phone": p}
        )
        for i, p in enumerate(PHONES)
    ]


@pytest.fixture
def waiting_upload(users, django_capture_on_commit_callbacks):
    """A dry run's upload, kept encrypted for the import that follows."""
    with django_capture_on_commit_callbacks(execute=True):
        job = imports.import_start(
            actor=users["diankou"],
            kind="enterprises",
            mode="dry_run",
            upload=SimpleUploadedFile("企业.xlsx", xlsx(rows(3))),
        )
    job.refresh_from_db()
    assert job.file
    return job


def _ciphers() -> list[str]:
    return list(Contact.objects.order_by("pk").values_list("phone_cipher", flat=True))


def _legacy_token(plaintext: str, hex_key: str) -> str:
    """A value as written before key ids existed (``sm4gcm1:``)."""
    nonce = os.urandom(12)
    encryptor = Cipher(algorithms.SM4(bytes.fromhex(hex_key)), modes.GCM(nonce)).encryptor()
    body = encryptor.update(plaintext.encode()) + encryptor.finalize() + encryptor.tag
    return "sm4gcm1:" + base64.b64encode(nonce + body).decode()


def test_rotation_re_encrypts_every_value_and_file_under_the_new_key(contacts, waiting_upload):
    upload_plain = uploads.read(waiting_upload)
    assert {token_key_id(c) for c in _ciphers()} == {key_id(OLD)}
    with ROTATED:
        assert key_rotation.remaining() == {"enterprises.Contact.phone_cipher": 5, "imports.ImportJob.file": 1}
        run = key_rotation.rotate()
        assert key_rotation.remaining() == {}
    assert run.finished_at is not None and run.key_id == key_id(NEW)
    assert run.counts["enterprises.Contact.phone_cipher"] == 5 and run.counts["imports.ImportJob.file"] == 1
    stored = _ciphers()
    assert all(c.startswith(f"sm4gcm2:{key_id(NEW)}:") and not re.search(r"1\d{10}", c) for c in stored)
    blob = open(waiting_upload.file.path, "rb").read()  # noqa: SIM115, PTH123 - the raw file on disk
    assert bytes_key_id(blob) == key_id(NEW) and not blob.startswith(b"PK") and upload_plain[30:200] not in blob
    with NEW_ONLY:  # the old key is gone: everything still reads
        assert [c.reveal_phone() for c in Contact.objects.order_by("pk")] == PHONES
        assert uploads.read(ImportJob.objects.get(pk=waiting_upload.pk)) == upload_plain
    with OLD_ONLY, pytest.raises(ValueError, match="not configured"):
        sm4_decrypt(stored[0])
    events = SecurityEvent.objects.filter(kind="key_rotation").order_by("id")
    assert [(e.detail["step"], e.success) for e in events] == [("started", True), ("finished", True)]
    assert events[1].detail["counts"]["enterprises.Contact.phone_cipher"] == 5


def test_an_interrupted_rotation_resumes_and_never_encrypts_twice(contacts):
    seen = []

    def stop_after_the_first_batch(label, last, changed):
        seen.append((label, changed))
        raise Interrupted

    with ROTATED:
        with pytest.raises(Interrupted):
            key_rotation.rotate(batch_size=2, on_batch=stop_after_the_first_batch)
        half = _ciphers()
        assert [token_key_id(c) for c in half] == [key_id(NEW)] * 2 + [key_id(OLD)] * 3
        assert [c.reveal_phone() for c in Contact.objects.order_by("pk")] == PHONES  # mixed keys read meanwhile
        run = FieldKeyRotation.objects.get()
        assert run.finished_at is None and run.progress == {"enterprises.Contact.phone_cipher": contacts[1].pk}

        resumed = key_rotation.rotate(batch_size=2)
    assert resumed.pk == run.pk and resumed.finished_at is not None
    assert resumed.counts["enterprises.Contact.phone_cipher"] == 5  # 2 before the interruption, 3 after
    done = _ciphers()
    assert done[:2] == half[:2]  # the first batch was not touched again
    with NEW_ONLY:
        assert [sm4_decrypt(c) for c in done] == PHONES  # one decryption gives the phone: never encrypted twice
        again = key_rotation.rotate()  # a further run finds nothing to do
    assert sum(again.counts.values()) == 0 and _ciphers() == done
    steps = list(
        SecurityEvent.objects.filter(kind="key_rotation").order_by("id").values_list("detail__step", flat=True)
    )
    assert steps == ["started", "resumed", "finished", "started", "finished"]


def test_old_and_legacy_values_are_read_during_the_rotation(contacts):
    legacy = _legacy_token("13900001111", OLD)
    Contact.objects.filter(pk=contacts[0].pk).update(phone_cipher=legacy)
    with ROTATED:
        assert Contact.objects.get(pk=contacts[0].pk).reveal_phone() == "13900001111"
        assert Contact.objects.get(pk=contacts[1].pk).reveal_phone() == PHONES[1]  # under the old key
        contact = Contact.objects.get(pk=contacts[2].pk)
        contact.set_phone("13700002222")  # a write during the rotation uses the new key
        assert token_key_id(contact.phone_cipher) == key_id(NEW)
        key_rotation.rotate()
    with NEW_ONLY:
        assert Contact.objects.get(pk=contacts[0].pk).reveal_phone() == "13900001111"


def test_a_value_under_an_unknown_key_stops_the_run_with_a_message_and_keeps_the_batches_done(contacts):
    with override_settings(ZHAOSHANG_FIELD_KEY=OTHER):
        stranger = Contact()
        stranger.set_phone("13600003333")
    Contact.objects.filter(pk=contacts[3].pk).update(phone_cipher=stranger.phone_cipher)
    before = _ciphers()
    with ROTATED, pytest.raises(CommandError, match=f"无法解密 enterprises.Contact.phone_cipher #{contacts[3].pk}"):
        call_command("rotate_field_key", batch=2)
    after = _ciphers()
    assert after[2:] == before[2:]  # the batch holding the bad value changed nothing
    assert [token_key_id(c) for c in after[:2]] == [key_id(NEW)] * 2  # the batch before it is kept
    assert FieldKeyRotation.objects.get().progress == {"enterprises.Contact.phone_cipher": contacts[1].pk}


def test_plain_text_in_an_encrypted_column_is_encrypted(contacts):
    Contact.objects.filter(pk=contacts[0].pk).update(phone_cipher="13812340000")
    with ROTATED:
        key_rotation.rotate()
    assert not any(re.search(r"1\d{10}", c) for c in _ciphers())
    with NEW_ONLY:
        assert Contact.objects.get(pk=contacts[0].pk).reveal_phone() == "13812340000"


def test_the_command_checks_rotates_and_reports(contacts):
    out = io.StringIO()
    with ROTATED:
        call_command("rotate_field_key", check=True, stdout=out)
        assert "enterprises.Contact.phone_cipher：5 个值尚未使用当前密钥" in out.getvalue()
        call_command("rotate_field_key", stdout=out)
        assert f"密钥轮换完成（密钥标识 {key_id(NEW)}）：共重新加密 5 个值" in out.getvalue()
        call_command("rotate_field_key", check=True, stdout=out)
    assert out.getvalue().endswith("全部数据已使用当前密钥\n")
    generated = io.StringIO()
    call_command("rotate_field_key", generate=True, stdout=generated)
    assert re.fullmatch(r"[0-9a-f]{32}\n", generated.getvalue())


def test_every_encrypted_column_is_found():
    labels = {c.label for c in key_rotation.encrypted_columns() if not c.is_file}
    assert labels == {
        "carriers.Carrier.contact_phone_cipher",
        "carriers.CarrierSettings.tianditu_key_cipher",
        "enterprises.Contact.phone_cipher",
        "leads.Lead.contact_phone_cipher",
        "network.Intermediary.contact_phone_cipher",
        "notify.ChannelConfig.secrets_cipher",
        "reviews.Expert.phone_cipher",
    }
