"""The 工作台's query budget per role: a fixed number of queries whatever the number of rows (a list of 8
rows costs what a list of 2 costs), and the number itself pinned so that a new N+1 shows up here."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhaoshang.leads import services as lead_services
from zhaoshang.notify.services import NotificationLevel, notify_users
from zhaoshang.projects import services as project_services

from .helpers import panels

# role → queries of one home page (session, user, security event, panels, the layout's menu and bell). The
# summary of leaders and 统筹单位 officers reads the last complete month and the current month's days so far
# (five statements more than a single period). A unit's obligations include the 领导批示 it has to answer.
# diankou and zrzy +1 with the 载体库: the changes panel asks once per business model whether the user holds
# shares of it.
BUDGET = {"diankou": 34, "zrzy": 30, "center": 42, "leader": 33, "expert1": 11}


def grow(n, *, people, county, make_lead, make_project, colleague, today):
    """n of everything each role's panels list."""
    for i in range(n):
        lead = make_lead(people["diankou"], f"店口线索{i}", next_followup_on=today)
        make_lead(people["center"], f"中心线索{i}", next_followup_on=today - timedelta(days=1))
        lead_services.lead_update(actor=colleague, lead=lead, data={"description": "补充"}, version=lead.version)
        project = make_project(name=f"项目{i}")
        project_services.problem_raise(
            actor=people["diankou"], project=project, title=f"问题{i}", owner_unit=county.zrzy, due_on=today
        )
        project.refresh_from_db()
        project_services.refresh_warning(project, today=date(2026, 6, 2))
        for role in BUDGET:
            notify_users([people[role]], title=f"提醒{i}", level=NotificationLevel.URGENT)


def home_queries(client) -> tuple[int, dict]:
    client.get("/")  # warm the content type cache, as a running server has it
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    return len(queries), panels(response)


@pytest.fixture
def clients(people, client_for, coordinating):
    return {role: client_for(people[role]) for role in BUDGET}


def test_home_page_queries_do_not_grow_with_rows(people, county, clients, make_lead, make_project, colleague, today):
    data = {
        "people": people,
        "county": county,
        "make_lead": make_lead,
        "make_project": make_project,
        "colleague": colleague,
        "today": today,
    }
    grow(2, **data)
    small = {role: home_queries(client) for role, client in clients.items()}
    grow(6, **data)
    large = {role: home_queries(client) for role, client in clients.items()}
    shown = {role: {key: len(p.rows) for key, p in large[role][1].items()} for role in BUDGET}
    assert shown["diankou"]["followups"] == 8 and shown["diankou"]["changes"] == 8
    assert shown["zrzy"]["obligations"] == 8 and shown["center"]["followups"] == 8
    assert shown["leader"]["supervision"] == 8 and shown["expert1"]["notices"] == 8
    assert {role: count for role, (count, _) in large.items()} == {role: count for role, (count, _) in small.items()}
    assert {role: count for role, (count, _) in large.items()} == BUDGET
