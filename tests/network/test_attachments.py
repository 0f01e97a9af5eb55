"""Attachments of office activities: the import engine's upload rules, scope on download, removal by the unit that
keeps the activity, each change in the change log."""

import os
import stat
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zhaoshang.core.models import ObjectChange
from zhaoshang.imports import attachments as upload_rules
from zhaoshang.imports.files import MiB
from zhaoshang.network import services
from zhaoshang.network.models import ActivityAttachment

PDF = b"%PDF-1.4\n%visit minutes\n"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def activity(users, office):
    return services.activity_create(
        actor=users["office_sh"],
        data={"kind": "visit", "date": date(2026, 3, 5), "topic": "拜访中科智感", "enterprise_name": "中科智感"},
    )


def stored_files(root) -> list[str]:
    return sorted(name for _, _, names in os.walk(root) for name in names)


def post(client, activity, action, **data):
    response = client.post(reverse("network:action", args=["activity", activity.pk, action]), data, follow=True)
    return response, [str(m) for m in response.context["messages"]]


def test_upload_is_listed_and_downloadable_within_scope(users, activity, client_for, media):
    client = client_for(users["office_sh"])
    changes = ObjectChange.objects.count()
    page, said = post(client, activity, "attach", file=SimpleUploadedFile("拜访纪要.pdf", PDF))
    assert said == ["已上传附件“拜访纪要.pdf”"]
    attachment = ActivityAttachment.objects.get()
    assert (attachment.activity_id, attachment.name, attachment.kind, attachment.size) == (
        activity.pk,
        "拜访纪要.pdf",
        "pdf",
        len(PDF),
    )
    assert attachment.file.name.startswith("network/activities/") and "拜访" not in attachment.file.name
    assert stat.S_IMODE(os.stat(attachment.file.path).st_mode) == 0o600
    url = reverse("network:activity_attachment", args=[activity.pk, attachment.pk])
    assert url in page.content.decode()
    change = ObjectChange.objects.order_by("-id").first()
    assert ObjectChange.objects.count() == changes + 1
    assert (change.object_id, change.before, change.after) == (
        activity.pk,
        {"附件": []},
        {"附件": ["拜访纪要.pdf"]},
    )

    download = client.get(url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert "attachment" in download["Content-Disposition"]
    assert client_for(users["center"]).get(url).status_code == 200  # the 统筹单位 views every office's work
    assert client_for(users["datang"]).get(url).status_code == 404  # another unit: not there
    assert client_for(users["datang"]).get(activity.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "limit", "message"),
    [
        ("纪要.pdf", b"MZ\x90\x00 an executable", None, upload_rules.MSG_ATTACHMENT_TYPE),
        ("纪要.docx", PDF, None, "文件扩展名为 .docx，但内容实际是PDF 文件，请使用正确的扩展名（.pdf）后重新上传"),
        ("纪要.pdf", PDF + b"x" * MiB, MiB, "文件过大（1.1 MB），上限为 1 MB"),
    ],
)
def test_refused_file_stores_nothing(users, activity, client_for, media, monkeypatch, name, content, limit, message):
    if limit:
        monkeypatch.setattr(upload_rules, "ATTACHMENT_MAX_BYTES", limit)
    changes = ObjectChange.objects.count()
    _, said = post(client_for(users["office_sh"]), activity, "attach", file=SimpleUploadedFile(name, content))
    assert said == [message]
    assert ActivityAttachment.objects.count() == 0 and stored_files(media) == []
    assert ObjectChange.objects.count() == changes


def test_another_unit_cannot_remove_an_attachment(
    users, activity, client_for, media, django_capture_on_commit_callbacks
):
    photo = SimpleUploadedFile("照片.png", b"\x89PNG\r\n\x1a\n" + b"0" * 32)
    attachment = services.activity_attach(actor=users["office_sh"], activity=activity, upload=photo)
    path = attachment.file.path
    changes = ObjectChange.objects.count()
    outsider = client_for(users["datang"])  # another unit: it neither removes nor adds
    post(outsider, activity, "detach", attachment=attachment.pk)
    post(outsider, activity, "attach", file=SimpleUploadedFile("纪要.pdf", PDF))
    assert list(ActivityAttachment.objects.values_list("pk", flat=True)) == [attachment.pk] and os.path.exists(path)
    assert ObjectChange.objects.count() == changes and stored_files(media) == [os.path.basename(path)]
    with django_capture_on_commit_callbacks(execute=True):
        _, said = post(client_for(users["office_sh"]), activity, "detach", attachment=attachment.pk)
    assert said == ["已删除附件"]
    assert not ActivityAttachment.objects.exists() and not os.path.exists(path)
    change = ObjectChange.objects.order_by("-id").first()
    assert (change.before, change.after) == ({"附件": ["照片.png"]}, {"附件": []})
