"""Settings for the test suite: same as base, but fast hashing and isolated files."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, STORAGES

ZHAOSHANG_DEMO = False
# The production default whatever the environment says; sessions made by force_login are not asked (see
# accounts/two_factor.py), browser tests turn it off in their fixture unless they test it.
ZHAOSHANG_TWO_FACTOR_ROLES = frozenset({"sysadmin", "secadmin", "auditor", "leader"})
# Argon2 is slow by design; the hasher is not under test except where a test says so.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
INSTALLED_APPS = [*INSTALLED_APPS, "tests.testapp"]
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="zhaoshang-media-"))
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
ZHAOSHANG_FIELD_KEY = "00112233445566778899aabbccddeeff"
ZHAOSHANG_AUDIT_KEY = "test-audit-key-0123456789abcdef"
ZHAOSHANG_AUDIT_CHECKPOINT_LOG = str(Path(tempfile.mkdtemp(prefix="zhaoshang-audit-")) / "checkpoints.log")
ROOT_URLCONF = "tests.urls"
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="zhaoshang-static-"))
WHITENOISE_USE_FINDERS = True
ZHAOSHANG_SITE_URL = "http://testserver"
