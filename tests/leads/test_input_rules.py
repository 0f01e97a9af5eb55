"""Leads: amounts, the contact's phone and the next follow-up, alike on the page, in the API and in the import;
a refused save changes nothing."""

import io
from datetime import timedelta

from django.contrib.messages import get_messages
from django.utils import timezone

from tests.leads.test_pages_and_api import import_leads
from zhaoshang.core.models import ObjectChange
from zhaoshang.imports.files import write_xlsx
from zhaoshang.leads import services
from zhaoshang.leads.models import Lead, LeadFollowUp

PHONE_WRONG = (
    "“abc123”不是有效的电话号码：手机号如 13812345678；固定电话须带区号，如 0575-87654321，"
    "分机写作 0575-87654321转8001；也可填 400/800 号码"
)


def today():
    return timezone.localdate()


def past_message():
    return f"不能早于今天（{today().isoformat()}）"


def state():
    return (
        list(Lead.all_objects.order_by("pk").values_list("pk", "version", "next_followup_on", "contact_phone_cipher")),
        LeadFollowUp.objects.count(),
        ObjectChange.objects.count(),
    )


def page_form(**fields):
    return {
        "title": "德国精密机械项目",
        "source": "office",
        "project_type": "new",
        "grade": "B",
        "org_unit": "",
        **fields,
    }


def test_page_refuses_negative_amounts_a_wrong_phone_and_a_past_next_follow_up(users, client_for):
    client = client_for(users["diankou"])
    before = state()
    yesterday = (today() - timedelta(days=1)).isoformat()
    page = client.post(
        "/leads/add/",
        page_form(investment_rmb="-1", land_mu="-0.5", phone="abc123", next_followup_on=yesterday),
    )
    assert page.status_code == 200
    assert page.context["form"].errors == {
        "investment_rmb": ["不能为负数"],
        "land_mu": ["不能为负数"],
        "phone": [PHONE_WRONG],
    }
    assert state() == before
    page = client.post("/leads/add/", page_form(next_followup_on=yesterday))
    assert page.status_code == 200 and page.context["form"].errors == {"next_followup_on": [past_message()]}
    assert state() == before

    saved = client.post(
        "/leads/add/",
        page_form(investment_rmb="0", phone="0575-87654321转8001", next_followup_on=today().isoformat()),
    )
    assert saved.status_code == 302
    lead = Lead.objects.get()
    assert (lead.investment_rmb, lead.reveal_phone(), lead.next_followup_on) == (0, "0575-87654321转8001", today())


def test_a_next_follow_up_that_time_overtook_does_not_block_other_edits(users, client_for):
    lead = services.lead_register(
        actor=users["diankou"],
        data={"title": "旧线索", "source": "town", "next_followup_on": today() - timedelta(days=10)},
        on=today() - timedelta(days=20),
    )
    client = client_for(users["diankou"])
    form = page_form(title="旧线索（改名）", version=lead.version, next_followup_on=lead.next_followup_on.isoformat())
    assert client.post(f"/leads/{lead.pk}/edit/", form).status_code == 302
    lead.refresh_from_db()
    assert lead.title == "旧线索（改名）" and lead.next_followup_on == today() - timedelta(days=10)
    before = state()
    moved = {**form, "version": lead.version, "next_followup_on": (today() - timedelta(days=1)).isoformat()}
    page = client.post(f"/leads/{lead.pk}/edit/", moved)
    assert page.status_code == 200 and page.context["form"].errors == {"next_followup_on": [past_message()]}
    assert state() == before


def test_api_names_the_field_with_the_same_words(users, api_for):
    api = api_for(users["diankou"])
    before = state()
    body = api.post(
        "/api/v1/leads",
        {"title": "甲", "source": "town", "land_mu": "-1", "contact_phone": "abc123"},
        content_type="application/json",
    )
    assert body.status_code == 422
    assert body.json()["fields"] == {"land_mu": ["不能为负数"], "contact_phone": [PHONE_WRONG]}
    body = api.post(
        "/api/v1/leads",
        {"title": "甲", "source": "town", "next_followup_on": "1900-01-01"},
        content_type="application/json",
    )
    assert body.status_code == 422 and body.json()["fields"] == {"next_followup_on": [past_message()]}
    assert state() == before

    created = api.post(
        "/api/v1/leads",
        {"title": "甲", "source": "town", "contact_phone": "+86 138 1234 5678", "investment_fdi": "0"},
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["contact_phone"] == "138****5678"
    lead = Lead.objects.get()
    assert lead.reveal_phone() == "13812345678"
    before = state()
    refused = api.patch(
        f"/api/v1/leads/{lead.pk}", {"version": lead.version, "contact_phone": "12345"}, content_type="application/json"
    )
    assert refused.status_code == 422
    assert refused.json()["fields"] == {
        "contact_phone": [
            "“12345”不是有效的电话号码：手机号如 13812345678；固定电话须带区号，如 0575-87654321，"
            "分机写作 0575-87654321转8001；也可填 400/800 号码"
        ]
    }
    followup = api.post(
        f"/api/v1/leads/{lead.pk}/follow-ups",
        {"kind": "visit", "date": today().isoformat(), "summary": "拜访", "next_date": "1900-01-01"},
        content_type="application/json",
    )
    assert followup.status_code == 422 and followup.json()["fields"] == {"next_date": [past_message()]}
    assert state() == before


def test_follow_up_form_on_the_lead_page_names_the_field(users, client_for):
    lead = services.lead_register(actor=users["diankou"], data={"title": "甲", "source": "town"})
    before = state()
    response = client_for(users["diankou"]).post(
        f"/leads/{lead.pk}/followup/",
        {"kind": "visit", "date": today().isoformat(), "summary": "拜访", "next_date": "1900-01-01"},
    )
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [f"跟进记录有误：下次跟进日期：{past_message()}"]
    assert state() == before


def test_import_checks_the_phone_and_the_registration_day(users, django_capture_on_commit_callbacks):
    tomorrow = (today() + timedelta(days=1)).isoformat()
    headers = ["线索名称", "来源渠道", "联系电话", "预计投资（万元）", "登记日期"]
    rows = [
        ["甲项目", "镇街", "abc123", "", ""],
        ["乙项目", "镇街", "", -100, ""],
        ["丙项目", "镇街", "", "", tomorrow],
        ["丁项目", "镇街", "138 1234 5678", 0, ""],
    ]
    buffer = io.BytesIO()
    write_xlsx(buffer, [("数据", headers, rows)])
    job = import_leads(users["diankou"], buffer, django_capture_on_commit_callbacks)
    assert job.errors == [
        {"row": 2, "column": "联系电话", "message": PHONE_WRONG},
        {"row": 3, "column": "预计投资（万元）", "message": "不能为负数"},
        {"row": 4, "column": "登记日期", "message": f"不能晚于今天（{today().isoformat()}）"},
    ]
    assert [(lead.title, lead.reveal_phone()) for lead in Lead.objects.all()] == [("丁项目", "13812345678")]
