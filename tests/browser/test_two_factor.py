"""The second step of a leader's login in a browser: enrol by QR code, keep the recovery codes, then a code."""

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import PASSWORD, make_county, make_user
from zhaoshang.core.roles import TWO_FACTOR_ROLES

pytestmark = pytest.mark.browser


def _code(device: TOTPDevice, ahead: int = 0) -> str:
    """The app's code, ``ahead`` steps later (each code is accepted once; the next step's is within tolerance)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + ahead * device.step
    return f"{totp.token():06d}"


def _password(page, username: str) -> None:
    page.goto(f"{page.base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("[data-testid=login-submit]")


def test_a_leader_enrols_then_logs_in_with_a_code(page, transactional_db, settings, screenshot):
    settings.ZHAOSHANG_TWO_FACTOR_ROLES = TWO_FACTOR_ROLES  # the browser fixture turns it off for other tests
    county = make_county()
    leader = make_user("leader", "leader", county.root, full_name="赵书记")

    _password(page, "leader")
    page.wait_for_url(f"{page.base_url}/accounts/two-factor/enrol/")
    assert page.locator("[data-testid=two-factor-qr] svg").is_visible()
    assert page.locator("[data-testid=two-factor-secret]").inner_text().strip()
    screenshot(page, "two-factor-enrol")
    device = TOTPDevice.objects.get(user=leader, confirmed=False)
    page.fill("#id_code", _code(device))
    page.click("[data-testid=two-factor-submit]")
    assert page.locator("[data-testid=recovery-codes] li").count() == 10
    screenshot(page, "two-factor-recovery-codes")
    page.click("[data-testid=two-factor-continue]")
    page.wait_for_url(f"{page.base_url}/")

    page.click("[data-testid=user-menu]")
    page.click("[data-testid=logout]")
    page.wait_for_url("**/accounts/login/")
    _password(page, "leader")
    page.wait_for_url(f"{page.base_url}/accounts/two-factor/")
    page.goto(f"{page.base_url}/leads/")
    assert page.url.startswith(f"{page.base_url}/accounts/two-factor/")
    page.fill("#id_code", "000000" if "000000" not in {_code(device), _code(device, 1)} else "111111")
    page.click("[data-testid=two-factor-submit]")
    assert "动态口令不正确" in page.locator("[data-testid=form-errors]").inner_text()
    screenshot(page, "two-factor-verify")
    device.refresh_from_db()
    page.fill("#id_code", _code(device, 1))
    page.click("[data-testid=two-factor-submit]")
    page.wait_for_url(f"{page.base_url}/leads/")
    assert page.js_errors == []
