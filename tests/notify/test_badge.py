from zhaoshang.notify.models import Notification


def make(user, n, read=False):
    from django.utils import timezone

    Notification.objects.bulk_create(
        [Notification(recipient=user, title=f"提醒{i}", read_at=timezone.now() if read else None) for i in range(n)]
    )


def badge(client):
    body = client.get("/").content.decode()
    start = body.find('data-testid="unread-count">')
    return None if start < 0 else body[start + len('data-testid="unread-count">') :].split("<", 1)[0]


def test_the_bell_counts_unread_notifications_and_caps_at_99_plus(users, client_for):
    user = users["diankou"]
    client = client_for(user)
    assert badge(client) is None
    make(user, 3)
    make(user, 5, read=True)
    make(users["datang"], 4)
    assert badge(client) == "3"
    make(user, 96)
    assert badge(client) == "99"
    make(user, 1)
    assert badge(client) == "99+"
