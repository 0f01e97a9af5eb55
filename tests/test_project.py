"""Project rules checked by the test run itself (STYLE.md habit 10)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[1]


def test_system_checks_pass(db):
    call_command("check", fail_level="WARNING")


def test_no_missing_migrations(db):
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def _run(settings_module: str, *args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {
        k: v
        for k, v in os.environ.items()
        if k
        not in ("SECRET_KEY", "ALLOWED_HOSTS", "ZHAOSHANG_FIELD_KEY", "ZHAOSHANG_DEMO", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    environment.update(DJANGO_SETTINGS_MODULE=settings_module, **env)
    return subprocess.run(
        [sys.executable, "-m", "zhaoshang.cli", *args],
        cwd=ROOT,
        env=environment,  # noqa: S603
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION_ENV = {
    "SECRET_KEY": "a-production-secret-" + "x" * 50,
    "ALLOWED_HOSTS": "zhaoshang.example.gov.cn",
    "ZHAOSHANG_FIELD_KEY": "0123456789abcdef0123456789abcdef",
}


def test_production_settings_pass_the_deploy_check(tmp_path):
    result = _run(
        "zhaoshang.settings.production",
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        ZHAOSHANG_VAR_DIR=str(tmp_path),
        **PRODUCTION_ENV,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "ZHAOSHANG_FIELD_KEY"])
def test_production_refuses_to_start_without_secrets(tmp_path, missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = _run("zhaoshang.settings.production", "check", ZHAOSHANG_VAR_DIR=str(tmp_path), **env)
    assert result.returncode != 0
    assert f"生产环境必须设置环境变量 {missing}" in result.stderr


def test_production_refuses_demo_mode(tmp_path):
    result = _run(
        "zhaoshang.settings.production",
        "check",
        ZHAOSHANG_VAR_DIR=str(tmp_path),
        ZHAOSHANG_DEMO="1",
        **PRODUCTION_ENV,
    )
    assert result.returncode != 0
    assert "不得开启演示模式" in result.stderr


def test_demo_password_is_refused_outside_demo_mode(users):
    from zhaoshang.core.checks import DEMO_PASSWORD, demo_passwords_refused

    assert demo_passwords_refused(None) == []
    users["center"].set_password(DEMO_PASSWORD)
    users["center"].save()
    errors = demo_passwords_refused(None)
    assert [e.id for e in errors] == ["zhaoshang.E001"]
    assert "center" in errors[0].msg


def test_static_files_collect_with_the_manifest_storage(tmp_path):
    """``make demo`` and a deployment run collectstatic with whitenoise's manifest storage, which fails on a
    vendored stylesheet that points to a file not vendored with it (leaflet.css → images/layers.png)."""
    result = _run(
        "zhaoshang.settings.production",
        "collectstatic",
        "--noinput",
        "--verbosity",
        "0",
        ZHAOSHANG_VAR_DIR=str(tmp_path),
        **PRODUCTION_ENV,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "static" / "staticfiles.json").exists()
