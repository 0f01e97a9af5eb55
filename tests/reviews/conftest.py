from datetime import date
from decimal import Decimal

import pytest

from tests.factories import make_user
from tests.projects.conftest import departments, people, stages, tick_all  # noqa: F401
from zhaoshang.core.models import Industry
from zhaoshang.enterprises.services import enterprise_create
from zhaoshang.projects import services as project_services
from zhaoshang.reviews import services
from zhaoshang.reviews.models import Rubric

ON = date(2026, 3, 2)


@pytest.fixture
def investor(users):
    return enterprise_create(actor=users["diankou"], data={"name": "海亮集团有限公司", "short_name": "海亮"})


@pytest.fixture
def at_review(people, stages, investor):  # noqa: F811
    """A project of 店口镇 by 海亮集团 at the 研判 stage (3841 锂离子电池制造, 100 亩)."""
    project = project_services.project_create(
        actor=people["diankou"],
        data={
            "name": "海亮新能源电池材料项目",
            "investor": investor,
            "industry": Industry.objects.get(code="3841"),
            "total_investment": Decimal("50000"),
            "fixed_asset_investment": Decimal("35000"),
            "land_mu": Decimal("100"),
            "annual_tax": Decimal("3500"),
            "annual_output": Decimal("60000"),
            "description": "海亮集团拟投资建设电池材料生产线，海亮股份负责运营。",
        },
        on=ON,
    )
    tick_all(project, people["diankou"], ON)
    return project_services.project_advance(actor=people["diankou"], project=project, on=ON)


@pytest.fixture
def rubric(county):
    services.ensure_starting_rubrics(county.root)
    return Rubric.objects.get(region=county.root, name="亩均论英雄项目评分表")


def make_expert(actor, name, codes=("38",), user=None, **data):
    return services.expert_create(
        actor=actor, data={"name": name, "industries": list(codes), "user": user, "org_unit": actor.org_unit, **data}
    )


@pytest.fixture
def pool(users, county):
    """Eight experts of 电气机械 (38) kept by the center; the first one logs in as ``expert1``, the others have
    their own logins (expert2…expert8)."""
    center = users["center"]
    experts = [make_expert(center, "郑教授", user=users["expert1"], employer="浙江大学")]
    for i in range(2, 9):
        login = make_user(f"expert{i}", "expert", county.center)
        experts.append(make_expert(center, f"专家{i}", user=login, employer=f"研究院{i}"))
    return experts


def login_of(expert):
    return expert.user


def full_sheet(review, value="12", veto="0"):
    """Scores for every expert-scored item of the review's sheet (and 未触及 for expert-judged vetoes)."""
    entries = {}
    for item in review.rubric_version.items():
        if item["kind"] == "score":
            entries[item["code"]] = {"value": value, "comment": "符合要求"}
        elif item["kind"] == "veto" and not item.get("indicator"):
            entries[item["code"]] = {"value": veto, "comment": ""}
    return entries


def start(actor, project, rubric, n=5, **extra):
    return services.review_create(
        actor=actor, data={"project_id": project.pk, "rubric_id": rubric.pk, "experts": n, **extra}
    )


def confirm_all(review):
    for a in review.assignments.filter(status="invited").select_related("expert__user"):
        services.commitment_sign(actor=a.expert.user, review_id=review.pk)
