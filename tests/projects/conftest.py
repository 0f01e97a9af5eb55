from datetime import date

import pytest

from tests.factories import make_unit, make_user
from zhaoshang.projects import services
from zhaoshang.projects.stages import ensure_default_stages


@pytest.fixture
def departments(county):
    """The departments the default stages look for, in the test county."""
    return {
        "scjg": make_unit("市场监督管理局", "department", county.root, "zj-scjg"),
        "fgj": make_unit("发展和改革局", "department", county.root, "zj-fgj"),
        "zjj": make_unit("住房和城乡建设局", "department", county.root, "zj-zjj"),
        "jxj": make_unit("经济和信息化局", "department", county.root, "zj-jxj"),
        "zrzy": county.zrzy,
    }


@pytest.fixture
def stages(county, departments):
    return {s.code: s for s in ensure_default_stages(county.root)}


@pytest.fixture
def people(users, departments):
    return {
        **users,
        "scjg": make_user("scjg", "department", departments["scjg"]),
        "fgj": make_user("fgj", "department", departments["fgj"]),
        "zjj": make_user("zjj", "department", departments["zjj"]),
    }


@pytest.fixture
def make_project(people, stages):
    def _make(name="璞剑空气轴承项目", actor=None, on=date(2026, 3, 2), **data):
        return services.project_create(actor=actor or people["diankou"], data={"name": name, **data}, on=on)

    return _make


def tick_all(project, actor, on):
    run = services.open_run(project)
    for entry in run.entries.all():
        services.checklist_set(actor=actor, entry_id=entry.pk, done=True, on=on)
