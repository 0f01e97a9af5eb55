from django.test import Client


def test_security_headers_on_pages(users, client_for):
    response = client_for(users["center"]).get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store, private"
    assert len(response["X-Request-ID"]) >= 8
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    script_src = next(part for part in csp.split(";") if part.strip().startswith("script-src"))
    assert "'self'" in script_src
    assert "unsafe-inline" not in script_src and "unsafe-eval" not in script_src


def test_pages_contain_no_inline_script():
    body = Client().get("/accounts/login/").content.decode()
    import re

    scripts = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", body)
    assert scripts == []


def test_login_page_is_public_and_has_csrf_protection(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403


def test_unknown_pages_answer_404_in_chinese(db):
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()
