"""Services, pages and API of the policy library: who sees what, validation on save, worked examples,
versions, the calculator (API, what-if page, saving), 兑现 items and their clocks, precise pushing."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.policies import helpers
from zhaoshang.core.errors import ValidationFailed
from zhaoshang.core.models import ObjectChange
from zhaoshang.core.workdays import add_workdays
from zhaoshang.notify.models import Notification
from zhaoshang.policies import services
from zhaoshang.policies.engine.errors import RuleError
from zhaoshang.policies.models import Calculation, Clause, ClauseVersion, Commitment, Fulfilment, PushRun
from zhaoshang.policies.selectors import committed_vs_paid
from zhaoshang.policies.services import push
from zhaoshang.projects.models import Project
from zhaoshang.projects.signals import stage_closed

pytestmark = pytest.mark.django_db


def test_current_policies_and_published_clauses_are_public_in_the_county(users, client_for, api_for):
    published = helpers.published_clause(users["center"])
    draft = services.policy_create(actor=users["center"], data={"title": "起草中的政策"})
    response = client_for(users["datang"]).get(reverse("policies:policy_list"))
    assert [row[0].pk for row in response.context["rows"]] == [published.policy_id]
    assert client_for(users["datang"]).get(reverse("policies:policy_detail", args=[draft.pk])).status_code == 404
    assert client_for(users["datang"]).get(reverse("policies:clause_detail", args=[published.pk])).status_code == 200
    assert {row["id"] for row in api_for(users["datang"]).get("/api/v1/policies/clauses").json()["results"]} == {
        published.pk
    }
    # viewing is not changing: the town cannot edit the center's clause
    assert client_for(users["datang"]).get(reverse("policies:clause_edit", args=[published.pk])).status_code == 404
    assert api_for(users["auditor"]).get("/api/v1/policies").status_code == 403  # not a business role


def test_invalid_rules_are_refused_on_save_with_position_and_nothing_is_written(users):
    policy = helpers.current_policy(users["center"])
    before = (Clause.all_objects.count(), ObjectChange.objects.count())
    with pytest.raises(RuleError) as error:
        services.clause_create(
            actor=users["center"], data={"policy": policy, "article": "一", "title": "t", "formula": "9**9**9"}
        )
    assert error.value.fields == {"formula": ["不支持 **（乘方），只能使用 + − × ÷（位置：第 1 列）"]}
    with pytest.raises(RuleError) as error:
        services.clause_create(
            actor=users["center"],
            data={
                "policy": policy,
                "article": "一",
                "title": "t",
                "formula": "1",
                "condition": {"and": [{"<": [{"var": "x"}, 1]}]},
            },
        )
    assert error.value.position == "and[0].<[0]"
    assert (Clause.all_objects.count(), ObjectChange.objects.count()) == before


def test_examples_run_on_save_and_failing_examples_block_publishing(users):
    policy = helpers.current_policy(users["center"])
    bad = [{"name": "错的示例", "inputs": {"investment": 60000}, "expected": "999"}]
    clause = services.clause_create(
        actor=users["center"],
        data={"policy": policy, "article": "三", "title": "落户", "formula": "investment * 0.01", "examples": bad},
    )
    assert clause.examples_ok is False
    assert clause.examples_report == [{"name": "错的示例", "passed": False, "outcome": "600 万元（预期 999 万元）"}]
    before = (clause.version, ClauseVersion.objects.count(), ObjectChange.objects.count())
    with pytest.raises(ValidationFailed, match="测算示例未通过：错的示例，条款不能发布"):
        services.clause_publish(actor=users["center"], clause=clause, version=clause.version)
    clause.refresh_from_db()
    assert (clause.status, clause.version, ClauseVersion.objects.count(), ObjectChange.objects.count()) == (
        "draft",
        *before,
    )
    good = [{"name": "对的示例", "inputs": {"investment": 60000}, "expected": "600"}]
    clause = services.clause_update(
        actor=users["center"], clause=clause, data={"examples": good}, version=clause.version
    )
    assert clause.examples_ok is True
    published = services.clause_publish(actor=users["center"], clause=clause, version=clause.version)
    assert published.status == "published" and published.current_version.number == 1


def test_editing_a_published_clause_makes_a_new_version_and_old_calculations_stay(users):
    clause = helpers.published_clause(users["center"])
    project = helpers.project(users["center"])
    saved = services.calculation_save(actor=users["center"], project=project, values={"investment": Decimal(60000)})
    assert saved.total == Decimal("600.00") and list(saved.versions.values_list("number", flat=True)) == [1]
    examples = [{"name": "新标准", "inputs": {"investment": 60000}, "expected": "1200"}]
    edited = services.clause_update(
        actor=users["center"],
        clause=clause,
        data={"formula": "investment * 0.02", "examples": examples},
        version=clause.version,
        effective_from=date(2027, 1, 1),
    )
    v1, v2 = ClauseVersion.objects.filter(clause=clause).order_by("number")
    assert (v2.number, v2.effective_from, v2.content["formula"]) == (2, date(2027, 1, 1), "investment * 0.02")
    assert v1.effective_to == date(2026, 12, 31)
    assert edited.current_version == v2
    saved.refresh_from_db()
    assert saved.result["total"] == "600.00"  # the saved calculation shows what it showed
    again = services.calculation_save(actor=users["center"], project=project, values={"investment": Decimal(60000)})
    assert again.total == Decimal("1200.00")
    # a published clause cannot be saved with failing examples: nothing changes
    before = (edited.version, ClauseVersion.objects.count())
    with pytest.raises(ValidationFailed, match="测算示例未通过"):
        services.clause_update(
            actor=users["center"], clause=edited, data={"formula": "investment * 0.03"}, version=edited.version
        )
    edited.refresh_from_db()
    assert (edited.formula, edited.version, ClauseVersion.objects.count()) == ("investment * 0.02", *before)


def test_validate_endpoint(users, api_for):
    api = api_for(users["center"])
    ok = api.post(
        "/api/v1/policies/clauses/validate",
        {"condition": {"and": [{">=": [{"var": "investment"}, 5000]}]}, "formula": "min(investment * 0.01, 500)"},
        content_type="application/json",
    )
    assert ok.status_code == 200 and ok.json() == {"valid": True, "conditions": ["总投资 ≥ 5,000 万元"]}
    for formula, position in [
        ("__import__('os').system('x')", "第 1 列"),
        ("investment.real", "第 1 列"),
        ("1/0", "第 3 列"),
    ]:
        bad = api.post("/api/v1/policies/clauses/validate", {"formula": formula}, content_type="application/json")
        assert bad.status_code == 422, formula
        assert (bad.json()["field"], bad.json()["position"]) == ("formula", position)
    long = api.post("/api/v1/policies/clauses/validate", {"formula": "1+" * 999 + "1"}, content_type="application/json")
    assert long.status_code == 422
    cond = api.post("/api/v1/policies/clauses/validate", {"condition": "{not json"}, content_type="application/json")
    assert cond.status_code == 422 and cond.json()["field"] == "condition"


def test_calculate_endpoint_shape_with_a_project_and_with_variables(users, api_for):
    helpers.published_clause(
        users["center"], cap=Decimal("500"), examples=[{"inputs": {"investment": 60000}, "expected": "500"}]
    )
    helpers.published_clause(
        users["center"],
        article="第五条",
        title="用地奖励",
        condition={"and": [{">=": [{"var": "land_mu"}, 100]}]},
        formula="land_mu * 2",
        examples=[{"inputs": {"land_mu": 100}, "expected": "200"}],
    )
    project = helpers.project(users["diankou"])
    api = api_for(users["diankou"])
    body = api.post("/api/v1/policies/calculate", {"project_id": project.pk}, content_type="application/json").json()
    assert body["total"] == "500.00" and body["by_year"] == {str(date.today().year): "500.00"}
    row = body["clauses"][0]
    assert (
        row["clause"]["article"] == "第三条"
        and row["met"] is True
        and row["capped"] is True
        and row["amount"] == "500.00"
    )
    assert row["conditions"] == [
        {"text": "总投资 ≥ 5,000 万元", "met": True, "actual": "60,000 万元", "required": "≥ 5,000 万元", "gap": ""}
    ]
    assert row["steps"] == ["60,000 × 0.01 = 600", "超过封顶 500 万元，按封顶计"]
    assert body["near_misses"][0]["missing"][0]["actual"] == "80 亩"
    what_if = api.post(
        "/api/v1/policies/calculate",
        {"variables": {"investment": 4800, "land_mu": 120}},
        content_type="application/json",
    )
    assert what_if.json()["total"] == "240.00"
    assert what_if.json()["near_misses"][0]["missing"][0]["gap"] == "差 200 万元"
    assert (
        api_for(users["datang"])
        .post("/api/v1/policies/calculate", {"project_id": project.pk}, content_type="application/json")
        .status_code
        == 404
    )
    bad = api.post("/api/v1/policies/calculate", {"variables": {"investment": "很多"}}, content_type="application/json")
    assert bad.status_code == 422 and bad.json()["fields"] == {"investment": ["总投资须为数字"]}


def test_what_if_page_updates_without_saving_and_saves_to_the_project(users, client_for):
    helpers.published_clause(users["center"])
    project = helpers.project(users["diankou"])
    client = client_for(users["diankou"])
    page = client.get(reverse("policies:calculator"), {"project": project.pk})
    assert page.status_code == 200 and page.context["result"]["total"] == "600.00"
    partial = client.post(
        reverse("policies:calculator"), {"project": project.pk, "investment": "4800"}, HTTP_HX_REQUEST="true"
    )
    assert partial.context["result"]["total"] == "0.00" and "差 200 万元" in partial.content.decode()
    assert Calculation.objects.count() == 0
    saved = client.post(
        reverse("policies:calculator"), {"project": project.pk, "investment": "70000", "save": "1", "title": "谈判测算"}
    )
    calculation = Calculation.objects.get()
    assert saved["Location"] == calculation.get_absolute_url()
    assert (calculation.title, calculation.total, calculation.project_id, calculation.org_unit_id) == (
        "谈判测算",
        Decimal("700.00"),
        project.pk,
        users["diankou"].org_unit_id,
    )
    word = client.get(reverse("policies:calculation_word", args=[calculation.pk]))
    assert word.status_code == 200 and word.content[:2] == b"PK"
    assert client_for(users["datang"]).get(calculation.get_absolute_url()).status_code == 404


def test_signing_opens_payout_with_workday_deadline_and_unmet_terms_claw_back(users, client_for):
    clause = helpers.published_clause(users["center"], paying_department=users["zrzy"].org_unit)
    project = helpers.project(users["diankou"], annual_tax=Decimal("1600"))
    signing = services.commitment_create(
        actor=users["diankou"], project=project, clause=clause, data={"amount": Decimal("600"), "due_stage": "signing"}
    )
    target = services.commitment_create(
        actor=users["diankou"],
        project=project,
        clause=clause,
        data={
            "amount": Decimal("600"),
            "due_stage": "full_production",
            "condition": {"and": [{">=": [{"var": "tax_per_mu"}, 30]}]},
        },
    )
    stage_closed.send(
        sender=Project, project=project, stage_code="signing", actor=users["diankou"], on=date(2026, 9, 30)
    )
    item = Fulfilment.objects.get()
    assert (item.kind, item.amount, item.org_unit_id, item.opened_on) == (
        "payout",
        Decimal("600.00"),
        users["zrzy"].org_unit_id,
        date(2026, 9, 30),
    )
    assert item.due_on == add_workdays(date(2026, 9, 30), 20) == date(2026, 11, 3)  # 国庆 holidays skipped
    assert (
        Commitment.objects.get(pk=signing.pk).status == "met"
        and Commitment.objects.get(pk=target.pk).status == "pending"
    )
    # the paying department handles it; a refusal needs its reason
    dept = users["zrzy"]
    with pytest.raises(ValidationFailed):
        services.fulfilment_advance(actor=dept, item=item, to="refused", version=item.version)
    for step in ("applied", "reviewed", "paid"):
        item = services.fulfilment_advance(actor=dept, item=item, to=step, version=item.version, on=date(2026, 10, 20))
    assert (item.status, item.paid_on) == ("paid", date(2026, 10, 20))
    assert client_for(users["datang"]).get(reverse("policies:fulfilment_detail", args=[item.pk])).status_code == 404
    # 达产 with 20 万元/亩 (1600 ÷ 80) against the agreed 30: unmet, the paid 600 is clawed back
    stage_closed.send(
        sender=Project, project=project, stage_code="full_production", actor=users["diankou"], on=date(2028, 3, 1)
    )
    target.refresh_from_db()
    assert target.status == "unmet" and target.check_result == [
        {"text": "亩均税收（承诺） ≥ 30 万元/亩", "met": False, "actual": "20 万元/亩"}
    ]
    claw = Fulfilment.objects.get(kind="clawback")
    assert (claw.amount, claw.org_unit_id) == (Decimal("600.00"), dept.org_unit_id)
    assert claw.reason == "未达约定：亩均税收（承诺） ≥ 30 万元/亩（实际 20 万元/亩）"


def test_publishing_pushes_to_newly_applicable_projects_and_notifies_their_units(
    users, django_capture_on_commit_callbacks
):
    helpers.project(users["diankou"])  # 60,000 万元
    helpers.project(users["datang"], name="小项目", total_investment=Decimal("100"))
    with django_capture_on_commit_callbacks(execute=False):
        clause = helpers.published_clause(users["center"])
    run = PushRun.objects.get(clause_version=clause.current_version)
    assert run.status == "queued"
    run = push.push_run(run.pk)
    assert (run.status, run.percent, [p[1] for p in run.projects], run.notified) == (
        "done",
        100,
        ["德国精密轴承外资项目"],
        1,
    )
    note = Notification.objects.get(recipient=users["diankou"])
    assert note.title == "新政策条款可能适用于本单位 1 个项目/企业"
    assert not Notification.objects.filter(recipient=users["datang"]).exists()
    assert push.push_run(run.pk).notified == 1 and Notification.objects.count() == 1  # idempotent


def test_cockpit_shows_committed_and_paid_by_year(users, client_for):
    clause = helpers.published_clause(users["center"], paying_department=users["center"].org_unit)
    project = helpers.project(users["center"])
    commitment = services.commitment_create(
        actor=users["center"],
        project=project,
        clause=clause,
        data={"amount": Decimal("600"), "due_on": date(2026, 6, 1)},
    )
    services.commitment_check(actor=users["center"], commitment=commitment, on=date(2026, 6, 1))
    item = Fulfilment.objects.get()
    for step in ("applied", "reviewed", "paid"):
        item = services.fulfilment_advance(
            actor=users["center"], item=item, to=step, version=item.version, on=date(2027, 1, 8)
        )
    assert committed_vs_paid(user=users["leader"]) == [
        {"year": 2026, "committed": Decimal("600.00"), "paid": Decimal("0")},
        {"year": 2027, "committed": Decimal("0"), "paid": Decimal("600.00")},
    ]
    assert committed_vs_paid(user=users["datang"]) == []
    page = client_for(users["leader"]).get(reverse("stats:cockpit"))
    assert "政策兑现（万元）" in page.content.decode()


def test_full_text_attachment_follows_the_upload_rules(users, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    policy = helpers.current_policy(users["center"])
    client = client_for(users["center"])
    url = reverse("policies:policy_attachment", args=[policy.pk])
    fake = SimpleUploadedFile("政策全文.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    client.post(url, {"file": fake})
    policy.refresh_from_db()
    assert (policy.attachment_name, policy.version) == ("", 1)
    pdf = SimpleUploadedFile("政策全文.pdf", b"%PDF-1.4\n%demo\n", content_type="application/pdf")
    client.post(url, {"file": pdf})
    policy.refresh_from_db()
    assert (policy.attachment_name, policy.attachment_kind, policy.version) == ("政策全文.pdf", "pdf", 2)
    assert client.get(url).status_code == 200
    assert client_for(users["datang"]).post(url, {"file": pdf}).status_code == 404


def test_clause_editor_live_check(users, client_for):
    client = client_for(users["center"])
    url = reverse("policies:clause_check")
    ok = client.post(
        url, {"condition": '{"and": [{">=": [{"var": "investment"}, 5000]}]}', "formula": "investment * 0.01"}
    )
    assert "条件与公式有效：总投资 ≥ 5,000 万元" in ok.content.decode()
    bad = client.post(url, {"condition": "", "formula": "investment ** 2"})
    assert "不支持 **（乘方），只能使用 + − × ÷（位置：第 1 列）" in bad.content.decode()
    broken = client.post(url, {"condition": "{", "formula": "1"})
    assert "适用条件不是有效的 JSON：第 1 行第 2 列" in broken.content.decode()
