"""The role × API-operation matrix, generated from the OpenAPI schema (SECURITY.md items 5 and 6).

Every operation of the schema is called as every role of ``core.roles`` (with a bearer token) and without
credentials. What a role should get follows from the capability the operation requires: its tag's
(``TAG_CAPABILITY``), a write's (``WRITE_CAPABILITY``), or the operation's own (``OPERATION_CAPABILITY``).
An operation added later under a known tag is covered without touching this file; a new tag must be
declared here (the test says so).

Expected outcomes:
- no credentials: 401 (public operations excepted);
- a role without the capability: 403, 404, or a 200 with an empty list (or 422 when validation of the
  empty body or missing parameters comes first); never data, never a change;
- a role with it: never 401/403 and never a server error.
Path ids are records of the 店口镇 officer made through each model's contract (tests/<app>/test_contract.py),
so that a refusal is tested against a record that exists.
"""

import json
import re

from django.test import Client

from zhaoshang.accounts.services import api_token_issue
from zhaoshang.api.main import api
from zhaoshang.core.models import ObjectChange
from zhaoshang.core.roles import Cap

PUBLIC = object()  # no credentials needed
LOGIN = None  # any authenticated user
TAG_CAPABILITY = {
    "系统": PUBLIC,
    "认证": PUBLIC,
    "账号": LOGIN,
    "组织单位": LOGIN,
    "企业库": Cap.BUSINESS_VIEW,
    "项目库": Cap.BUSINESS_VIEW,
    "线索": Cap.BUSINESS_VIEW,
    "经济运行分析": Cap.VIEW_STATS,
    "导入": Cap.IMPORT,
    "测试档案": Cap.BUSINESS_VIEW,
}
# Writes under a business tag need the right to change business records.
WRITE_CAPABILITY = {Cap.BUSINESS_VIEW: Cap.BUSINESS_CHANGE, Cap.VIEW_STATS: Cap.BUSINESS_CHANGE}
# Operations whose rule differs from their tag's and method's.
OPERATION_CAPABILITY = {
    "zhaoshang_enterprises_api_enterprise_check": Cap.BUSINESS_VIEW,  # a duplicate check is a read
    "zhaoshang_enterprises_api_contact_reveal": Cap.REVEAL_PERSONAL,
    "zhaoshang_leads_api_lead_claim": Cap.CLAIM_LEADS,
    "zhaoshang_projects_api_stage_list": LOGIN,  # the stage configuration (the 系统管理员 maintains it)
}
MISSING_ID = 987654321


def operations() -> list[dict]:
    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    found = []
    for path, methods in schema["paths"].items():
        for method, op in methods.items():
            found.append({"path": path, "method": method, "id": op["operationId"], "tags": op.get("tags", [])})
    return found


def declaration_problems(found: list[dict]) -> list[str]:
    return [
        f"{op['id']}: tag {op['tags']} has no declared capability (TAG_CAPABILITY in {__name__})"
        for op in found
        if not op["tags"] or op["tags"][0] not in TAG_CAPABILITY
    ]


def required(op: dict):
    if op["id"] in OPERATION_CAPABILITY:
        return OPERATION_CAPABILITY[op["id"]]
    capability = TAG_CAPABILITY[op["tags"][0]]
    if op["method"] != "get" and capability not in (PUBLIC, LOGIN):
        return WRITE_CAPABILITY.get(capability, capability)
    return capability


def address(op: dict, records: dict[str, int]) -> str:
    """The operation's path with ids of existing records (the collection's first segment names them)."""

    def fill(match):
        prefix = op["path"][: match.start()].rstrip("/")
        return str(records.get(prefix, MISSING_ID))

    return re.sub(r"\{(\w+)\}", fill, op["path"])


def _empty(response) -> bool:
    try:
        body = response.json()
    except ValueError:
        return False
    return body == [] or (isinstance(body, dict) and body.get("count") == 0 and body.get("results") == [])


def call(client: Client, op: dict, url: str):
    method = getattr(client, op["method"])
    if op["method"] == "get":
        return method(url)
    return method(url, json.dumps({}), content_type="application/json")


def probe(op: dict, user, records: dict[str, int]) -> list[str]:
    url = address(op, records)
    capability = required(op)
    if user is None:
        response = call(Client(raise_request_exception=False), op, url)
        if capability is not PUBLIC and response.status_code != 401:
            return [f"anonymous {op['id']}: {response.status_code}, expected 401"]
        return []
    token, _ = api_token_issue(user=user)
    client = Client(raise_request_exception=False, headers={"Authorization": f"Bearer {token}"})
    allowed = capability in (PUBLIC, LOGIN) or user.has_capability(capability)
    before = ObjectChange.objects.count()
    response = call(client, op, url)
    where = f"{user.role} {op['method'].upper()} {op['path']} ({capability if allowed else 'lacks ' + capability})"
    if response.status_code >= 500:
        return [f"{where}: {response.status_code}"]
    if allowed:
        return [f"{where}: {response.status_code}"] if response.status_code in (401, 403) else []
    problems = []
    # A call without its required body or parameters may be refused by validation (422) before the capability
    # check: it shows nothing and writes nothing (checked below); refusing a valid body is the contracts' test.
    if response.status_code not in (403, 404, 422) and not (response.status_code == 200 and _empty(response)):
        problems.append(f"{where}: {response.status_code}, expected 403, 404 or an empty list")
    if ObjectChange.objects.count() != before:
        problems.append(f"{where}: a refused call wrote change-log rows")
    return problems
