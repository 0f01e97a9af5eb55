"""Unread notices (督办 and 交棒 first, one click to mark read) and the records others changed."""

from zhaoshang.core.models import SecurityEvent
from zhaoshang.leads import services as lead_services
from zhaoshang.notify.models import Notification
from zhaoshang.notify.services import NotificationLevel, notify_users

from .helpers import panels


def test_unread_notices_come_most_pressing_first(users, client_for):
    me = users["diankou"]
    for level, title in (
        (NotificationLevel.INFO, "通知"),
        (NotificationLevel.URGENT, "列入督办：甲项目"),
        (NotificationLevel.WARNING, "预警提醒：乙项目"),
        (NotificationLevel.HANDOFF, "接棒：丙项目 进入“注册”阶段"),
        (NotificationLevel.TASK, "新分派线索：丁"),
        (NotificationLevel.URGENT, "列入督办：戊项目"),
    ):
        notify_users([me], title=title, level=level)
    notify_users([users["datang"]], title="别人的通知", level=NotificationLevel.URGENT)
    Notification.objects.filter(title="通知").update(read_at="2026-01-01T00:00:00Z")
    notices = panels(client_for(me).get("/"))["notices"]
    assert [(r.badge, r.text) for r in notices.rows] == [
        ("督办", "列入督办：戊项目"),
        ("督办", "列入督办：甲项目"),
        ("交棒", "接棒：丙项目 进入“注册”阶段"),
        ("待办", "新分派线索：丁"),
        ("预警", "预警提醒：乙项目"),
    ]
    assert notices.total == 5


def test_mark_a_notice_read_in_one_click_and_back_to_the_workbench(users, client_for):
    me, other = users["diankou"], users["datang"]
    notify_users([me], title="接棒：丙项目", level=NotificationLevel.HANDOFF)
    notify_users([other], title="别人的", level=NotificationLevel.URGENT)
    mine, theirs = Notification.objects.get(recipient=me), Notification.objects.get(recipient=other)
    client = client_for(me)
    [row] = panels(client.get("/"))["notices"].rows
    response = client.post(row.action_url, dict(row.action_fields))
    assert response.status_code == 302 and response["Location"] == "/"
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert panels(client.get("/"))["notices"].rows == []
    # another user's notice is not mine to mark
    client.post(f"/notifications/{theirs.pk}/read/", {"next": "/"})
    theirs.refresh_from_db()
    assert theirs.read_at is None
    # a foreign "next" is not followed
    notify_users([me], title="再来一条")
    assert client.post("/notifications/read-all/", {"next": "https://example.com/"})["Location"] == "/notifications/"
    assert not Notification.objects.filter(recipient=me, read_at__isnull=True).exists()


def test_records_others_changed_since_my_previous_login(users, client_for, make_lead, colleague):
    me = users["diankou"]
    first = make_lead(me, "铜材深加工项目")
    second = make_lead(me, "五金管业项目")
    theirs = make_lead(users["datang"], "袜业项目")
    lead_services.lead_update(actor=colleague, lead=first, data={"site_needs": "登录前的改动"}, version=first.version)
    client_for(me)  # the previous login
    first.refresh_from_db()
    lead_services.lead_update(actor=colleague, lead=first, data={"site_needs": "需用地 50 亩"}, version=first.version)
    for text in ("二期", "三期"):
        second.refresh_from_db()
        lead_services.lead_update(actor=colleague, lead=second, data={"description": text}, version=second.version)
    second.refresh_from_db()
    lead_services.lead_update(actor=me, lead=second, data={"grade": "A"}, version=second.version)  # my own
    lead_services.lead_update(actor=users["datang"], lead=theirs, data={"description": "x"}, version=theirs.version)
    client = client_for(me)
    assert SecurityEvent.objects.filter(user=me, kind="login").count() == 2
    changes = panels(client.get("/"))["changes"]
    assert changes.note.startswith("自上次登录（")
    assert [(r.text, r.badge, r.url) for r in changes.rows] == [
        ("线索 · 五金管业项目", "2 次改动", f"/leads/{second.pk}/"),
        ("线索 · 铜材深加工项目", "修改", f"/leads/{first.pk}/"),
    ]
    assert changes.rows[1].detail.startswith("店口同事 修改：选址要求 · ")
    assert changes.total == 2
