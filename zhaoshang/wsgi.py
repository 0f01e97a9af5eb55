"""WSGI entry point. Production settings by default; the demo passes its own settings module."""

import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhaoshang.settings.production")

application = get_wsgi_application()


def _refuse_demo_passwords() -> None:
    """SECURITY.md item 4: production does not start while a demo account keeps the demo password."""
    if settings.ZHAOSHANG_DEMO:
        return
    from zhaoshang.core.checks import demo_passwords_refused  # deferred: imports models, so after Django is set up

    errors = demo_passwords_refused(None)
    if errors:
        raise ImproperlyConfigured(errors[0].msg)


_refuse_demo_passwords()
