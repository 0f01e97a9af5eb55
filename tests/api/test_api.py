from datetime import timedelta

from django.test import Client
from django.utils import timezone

from tests.factories import PASSWORD
from zhaoshang.accounts.models import ApiToken
from zhaoshang.core.models import SecurityEvent


def _token(username, password=PASSWORD, client=None):
    client = client or Client()
    return client.post(
        "/api/v1/auth/token", {"username": username, "password": password}, content_type="application/json"
    )


def test_token_then_me(users):
    response = _token("diankou")
    assert response.status_code == 200
    token = response.json()["token"]
    assert token.startswith("zs_")
    assert not ApiToken.objects.filter(digest=token).exists()  # only the digest is stored
    me = Client(headers={"Authorization": f"Bearer {token}"}).get("/api/v1/me").json()
    assert me["username"] == "diankou"
    assert me["role"] == "officer" and me["role_label"] == "招商专员"
    assert me["org_unit"]["name"] == "店口镇"
    assert me["region"]["name"] == "诸暨市"
    assert SecurityEvent.objects.filter(kind="token_issued", username="diankou").count() == 1


def test_wrong_password_is_401_with_the_error_shape(users):
    response = _token("diankou", "nope-Nope1!")
    assert response.status_code == 401
    assert response.json() == {"code": "unauthenticated", "message": "用户名或密码不正确", "fields": {}}


def test_token_endpoint_validates_input(db):
    response = Client().post("/api/v1/auth/token", {"username": ""}, content_type="application/json")
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid"
    assert body["fields"] == {"username": ["长度不能少于 1 个字符"], "password": ["此项为必填项"]}


def test_malformed_json_is_422_not_500(db):
    response = Client().post("/api/v1/auth/token", "{not json", content_type="application/json")
    assert response.status_code in (400, 422)
    assert response.json()["code"] in ("invalid", "bad_request")


def test_token_endpoint_is_rate_limited(users):
    client = Client()
    # distinct names: the account lockout (5 failures per name) must not be what answers here
    codes = [_token(f"nobody{i}", "x", client).status_code for i in range(11)]
    assert codes[:10] == [401] * 10
    assert codes[10] == 429
    assert (
        client.post(
            "/api/v1/auth/token",
            {"username": "diankou", "password": PASSWORD},
            content_type="application/json",
        ).json()["code"]
        == "rate_limited"
    )


def test_locked_account_gets_429_from_the_token_endpoint(users, settings):
    settings.ZHAOSHANG_TOKEN_RATE = "100/m"
    for _ in range(5):
        Client().post(
            "/api/v1/auth/token",
            {"username": "datang", "password": "bad-Password1"},
            content_type="application/json",
        )
    response = Client().post(
        "/api/v1/auth/token", {"username": "datang", "password": PASSWORD}, content_type="application/json"
    )
    assert response.status_code == 429
    assert response.json()["code"] == "locked"


def test_requests_without_auth_are_401(db):
    for path in ("/api/v1/me", "/api/v1/org-units"):
        response = Client().get(path)
        assert response.status_code == 401
        assert response.json()["code"] == "unauthenticated"


def test_invalid_or_revoked_token_is_401(users, api_for):
    assert Client(headers={"Authorization": "Bearer zs_forged"}).get("/api/v1/me").status_code == 401
    token_record = ApiToken.objects.create(
        user=users["diankou"],
        digest=ApiToken.digest_of("zs_old"),
        prefix="old",
        expires_at=timezone.now() - timedelta(days=1),
    )
    assert token_record.is_valid is False
    assert Client(headers={"Authorization": "Bearer zs_old"}).get("/api/v1/me").status_code == 401


def test_session_auth_works_for_pages_calling_the_api(users, client_for):
    assert client_for(users["center"]).get("/api/v1/me").json()["username"] == "center"


def test_org_units_are_the_users_region_in_tree_order(users, other_county, api_for):
    units = api_for(users["diankou"]).get("/api/v1/org-units").json()
    names = [u["name"] for u in units]
    assert names[0] == "诸暨市"
    assert "示例县" not in names
    assert {u["region_id"] for u in units} == {users["diankou"].org_unit.region_id}
    towns = api_for(users["diankou"]).get("/api/v1/org-units", {"kind": "town"}).json()
    assert [u["name"] for u in towns] == ["大唐街道", "店口镇"]
    assert towns[0]["kind_label"] == "镇街"


def test_health_is_public(db):
    body = Client().get("/api/v1/health").json()
    assert body["status"] == "ok"
    assert body["database"] in ("sqlite", "postgresql")


def test_unknown_api_path_is_404_json(db):
    response = Client().get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_api_answers_are_not_cached(users, api_for):
    assert api_for(users["center"]).get("/api/v1/me")["Cache-Control"] == "no-store, private"


def test_docs_list_the_endpoints(db):
    assert Client().get("/api/v1/docs").status_code == 200
    schema = Client().get("/api/v1/openapi.json").json()
    paths = set(schema["paths"])
    assert {"/api/v1/auth/token", "/api/v1/me", "/api/v1/org-units", "/api/v1/health"} <= paths
