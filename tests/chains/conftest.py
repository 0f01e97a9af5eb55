import json
from pathlib import Path

import pytest

from zhaoshang.chains import services
from zhaoshang.chains.models import Chain

FIXTURE = Path(__file__).parent / "fixtures" / "mini_chain.json"


def mini_data() -> dict:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


@pytest.fixture
def chains(county, users):
    """The mini fixture's chains in the test county; the center is the 统筹单位 (its officers edit chains)."""
    county.center.is_coordinating = True
    county.center.save(update_fields=["is_coordinating"])
    users["center"].org_unit.refresh_from_db()
    services.load_reference_chains(region=county.root, data=mini_data())
    return {c.code: c for c in Chain.objects.filter(region=county.root)}


def node(chain: Chain, code: str):
    return chain.nodes.get(code=code)
