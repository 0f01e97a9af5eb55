import pytest

from zhaoshang.core.text import uscc_generate
from zhaoshang.enterprises import services


@pytest.fixture
def make_enterprise(users):
    """Create an enterprise through the service, as ``actor`` (default: the 店口镇 officer)."""

    def _make(name: str, actor=None, **data):
        return services.enterprise_create(actor=actor or users["diankou"], data={"name": name, **data})

    return _make


@pytest.fixture
def codes():
    return [uscc_generate(i) for i in range(50)]


@pytest.fixture(autouse=True)
def _forget_common_tokens():
    """The search index remembers which tokens it found common (per process); each test starts afresh."""
    from zhaoshang.core import search as core_search

    core_search._COMMON.clear()
    core_search._PG_STATS.clear()
    yield
    core_search._COMMON.clear()
    core_search._PG_STATS.clear()
