from django.conf import settings

from .navigation import menu_for


def platform(request):
    user = getattr(request, "user", None)
    return {
        "demo_mode": settings.ZHAOSHANG_DEMO,
        "platform_name": "智慧招商平台",
        "navigation": menu_for(user, request.path) if user is not None and user.is_authenticated else [],
    }
