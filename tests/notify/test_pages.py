"""The notify pages: channel settings (secrets never shown again), test message, delivery log with retry,
role defaults, jobs, and a user's own preferences. Only the 系统管理员 opens the 系统管理 pages."""

import pytest

from zhaoshang.core.models import ObjectChange
from zhaoshang.notify.models import ChannelConfig, Delivery, NotifyProfile, RoleDefault, ScheduledJob
from zhaoshang.notify.services import notify_users, outbox

from .conftest import DING_SECRET

ADMIN_PAGES = [
    "/notifications/channels/",
    "/notifications/channels/dingtalk/",
    "/notifications/deliveries/",
    "/notifications/defaults/",
    "/notifications/jobs/",
]


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_only_the_system_administrator_opens_the_system_pages(users, client_for, url):
    assert client_for(users["sysadmin"]).get(url).status_code == 200
    for name in ("leader", "center", "secadmin", "auditor"):
        assert client_for(users[name]).get(url).status_code == 403


def test_saving_a_channel_encrypts_its_secrets_and_never_shows_them_again(users, client_for, fake_http):
    client = client_for(users["sysadmin"])
    webhook = f"{fake_http.url}/robot/send?access_token=topsecret"
    response = client.post(
        "/notifications/channels/dingtalk/",
        {"action": "save", "enabled": "on", "webhook": webhook, "secret": DING_SECRET, "keyword": "招商"},
    )
    assert response.status_code == 302
    stored = ChannelConfig.objects.get(channel="dingtalk")
    assert stored.enabled and stored.options == {"keyword": "招商", "at_all": False}
    assert stored.secret_names == ["secret", "webhook"]
    assert "topsecret" not in stored.secrets_cipher and stored.secrets_cipher.startswith("sm4gcm2:")
    page = client.get("/notifications/channels/dingtalk/").content.decode()
    assert "topsecret" not in page and DING_SECRET not in page and "已保存，不再显示" in page
    change = ObjectChange.objects.filter(content_type__model="channelconfig").latest("id")
    assert "topsecret" not in str(change.after) and "secrets_cipher" not in str(change.after)
    # a blank secret keeps the stored value
    client.post("/notifications/channels/dingtalk/", {"action": "save", "enabled": "on", "keyword": "招商引资"})
    assert outbox.enabled_settings()["dingtalk"]["webhook"] == webhook


def test_a_channel_cannot_be_enabled_without_its_required_settings(users, client_for):
    response = client_for(users["sysadmin"]).post("/notifications/channels/wecom/", {"action": "save", "enabled": "on"})
    assert response.status_code == 200 and "启用前请填写" in response.content.decode()
    assert not ChannelConfig.objects.exists()


def test_the_test_button_sends_a_message_and_reports_a_failure(users, client_for, fake_http):
    client = client_for(users["sysadmin"])
    client.post(
        "/notifications/channels/wecom/",
        {"action": "save", "webhook": f"{fake_http.url}/cgi-bin/webhook/send?key=wk"},
    )
    page = client.post("/notifications/channels/wecom/", {"action": "test"}, follow=True).content.decode()
    assert "测试消息已发送" in page and len(fake_http.requests) == 1
    fake_http.fail_next = [(200, {"errcode": 93000, "errmsg": "invalid webhook url"})]
    page = client.post("/notifications/channels/wecom/", {"action": "test"}, follow=True).content.decode()
    assert "测试消息发送失败" in page and "93000" in page


def test_the_delivery_log_lists_failures_and_the_admin_retries_one(users, client_for, channels):
    channels["http"].fail_next = [(400, {})]
    notify_users([users["center"]], title="督办：癸项目", url="/projects/9/", level="urgent")
    outbox.process()
    failed = Delivery.objects.get(status="failed")
    client = client_for(users["sysadmin"])
    page = client.get("/notifications/deliveries/?status=failed").content.decode()
    assert "督办：癸项目" in page and "HTTP 400" in page
    client.post("/notifications/deliveries/?status=failed", {"delivery": failed.pk})
    failed.refresh_from_db()
    assert failed.status == "queued" and failed.attempts == 0
    client_for(users["leader"]).post("/notifications/deliveries/", {"delivery": failed.pk})  # 403, nothing changes
    failed.refresh_from_db()
    assert failed.status == "queued"


def test_role_defaults_and_a_users_own_choice(users, client_for):
    client_for(users["sysadmin"]).post(
        "/notifications/defaults/",
        {"role": "officer", "officer-ch_handoff_email": "on", "officer-ch_handoff_zzd": "on"},
    )
    officer = RoleDefault.objects.get(role="officer").channels
    assert officer["handoff"] == ["email", "zzd"] and officer["supervision"] == []
    client = client_for(users["center"])
    page = client.get("/notifications/settings/").content.decode()
    assert 'aria-label="交棒：浙政钉工作通知" id="id_ch_handoff_zzd" checked' in page
    client.post(
        "/notifications/settings/",
        {
            "own": "on",
            "ch_handoff_email": "on",
            "digest": "on",
            "quiet_start": "22:00",
            "quiet_end": "07:30",
            "zzd_account_id": "8807",
        },
    )
    profile = NotifyProfile.objects.get(user=users["center"])
    assert profile.channels["handoff"] == ["email"] and profile.digest and profile.zzd_account_id == "8807"
    assert str(profile.quiet_start) == "22:00:00"
    response = client.post("/notifications/settings/", {"quiet_start": "22:00"})
    assert "请同时填写开始和结束时间" in response.content.decode()
    assert NotifyProfile.objects.get(user=users["center"]).quiet_end is not None


def test_the_jobs_page_shows_each_job_and_changes_its_time(users, client_for):
    client = client_for(users["sysadmin"])
    page = client.get("/notifications/jobs/").content.decode()
    assert "线索时限检查与超时提醒" in page and "项目预警重算" in page
    client.post(
        "/notifications/jobs/",
        {"job": "check_lead_clocks", "check_lead_clocks-schedule": "15 7 * * 1-5", "check_lead_clocks-enabled": "on"},
    )
    assert ScheduledJob.objects.get(name="check_lead_clocks").schedule == "15 7 * * 1-5"
    page = client.post(
        "/notifications/jobs/", {"job": "check_lead_clocks", "check_lead_clocks-schedule": "nonsense"}, follow=True
    )
    assert "无效的 cron 表达式" in page.content.decode()
    assert ScheduledJob.objects.get(name="check_lead_clocks").schedule == "15 7 * * 1-5"
