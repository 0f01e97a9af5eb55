"""The role × API-operation matrix, generated from the OpenAPI schema (SECURITY.md items 5 and 6).

Every operation of the schema is called as every role of ``core.roles`` (with a bearer token) and without
credentials. What a role should get follows from what the operation declares (``api/capabilities.py``:
``@requires``, ``@requires_any``, ``router_requires``, or the business default by method), as the page matrix
follows the view's ``capability``; an operation without ``security`` in the schema is public. An operation
added later is covered without touching this file.

Expected outcomes:
- no credentials: 401 (public operations excepted);
- a role without the capability: 403 (404 where the expert-only guard hides the address, or a 200 with an
  empty list); never data, never a change;
- a role with it: never 401/403 and never a server error.
Path ids are records of the 店口镇 officer made through each model's contract (tests/<app>/test_contract.py),
so that a refusal is tested against a record that exists.
"""

import json
import re

from django.test import Client

from zhaoshang.accounts.services import api_token_issue
from zhaoshang.api.capabilities import AnyOf, operation_capabilities, satisfies
from zhaoshang.api.main import api
from zhaoshang.core.models import ObjectChange

PUBLIC = "public"
MISSING_ID = 987654321


def _view_funcs() -> dict[str, object]:
    """operationId -> the operation's view function (what carries its declared capabilities)."""
    found = {}
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                found[api.get_openapi_operation_id(operation)] = operation.view_func
    return found


def operations() -> list[dict]:
    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    views = _view_funcs()
    found = []
    for path, methods in schema["paths"].items():
        for method, op in methods.items():
            public = not op.get("security")
            found.append(
                {
                    "path": path,
                    "method": method,
                    "id": op["operationId"],
                    "tags": op.get("tags", []),
                    "requires": PUBLIC if public else operation_capabilities(views[op["operationId"]], method),
                }
            )
    return found


def declaration_problems(found: list[dict]) -> list[str]:
    """Operations the matrix cannot judge: without a tag (the API's reference groups them by tag)."""
    return [f"{op['id']}: no tag" for op in found if not op["tags"]]


def required(op: dict):
    return op["requires"]


def _label(required) -> str:
    if required == PUBLIC:
        return "public"
    if not required:
        return "any user"
    return (" or " if isinstance(required, AnyOf) else " and ").join(required)


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
        if capability != PUBLIC and response.status_code != 401:
            return [f"anonymous {op['id']}: {response.status_code}, expected 401"]
        return []
    token, _ = api_token_issue(user=user)
    client = Client(raise_request_exception=False, headers={"Authorization": f"Bearer {token}"})
    allowed = capability == PUBLIC or satisfies(user, capability)
    before = ObjectChange.objects.count()
    response = call(client, op, url)
    where = f"{user.role} {op['method'].upper()} {op['path']} ({'' if allowed else 'lacks '}{_label(capability)})"
    if response.status_code >= 500:
        return [f"{where}: {response.status_code}"]
    if allowed:
        return [f"{where}: {response.status_code}"] if response.status_code in (401, 403) else []
    problems = []
    # The capability is checked before the input is read (api/capabilities.enforce): never a 422 here.
    if response.status_code not in (403, 404) and not (response.status_code == 200 and _empty(response)):
        problems.append(f"{where}: {response.status_code}, expected 403, 404 or an empty list")
    if ObjectChange.objects.count() != before:
        problems.append(f"{where}: a refused call wrote change-log rows")
    return problems
