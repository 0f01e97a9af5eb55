"""Production: gunicorn behind nginx (TLS), PostgreSQL, Redis. Secrets must come from the environment."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool, env_list

for required in ("SECRET_KEY", "ALLOWED_HOSTS", "ZHAOSHANG_FIELD_KEY"):
    if not os.environ.get(required):
        raise ImproperlyConfigured(f"生产环境必须设置环境变量 {required}")

if env_bool("ZHAOSHANG_DEMO"):
    raise ImproperlyConfigured("生产环境不得开启演示模式（ZHAOSHANG_DEMO）")

DEBUG = False
ZHAOSHANG_DEMO = False
SECRET_KEY = os.environ["SECRET_KEY"]
ZHAOSHANG_FIELD_KEY = os.environ["ZHAOSHANG_FIELD_KEY"]
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"

if os.environ.get("REDIS_URL"):
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
