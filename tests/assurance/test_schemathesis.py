"""schemathesis against the OpenAPI schema (SECURITY.md item 9), as a town's officer and as an outsider.

Every operation gets a few generated requests (bounded: ``max_examples``, derandomised so that CI is
repeatable): no answer is a server error, every answer matches the schema (status code, body), and the
outsider, an officer of another county, never reads a record of this county.
"""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.base import ContractBase
from tests.core.test_contract import contract_classes
from tests.factories import make_county, make_user
from zhaoshang.accounts.services import api_token_issue

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
# The token endpoint is rate-limited and its own tests cover it; generated logins would only lock accounts.
schema = schema.exclude(path="/api/v1/auth/token")
EXAMPLES = settings(
    max_examples=2,
    phases=[Phase.generate],  # the schema's explicit examples are the unit tests' business
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
# status_code_conformance is left out until the schema documents 400 (a body that is not JSON answers 400,
# which no operation declares): a finding reported in issue 19, not a server error.
CHECKS = [not_a_server_error, response_schema_conformance]
SECRET = "机密示例"  # in every record's text: the outsider must never see it


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """schemathesis calls the WSGI application directly, so Django's request signals close the database
    connection after each call — on PostgreSQL that is the test's transaction. Django's test client
    disconnects the same handler while it runs; so do these tests."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(scope="module")
def world(module_db):
    """Built once for the module (``module_db``: each case runs in a savepoint rolled back after it, so a
    generated DELETE or PATCH never reaches the next case): the 店口镇 officer, owner of one record per model
    with an API, and the outsider, an officer of another county; bearer headers of each."""
    with module_db.unblock():
        county, other_county = make_county(), make_county("示例县", prefix="sl")
        user = make_user("diankou", "officer", county.diankou)
        for cls in contract_classes():
            if cls.api_path and issubclass(cls, ContractBase):
                contract = cls()
                contract.make(user, 1, **{contract.text_field: f"{SECRET}{cls.__name__}"})
        return {"officer": _bearer(user), "outsider": _bearer(make_user("outsider", "officer", other_county.diankou))}


def _bearer(user) -> dict:
    token, _ = api_token_issue(user=user)
    return {"Authorization": f"Bearer {token}"}


@schema.parametrize()
@EXAMPLES
def test_api_as_officer(case, world, db):
    case.call_and_validate(headers=world["officer"], checks=CHECKS)


@schema.parametrize()
@EXAMPLES
def test_api_as_outsider(case, world, db):
    response = case.call_and_validate(headers=world["outsider"], checks=CHECKS)
    assert SECRET not in response.content.decode(errors="replace")
