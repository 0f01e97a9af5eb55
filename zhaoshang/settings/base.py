"""Settings shared by every environment; each value comes from the environment where it differs.

Environment variables:
- ``DATABASE_URL``: defaults to SQLite (WAL) at ``var/zhaoshang.sqlite3``; ``postgres://…`` for PostgreSQL.
- ``SECRET_KEY``: required in production; generated once into ``var/secret_key`` otherwise.
- ``ZHAOSHANG_FIELD_KEY``: 32 hex characters (128-bit SM4 key) for encrypted fields; required in
  production, generated once into ``var/field_key`` otherwise.
- ``ZHAOSHANG_AUDIT_KEY``: signs the audit checkpoints; generated once into ``var/audit_key`` otherwise.
- ``ALLOWED_HOSTS``: comma-separated.
- ``REDIS_URL``: when set, the cache (and rate limits) use Redis; else the database cache.
- ``ZHAOSHANG_NUM_PROXIES``: reverse proxies in front of the platform (default 0; 1 behind nginx).
- ``ZHAOSHANG_DEMO``: ``1`` enables demo mode (demo data and fixed demo logins).
- ``ZHAOSHANG_TWO_FACTOR_ROLES``: comma-separated roles that must pass a TOTP second factor after the password
  (default ``sysadmin,secadmin,auditor,leader``; empty by default in demo mode, so its printed logins work).
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


def private_dir(path: Path) -> Path:
    """``path`` created if needed and readable by the platform's user only (0700): the SQLite database, the
    key files and the uploads live under it."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    if path.stat().st_uid == os.getuid():
        path.chmod(0o700)
    return path


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
    private_dir(VAR_DIR)
    path = VAR_DIR / name
    if not path.exists():
        path.write_text(generate())
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = env_bool("DEBUG")
ZHAOSHANG_DEMO = env_bool("ZHAOSHANG_DEMO")
SECRET_KEY = persistent_secret("secret_key", "SECRET_KEY", lambda: secrets.token_urlsafe(50))
ZHAOSHANG_FIELD_KEY = persistent_secret("field_key", "ZHAOSHANG_FIELD_KEY", lambda: secrets.token_hex(16))
# Keys a rotation moves away from (``zhaoshang rotate-field-key``): still accepted for reading, never for writing.
ZHAOSHANG_FIELD_KEYS_PREVIOUS = env_list("ZHAOSHANG_FIELD_KEYS_PREVIOUS")
# Signs the audit chains' checkpoints (core/audit_anchor.py); kept outside the database like the field key.
ZHAOSHANG_AUDIT_KEY = persistent_secret("audit_key", "ZHAOSHANG_AUDIT_KEY", lambda: secrets.token_hex(32))
ZHAOSHANG_AUDIT_CHECKPOINT_LOG = os.environ.get(
    "ZHAOSHANG_AUDIT_CHECKPOINT_LOG", str(VAR_DIR / "audit" / "checkpoints.log")
)
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
    "django_otp.plugins.otp_static",
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
    "zhaoshang.carriers",
    "zhaoshang.chains",
    "zhaoshang.stats",
    "zhaoshang.policies",
    "zhaoshang.network",
    "zhaoshang.imports",
    "zhaoshang.reviews",
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
    "zhaoshang.accounts.middleware.TwoFactorMiddleware",
    "zhaoshang.accounts.middleware.PasswordExpiryMiddleware",
    "zhaoshang.core.middleware.NoStoreMiddleware",
    "zhaoshang.core.middleware.ApplicationErrorMiddleware",
    "zhaoshang.core.middleware.AssignedOnlyMiddleware",
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
private_dir(VAR_DIR)  # the SQLite file itself is made 0600 on connection (core.apps)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'zhaoshang.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
        # a kept connection is checked before each request reuses it: after a database restart the first
        # request reconnects instead of failing on the dead connection
        conn_health_checks=True,
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
            # Redis, with the database cache answering while Redis is down (core/cache.py)
            "BACKEND": "zhaoshang.core.cache.FallbackRedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    }
else:
    # The database cache: rate-limit counters must be shared by every worker process (a per-process
    # memory cache would let each gunicorn worker count on its own). Its table is made by a migration.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "zhaoshang_cache",
            "OPTIONS": {"MAX_ENTRIES": 100000},
        }
    }

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
    "zhaoshang.accounts.security.AddressLimitBackend",
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
# SECURITY.md item 3: roles asked for a TOTP code (django-otp) after the password, on the login page and when a
# token is issued (accounts/two_factor.py). Demo mode leaves it empty unless the variable says otherwise.
ZHAOSHANG_TWO_FACTOR_ROLES = frozenset(
    env_list("ZHAOSHANG_TWO_FACTOR_ROLES", "" if ZHAOSHANG_DEMO else "sysadmin,secadmin,auditor,leader")
)
# Wrong codes (page or token) per account within AXES_COOLOFF_TIME before further codes are refused.
ZHAOSHANG_TWO_FACTOR_FAILURE_LIMIT = 5
OTP_TOTP_ISSUER = "智慧招商平台"
# django-otp's own per-device back-off (1 s, 2 s, 4 s … after each failure) is replaced by the per-account
# limit above, kept in the shared cache so that it holds across workers and for the token endpoint alike.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
ZHAOSHANG_PASSWORD_MAX_AGE_DAYS = int(os.environ.get("ZHAOSHANG_PASSWORD_MAX_AGE_DAYS", "90"))

AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
# A refused attempt (account locked, or its address over ZHAOSHANG_LOGIN_FAILURES_PER_ADDRESS) is not
# counted again: a sprayer that is already refused cannot go on locking other people's accounts.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "zhaoshang.accounts.security.lockout_response"
AXES_VERBOSE = False
# The one client-address rule (core/client.py), shared with the API throttles and the audit logs.
AXES_CLIENT_IP_CALLABLE = "zhaoshang.core.client.client_ip"  # None without an address (force_login)
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
# Uploads (imports, attachments) readable by the platform's user only.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

# --- the platform -------------------------------------------------------------------------------
ZHAOSHANG_AUDIT_RETENTION_DAYS = max(180, int(os.environ.get("ZHAOSHANG_AUDIT_RETENTION_DAYS", "180")))
# Uploads of imports that were not committed (dry runs, failures) are deleted after this many days.
ZHAOSHANG_IMPORT_RETENTION_DAYS = int(os.environ.get("ZHAOSHANG_IMPORT_RETENTION_DAYS", "7"))
# A running import stamps a heartbeat every ZHAOSHANG_IMPORT_HEARTBEAT_SECONDS; one whose stamp is older than
# ZHAOSHANG_IMPORT_LEASE_SECONDS lost its worker (killed, machine restarted) and is failed, to be re-run.
ZHAOSHANG_IMPORT_HEARTBEAT_SECONDS = int(os.environ.get("ZHAOSHANG_IMPORT_HEARTBEAT_SECONDS", "15"))
ZHAOSHANG_IMPORT_LEASE_SECONDS = int(os.environ.get("ZHAOSHANG_IMPORT_LEASE_SECONDS", "120"))
ZHAOSHANG_API_TOKEN_DAYS = int(os.environ.get("ZHAOSHANG_API_TOKEN_DAYS", "30"))
ZHAOSHANG_API_PAGE_SIZE_MAX = 200
# What an expert (a user who sees only what is assigned to him) may reach; everything else is a 404.
ZHAOSHANG_ASSIGNED_ONLY_PAGES = (
    "core:home",
    "accounts:login",
    "accounts:logout",
    "accounts:password_change",
    "accounts:profile",
    "accounts:two_factor_*",
    "notify:list",
    "notify:open",
    "notify:mark_read",
    "notify:read_all",
    "notify:preferences",
    "reviews:my_*",
)
ZHAOSHANG_ASSIGNED_ONLY_API = ("/api/v1/reviews", "/api/v1/auth/")
# 研判 drawing: a former employer within this many years is a conflict.
ZHAOSHANG_REVIEW_LOOKBACK_YEARS = int(os.environ.get("ZHAOSHANG_REVIEW_LOOKBACK_YEARS", "3"))
# Backups (``zhaoshang backup``): where they go and how many are kept (older ones are deleted).
ZHAOSHANG_BACKUP_DIR = Path(os.environ.get("ZHAOSHANG_BACKUP_DIR", VAR_DIR / "backups"))
ZHAOSHANG_BACKUP_KEEP = int(os.environ.get("ZHAOSHANG_BACKUP_KEEP", "14"))
# When the scheduled backup runs by default (cron, platform time zone): a quiet hour, before the other night jobs.
# The administrator may still change it on 系统管理 → 定时任务.
ZHAOSHANG_BACKUP_SCHEDULE = os.environ.get("ZHAOSHANG_BACKUP_SCHEDULE", "30 2 * * *")
ZHAOSHANG_TOKEN_RATE = os.environ.get("ZHAOSHANG_TOKEN_RATE", "10/m")
ZHAOSHANG_EXTRACT_RATE = os.environ.get("ZHAOSHANG_EXTRACT_RATE", "60/m")
ZHAOSHANG_EXTRACT_MAX_CHARS = 5000  # longer pasted text is refused with a message (422), never cut silently
# How many reverse proxies stand in front of the platform: 0 (default) takes the TCP peer as the client and
# ignores X-Forwarded-For; 1 behind an nginx that sets ``X-Forwarded-For $remote_addr`` (docs/deploy.md).
# One rule for the API throttles, django-axes and the audit logs (core/client.py).
ZHAOSHANG_NUM_PROXIES = int(os.environ.get("ZHAOSHANG_NUM_PROXIES", "0"))
NINJA_NUM_PROXIES = ZHAOSHANG_NUM_PROXIES  # ninja's own throttles, should anyone use them directly
# Password spraying: failed logins (page or token, any accounts) from one address within the lockout
# cool-off; beyond it the address is refused until the window passes. Generous, for offices behind one NAT.
ZHAOSHANG_LOGIN_FAILURES_PER_ADDRESS = int(os.environ.get("ZHAOSHANG_LOGIN_FAILURES_PER_ADDRESS", "30"))
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

# The platform's address as people outside it reach it: the link back in e-mail / 浙政钉 / robot messages.
ZHAOSHANG_SITE_URL = os.environ.get("ZHAOSHANG_SITE_URL", "http://127.0.0.1:8000")
