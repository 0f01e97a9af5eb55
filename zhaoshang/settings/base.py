"""Settings shared by every environment; each value comes from the environment where it differs.

Environment variables:
- ``DATABASE_URL``: defaults to SQLite (WAL) at ``var/zhaoshang.sqlite3``; ``postgres://…`` for PostgreSQL.
- ``SECRET_KEY``: required in production; generated once into ``var/secret_key`` otherwise.
- ``ZHAOSHANG_FIELD_KEY``: 32 hex characters (128-bit SM4 key) for encrypted fields; required in
  production, generated once into ``var/field_key`` otherwise.
- ``ALLOWED_HOSTS``: comma-separated.
- ``REDIS_URL``: when set, the cache (and rate limits) use Redis.
- ``ZHAOSHANG_DEMO``: ``1`` enables demo mode (demo data and fixed demo logins).
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF

PACKAGE_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PACKAGE_DIR.parent
VAR_DIR = Path(os.environ.get("ZHAOSHANG_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def persistent_secret(name: str, env_name: str, generate) -> str:
    """The secret from the environment, else one generated once and kept under ``var/``.

    Keeping it in ``var/`` means sessions and encrypted fields survive a restart of the demo.
    Production settings refuse this fallback and require the environment variable.
    """
    value = os.environ.get(env_name)
    if value:
        return value
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / name
    if not path.exists():
        path.write_text(generate())
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = env_bool("DEBUG")
ZHAOSHANG_DEMO = env_bool("ZHAOSHANG_DEMO")
SECRET_KEY = persistent_secret("secret_key", "SECRET_KEY", lambda: secrets.token_urlsafe(50))
ZHAOSHANG_FIELD_KEY = persistent_secret("field_key", "ZHAOSHANG_FIELD_KEY", lambda: secrets.token_hex(16))
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_filters",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "zhaoshang.core",
    "zhaoshang.accounts",
    "zhaoshang.notify",
    "zhaoshang.enterprises",
    "zhaoshang.projects",
    "zhaoshang.leads",
    "zhaoshang.stats",
    "zhaoshang.imports",
    "zhaoshang.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "zhaoshang.core.middleware.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "zhaoshang.accounts.middleware.PasswordExpiryMiddleware",
    "zhaoshang.core.middleware.NoStoreMiddleware",
    "zhaoshang.core.middleware.ApplicationErrorMiddleware",
    # Axes must be last: it turns a locked-out login into the lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "zhaoshang.urls"
WSGI_APPLICATION = "zhaoshang.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "zhaoshang.core.context_processors.platform",
                "zhaoshang.notify.context_processors.unread",
            ],
        },
    },
]

# --- database -------------------------------------------------------------------------------------
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'zhaoshang.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers work while one writer writes; IMMEDIATE takes the write lock at the start
        # of every transaction so that concurrent writers queue instead of failing half-way (this
        # also serialises appends to the audit hash chains).
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        # A 32 MB page cache per connection (SQLite's default is 2 MB): an import inserting 100,000 rows into
        # tables with a dozen indexes otherwise reads index pages back from the OS for every row.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA cache_size=-32768;"
        ),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache ----------------------------------------------------------------------------------------
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- background tasks -----------------------------------------------------------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# --- authentication and 等保 security (SECURITY.md) ----------------------------------------------
AUTH_USER_MODEL = "accounts.User"
# The org-unit tree (core refers to it by this name, never by import: core is the ground floor).
ZHAOSHANG_ORG_UNIT_MODEL = "accounts.OrgUnit"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "zhaoshang.accounts.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "zhaoshang.accounts.validators.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "zhaoshang.accounts.validators.NotUsernameValidator"},
]
ZHAOSHANG_PASSWORD_MAX_AGE_DAYS = int(os.environ.get("ZHAOSHANG_PASSWORD_MAX_AGE_DAYS", "90"))

AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "zhaoshang.accounts.security.lockout_response"
AXES_VERBOSE = False
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
# 等保 locks the account, not the address: offices share one NAT address, and locking it would lock
# out a whole town. axes.W006 warns about exactly this choice (docs/security.md).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = 30 * 60  # idle timeout: each request extends the session by 30 minutes
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        # ECharts tooltips and Bootstrap popovers set style attributes; attributes cannot run code.
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- internationalisation -------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
# The UI is Simplified Chinese whatever the browser asks for (no LocaleMiddleware): built-in
# messages must not switch to English next to our Chinese pages.
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [PACKAGE_DIR / "locale"]

# --- static files ---------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"

# --- the platform -------------------------------------------------------------------------------
ZHAOSHANG_AUDIT_RETENTION_DAYS = max(180, int(os.environ.get("ZHAOSHANG_AUDIT_RETENTION_DAYS", "180")))
ZHAOSHANG_API_TOKEN_DAYS = int(os.environ.get("ZHAOSHANG_API_TOKEN_DAYS", "30"))
ZHAOSHANG_API_PAGE_SIZE_MAX = 200
# Backups (``zhaoshang backup``): where they go and how many are kept (older ones are deleted).
ZHAOSHANG_BACKUP_DIR = Path(os.environ.get("ZHAOSHANG_BACKUP_DIR", VAR_DIR / "backups"))
ZHAOSHANG_BACKUP_KEEP = int(os.environ.get("ZHAOSHANG_BACKUP_KEEP", "14"))
ZHAOSHANG_TOKEN_RATE = os.environ.get("ZHAOSHANG_TOKEN_RATE", "10/m")
# Behind nginx, trust its X-Real-IP header for the client address in audit logs.
ZHAOSHANG_TRUST_X_REAL_IP = env_bool("ZHAOSHANG_TRUST_X_REAL_IP")
# Optional OpenAI-compatible endpoint for lead extraction (the offline extractor is the fallback).
ZHAOSHANG_LLM_URL = os.environ.get("ZHAOSHANG_LLM_URL", "")
ZHAOSHANG_LLM_KEY = os.environ.get("ZHAOSHANG_LLM_KEY", "")
ZHAOSHANG_LLM_MODEL = os.environ.get("ZHAOSHANG_LLM_MODEL", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
