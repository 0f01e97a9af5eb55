"""Pages show labels and names, not field names and ids (issue #12)."""

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.projects.conftest import tick_all
from zhaoshang.core.models import ObjectChange
from zhaoshang.projects import services

MONDAY = date(2026, 3, 2)


def test_stage_configuration_shows_the_required_fields_labels(stages, people, client_for):
    assert stages["review"].required_fields == ["industry", "total_investment"]
    body = client_for(people["sysadmin"]).get("/projects/stages/").content.decode()
    assert "国民经济行业、总投资（万元）" in body
    assert "total_investment" not in body and "industry、" not in body


def test_audit_changes_show_labels_names_and_choice_labels(make_project, people, stages, client_for):
    project = make_project()
    tick_all(project, people["diankou"], MONDAY)
    services.project_advance(actor=people["diankou"], project=project, on=MONDAY)  # 在谈 → 研判
    change = ObjectChange.objects.filter(object_id=project.pk, content_type__model="project", action="update").last()
    assert change.after["stage"] == stages["review"].pk
    body = client_for(people["auditor"]).get("/system/audit/", {"tab": "changes"}).content.decode()
    assert '当前阶段</span>：<span class="zs-diff-old">在谈</span> → <span class="zs-diff-new">研判</span>' in body
    assert f"{stages['negotiation'].pk} → " not in body and '<span class="text-secondary">stage<' not in body
    labels = {label: (old, new) for label, old, new in change.diff()}
    assert labels["当前阶段"] == ("在谈", "研判")


def test_audit_diffs_read_each_referenced_model_once(make_project, people, stages):
    from zhaoshang.core.models.audit import resolve_diffs

    for name in ("甲项目", "乙项目", "丙项目"):
        project = make_project(name)
        tick_all(project, people["diankou"], MONDAY)
        services.project_advance(actor=people["diankou"], project=project, on=MONDAY)
    changes = list(ObjectChange.objects.filter(content_type__model="project").select_related("content_type"))
    assert len(changes) >= 6
    with CaptureQueriesContext(connection) as queries:
        resolve_diffs(changes)
    stage_queries = [q for q in queries.captured_queries if "projects_stage" in q["sql"]]
    assert len(stage_queries) == 1
    assert len(queries.captured_queries) <= 4  # one per referenced model (stage, unit, user, industry …)
    creates = [{label: new for label, _, new in c.diff()} for c in changes if c.action == "create"]
    assert all(c["当前阶段"] == "在谈" for c in creates)


def test_a_deleted_reference_and_a_choice_are_shown_readably(make_project, people):
    project = make_project()
    change = ObjectChange.objects.get(object_id=project.pk, content_type__model="project", action="create")
    change.after = {**change.after, "stage": 987654}
    rows = {label: new for label, _, new in change.diff()}
    assert rows["当前阶段"] == "编号 987654（已不存在）"
    assert rows["创建人"] == "diankou" and rows["所属单位"] == "店口镇" and rows["预警灯"] == "绿灯"
    assert "origin" not in rows and all(not label.isascii() for label in rows if label != "ID")
