"""FDI amounts are entered positive; a 减资 is the one amount the statistics count negative, by its form."""

from datetime import date
from decimal import Decimal

import pytest

from zhaoshang.core.errors import ValidationFailed
from zhaoshang.core.models import ObjectChange
from zhaoshang.enterprises.services import enterprise_create
from zhaoshang.stats import services
from zhaoshang.stats.models import FDIRecord


def state():
    return list(FDIRecord.all_objects.values_list("pk", "amount", "signed_amount")), ObjectChange.objects.count()


@pytest.fixture
def enterprise(users):
    return enterprise_create(actor=users["diankou"], data={"name": "示例外资企业有限公司"})


def test_a_negative_amount_is_refused_everywhere_and_a_decrease_still_counts_negative(users, enterprise, api_for):
    api = api_for(users["diankou"])
    before = state()
    base = {"date": "2026-03-02", "enterprise_id": enterprise.pk, "kind": "contract", "form": "decrease"}
    response = api.post("/api/v1/fdi-records", {**base, "amount": "-100"}, content_type="application/json")
    assert response.status_code == 422 and response.json()["fields"] == {"amount": ["必须大于 0"]}
    response = api.post(
        "/api/v1/fdi-records", {**base, "amount": "1", "date": "2101-01-01"}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["fields"] == {"date": ["日期 2101-01-01 超出合理范围（1800～2100 年）"]}
    with pytest.raises(ValidationFailed) as caught:
        services.record_create(
            actor=users["diankou"],
            enterprise=enterprise,
            data={"date": date(2026, 3, 2), "kind": "contract", "form": "new", "amount": Decimal("-5")},
        )
    assert caught.value.fields == {"amount": ["必须大于 0"]}
    assert state() == before

    decrease = api.post("/api/v1/fdi-records", {**base, "amount": "100"}, content_type="application/json")
    assert decrease.status_code == 201
    assert (Decimal(decrease.json()["amount"]), Decimal(decrease.json()["signed_amount"])) == (100, -100)
