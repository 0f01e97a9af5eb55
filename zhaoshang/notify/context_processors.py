from .models import Notification

BADGE_CAP = 100  # the bell shows "99+" beyond this: counting a leader's 80,000 unread rows costs every page


def unread(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    count = Notification.objects.filter(recipient=user, read_at__isnull=True)[:BADGE_CAP].count()
    return {"unread_notifications": count, "unread_notifications_capped": count >= BADGE_CAP}
