from decimal import Decimal

import pytest

from tests.projects.conftest import departments, make_project, people, stages  # noqa: F401 (fixtures)
from zhaoshang.carriers import services
from zhaoshang.carriers.services import config


@pytest.fixture
def make_carrier(users):
    def _make(actor=None, name="店口镇工业地块", **data):
        values = {
            "kind": "parcel",
            "name": name,
            "area_mu": Decimal("80"),
            "latitude": Decimal("29.88"),
            "longitude": Decimal("120.30"),
            **data,
        }
        return services.carrier_create(actor=actor or users["diankou"], data=values)

    return _make


@pytest.fixture
def indicators(county):
    return {i.code: i for i in config.ensure_indicators(county.root.pk)}
