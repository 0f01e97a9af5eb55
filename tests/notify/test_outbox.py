"""The outbox: written with the notice, fanned out by preference, delivered once, retried with backoff,
rate limited, reconciled after a crash."""

from datetime import UTC, datetime, time, timedelta
from unittest import mock

import pytest
import time_machine
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from zhaoshang.accounts.models import User
from zhaoshang.notify.models import Delivery, Notification, NotifyProfile, OutboxMessage
from zhaoshang.notify.services import notify_many, notify_unit, notify_users, outbox
from zhaoshang.notify.services.config import profile_update, role_default_update

NOON = datetime(2026, 3, 2, 4, 0, tzinfo=UTC)  # 12:00 in 诸暨


@pytest.fixture
def reachable(users):
    for name in ("diankou", "datang", "zrzy", "center"):
        User.objects.filter(pk=users[name].pk).update(email=f"{name}@example.cn")
        users[name].refresh_from_db()
    return users


def test_a_notice_writes_the_bell_and_one_outbox_row_per_recipient_in_the_same_transaction(reachable):
    users = reachable
    notify_users([users["diankou"], users["datang"]], title="接棒：甲项目", url="/projects/1/", level="handoff")
    rows = list(OutboxMessage.objects.order_by("recipient_id"))
    assert [r.recipient_id for r in rows] == sorted([users["diankou"].pk, users["datang"].pk])
    assert {r.kind for r in rows} == {"handoff"} and len({r.dedupe_key for r in rows}) == 1
    assert Notification.objects.count() == 2
    with pytest.raises(RuntimeError), transaction.atomic():
        notify_users([users["diankou"]], title="回滚的通知")
        raise RuntimeError
    assert OutboxMessage.objects.count() == 2 and Notification.objects.count() == 2


def test_kinds_and_urgency_come_from_the_level_or_the_caller(reachable):
    users = reachable
    notify_users([users["diankou"]], title="督办：乙项目", level="urgent")
    notify_users([users["diankou"]], title="线索超时", level="warning", kind="overdue", dedupe_key="lead:9:overdue")
    first, second = OutboxMessage.objects.order_by("id")
    assert (first.kind, first.urgent) == ("supervision", True)
    assert (second.kind, second.urgent, second.dedupe_key) == ("overdue", False, "lead:9:overdue")


def test_notify_many_bulk_inserts_the_outbox_rows_too(reachable, django_assert_max_num_queries):
    users = reachable
    rows = [(users["diankou"].pk, "warning", f"预警{i}", "", f"/projects/{i}/") for i in range(1200)]
    with django_assert_max_num_queries(6):  # 3 INSERTs of 500 rows for each table
        assert notify_many(rows) == 1200
    assert OutboxMessage.objects.filter(kind="warning").count() == 1200
    assert Notification.objects.count() == 1200


def test_dispatch_follows_preferences_and_a_group_robot_gets_one_message_per_notice(reachable, channels):
    users = reachable
    profile_update(actor=users["datang"], data={"channels": {"handoff": ["email"]}})
    notify_unit(users["diankou"].org_unit, title="接棒：丙项目", url="/projects/3/", level="handoff")
    notify_users([users["datang"]], title="接棒：丙项目", url="/projects/3/", level="handoff")
    assert outbox.dispatch() == 2
    got = sorted(Delivery.objects.values_list("channel", "target"))
    assert got == [
        ("dingtalk", "group"),
        ("email", "datang@example.cn"),
        ("email", "diankou@example.cn"),
        ("wecom", "group"),
    ]  # no 浙政钉 account id: not reachable there; datang chose e-mail only
    assert outbox.dispatch() == 0


def test_delivery_sends_once_to_each_fake_server_with_valid_signatures(reachable, channels):
    users = reachable
    profile_update(actor=users["diankou"], data={"zzd_account_id": "8807"})
    notify_users(
        [users["diankou"]], title="接棒：丁项目", body="联系人 13812345678 已确认", url="/projects/4/", level="handoff"
    )
    outbox.process()
    outbox.process()
    http, smtp = channels["http"], channels["smtp"]
    (ding,) = http.on("/robot/send")
    assert ding["json"]["msgtype"] == "markdown" and "【招商】接棒：丁项目" in ding["json"]["markdown"]["text"]
    assert "13812345678" not in str(ding["json"]) and "联系人" not in str(ding["json"])  # a group gets no body
    assert "http://testserver/projects/4/" in ding["json"]["markdown"]["text"]
    (zzd,) = http.on("/message/workNotification")
    assert zzd["params"]["receiverIds"] == "8807" and zzd["params"]["tenantId"] == "196729"
    assert "13812345678" not in zzd["params"]["msg"] and "电话已隐去" in zzd["params"]["msg"]
    (wecom,) = http.on("/cgi-bin/webhook/send")
    assert wecom["json"]["msgtype"] == "markdown"
    (mail,) = smtp.messages
    assert mail["to"] == ["diankou@example.cn"] and "13812345678" not in mail["data"]
    assert "text/html" in mail["data"] and "text/plain" in mail["data"]
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}


def test_failures_are_retried_with_exponential_backoff_then_recorded_for_the_admin(reachable, channels):
    users = reachable
    http = channels["http"]
    http.fail_next = [(503, {})] * 10
    profile_update(actor=users["diankou"], data={"channels": {"supervision": ["dingtalk"]}})
    with time_machine.travel(NOON, tick=False) as clock:
        notify_users([users["diankou"]], title="督办：戊项目", url="/projects/5/", level="urgent", kind="supervision")
        outbox.dispatch()
        ding = Delivery.objects.get(channel="dingtalk")
        waits = []
        for attempt in range(1, outbox.MAX_ATTEMPTS + 1):
            assert outbox.deliver_one(
                Delivery.objects.select_related("message").get(pk=ding.pk), outbox.enabled_settings()
            )
            ding.refresh_from_db()
            assert ding.attempts == attempt
            if attempt < outbox.MAX_ATTEMPTS:
                assert ding.status == "queued" and "HTTP 503" in ding.last_error
                waits.append(ding.next_attempt_at - NOON)
                outbox.deliver_due()  # not due yet: nothing happens
                assert Delivery.objects.get(pk=ding.pk).attempts == attempt
                clock.move_to(ding.next_attempt_at)
    assert [w - waits[0] for w in waits] == [
        timedelta(0),
        timedelta(minutes=2),
        timedelta(minutes=6),
        timedelta(minutes=14),
        timedelta(minutes=30),
    ]
    assert ding.status == "failed"
    assert Notification.objects.filter(recipient=users["sysadmin"], title="消息投递失败：钉钉群机器人").count() == 1


def test_the_rate_limit_holds_dingtalk_to_20_a_minute(reachable, channels):
    users = reachable
    with time_machine.travel(NOON, tick=False) as clock:
        for i in range(25):
            notify_users([users["diankou"]], title=f"交棒{i}", url=f"/projects/{i}/", level="handoff")
        outbox.dispatch()
        outbox.deliver_due()
        assert len(channels["http"].on("/robot/send")) == 20
        assert Delivery.objects.filter(channel="dingtalk", status="queued").count() == 5
        clock.shift(timedelta(seconds=61))
        outbox.deliver_due()
    assert len(channels["http"].on("/robot/send")) == 25


def test_a_crash_between_send_and_mark_never_sends_twice(reachable, channels):
    users = reachable
    profile_update(actor=users["diankou"], data={"zzd_account_id": "8807"})
    http = channels["http"]
    with time_machine.travel(NOON, tick=False) as clock:
        notify_users([users["diankou"]], title="接棒：己项目", url="/projects/6/", level="handoff")
        outbox.dispatch()
        for channel in ("zzd", "dingtalk"):
            delivery = Delivery.objects.select_related("message").get(channel=channel)
            # the worker dies right after the receiver got the message, before marking it sent
            with (
                mock.patch.object(outbox, "_mark_sent", side_effect=SystemExit("worker killed")),
                pytest.raises(SystemExit),
            ):
                outbox.deliver_one(delivery, outbox.enabled_settings())
        crashed = Delivery.objects.filter(channel__in=["zzd", "dingtalk"])
        assert set(crashed.values_list("status", flat=True)) == {"sending"}
        outbox.deliver_due()  # within the lease: the other worker might still be sending
        assert len(http.on("/message/workNotification")) == 1
        clock.shift(outbox.LEASE + timedelta(seconds=1))
        outbox.deliver_due()
    zzd, ding = Delivery.objects.get(channel="zzd"), Delivery.objects.get(channel="dingtalk")
    assert zzd.status == "sent" and len(http.on("/message/workNotification")) == 2
    assert len(http.zzd_shown) == 1  # the same bizMsgId twice: the user sees one message
    assert ding.status == "unknown" and len(http.on("/robot/send")) == 1  # no idempotency: not sent again


def test_the_same_notice_raised_twice_is_delivered_once(reachable, channels):
    users = reachable
    for _ in range(2):
        notify_users([users["diankou"]], title="接棒：庚项目", url="/projects/7/", level="handoff")
        outbox.process()
    assert Notification.objects.filter(recipient=users["diankou"]).count() == 2  # the bell shows both
    assert len(channels["http"].on("/robot/send")) == 1 and len(channels["smtp"].messages) == 1


def test_quiet_hours_hold_ordinary_notices_but_not_urgent_ones(reachable, channels):
    users = reachable
    profile_update(actor=users["diankou"], data={"quiet_start": time(11, 0), "quiet_end": time(13, 30)})
    with time_machine.travel(NOON, tick=False) as clock:
        notify_users([users["diankou"]], title="新分派线索：甲", url="/leads/1/", level="task")
        notify_users([users["diankou"]], title="督办：辛项目", url="/projects/8/", level="urgent")
        outbox.process()
        assert [m["to"] for m in channels["smtp"].messages] == [["diankou@example.cn"]]
        assert "督办" in channels["smtp"].messages[0]["data"] or "=E7=9D=A3" in channels["smtp"].messages[0]["data"]
        held = Delivery.objects.get(message__title="新分派线索：甲")
        assert held.next_attempt_at == NOON + timedelta(minutes=90)
        clock.move_to(held.next_attempt_at)
        outbox.process()
    assert len(channels["smtp"].messages) == 2


def test_the_daily_digest_sends_one_message_listing_the_held_notices(reachable, channels):
    users = reachable
    profile_update(actor=users["diankou"], data={"digest": True})
    notify_users([users["diankou"]], title="新分派线索：甲", url="/leads/1/", level="task")
    notify_users([users["diankou"]], title="线索超时：乙", url="/leads/2/", level="warning", kind="overdue")
    outbox.process()
    assert channels["smtp"].messages == []
    assert set(Delivery.objects.filter(channel="email").values_list("status", flat=True)) == {"digest"}
    assert outbox.send_digests() == 1
    assert outbox.send_digests() == 0
    (mail,) = channels["smtp"].messages
    assert set(Delivery.objects.filter(channel="email").values_list("status", flat=True)) == {"sent"}
    assert "/leads/1/" in mail["data"] and "/leads/2/" in mail["data"]


def test_the_bell_receives_everything_even_with_no_channel(reachable):
    users = reachable
    NotifyProfile.objects.create(user=users["diankou"], channels={"handoff": []})
    notify_users([users["diankou"]], title="接棒：壬项目", level="handoff")
    outbox.process()
    assert Notification.objects.filter(recipient=users["diankou"]).count() == 1
    assert Delivery.objects.count() == 0


def test_dispatch_reads_preferences_once_per_batch_whatever_its_size(reachable, channels):
    users = reachable
    recipients = [users[n].pk for n in ("diankou", "datang", "zrzy", "center")]
    notify_many([(pk, "handoff", f"接棒{i}", "", f"/projects/{i}/") for i in range(50) for pk in recipients])
    with CaptureQueriesContext(connection) as queries:
        assert outbox.dispatch() == 200
    kinds = [q["sql"].split()[0] for q in queries.captured_queries]
    # configs, outbox rows with their recipients, profiles, role defaults; the INSERTs (batched); one UPDATE
    assert kinds.count("SELECT") == 4 and kinds.count("UPDATE") == 1
    assert Delivery.objects.filter(channel="email").count() == 200
    assert Delivery.objects.filter(channel="dingtalk").count() == 50  # one group message per notice


def test_the_role_default_applies_until_the_user_chooses(reachable, channels):
    users = reachable
    role_default_update(actor=users["sysadmin"], role="officer", channels={"handoff": ["email"]})
    profile_update(actor=users["datang"], data={"channels": {"handoff": ["wecom"]}})
    notify_users([users["diankou"], users["datang"]], title="接棒：癸项目", url="/projects/10/", level="handoff")
    outbox.dispatch()
    assert sorted(Delivery.objects.values_list("channel", "target")) == [
        ("email", "diankou@example.cn"),
        ("wecom", "group"),
    ]
