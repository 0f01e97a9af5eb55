"""Amounts, founding dates and phones of the enterprise library: the same rule and words on the page, in
the API and in the import; a refused save changes nothing."""

from datetime import date, timedelta

from django.contrib.messages import get_messages
from django.utils import timezone

from tests.imports import test_engine
from tests.imports.test_engine import HEADERS, xlsx
from zhaoshang.core.models import ObjectChange
from zhaoshang.enterprises.models import Contact, Enterprise, Signal

FOUNDING = "早于 1949-10-01；1949 年前成立的企业请标记为“历史企业（成立于1949年前）”"
PHONE_WRONG = (
    "“abc123”不是有效的电话号码：手机号如 13812345678；固定电话须带区号，如 0575-87654321，"
    "分机写作 0575-87654321转8001；也可填 400/800 号码"
)


run_import = test_engine.run_import  # the import engine tests' fixture


def flashes(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def state():
    return (
        list(
            Enterprise.all_objects.order_by("pk").values_list("pk", "version", "registered_capital", "established_on")
        ),
        list(Contact.all_objects.order_by("pk").values_list("pk", "version", "phone_cipher")),
        list(Signal.all_objects.values_list("pk", "amount")),
        ObjectChange.objects.count(),
    )


def page_form(name="诸暨示例铜业有限公司", **fields):
    return {"name": name, "credit_code": "", "kind": "local", "origin": "domestic", "org_unit": "", **fields}


def test_page_refuses_negative_capital_and_a_founding_before_1949_unless_historical(users, client_for):
    client = client_for(users["diankou"])
    before = state()
    page = client.post("/enterprises/add/", page_form(registered_capital="-5", established_on="1900-01-01"))
    assert page.status_code == 200
    assert page.context["form"].errors == {"registered_capital": ["不能为负数"], "established_on": [FOUNDING]}
    assert 'min="0"' in page.content.decode()  # the browser says so before sending
    assert state() == before
    future = (timezone.localdate() + timedelta(days=1)).isoformat()
    page = client.post("/enterprises/add/", page_form(established_on=future))
    assert page.context["form"].errors == {"established_on": [f"不能晚于今天（{timezone.localdate().isoformat()}）"]}
    assert state() == before

    saved = client.post(
        "/enterprises/add/", page_form(registered_capital="0", established_on="1900-01-01", is_historical="on")
    )
    assert saved.status_code == 302
    enterprise = Enterprise.objects.get()
    assert (enterprise.registered_capital, enterprise.established_on, enterprise.is_historical) == (
        0,
        date(1900, 1, 1),
        True,
    )


def test_edit_page_refusal_leaves_the_record_as_it_was(make_enterprise, users, client_for):
    enterprise = make_enterprise("诸暨示例铜业有限公司", registered_capital=100)
    before = state()
    page = client_for(users["diankou"]).post(
        f"/enterprises/{enterprise.pk}/edit/", page_form(registered_capital="-0.01", version=enterprise.version)
    )
    assert page.status_code == 200 and page.context["form"].errors == {"registered_capital": ["不能为负数"]}
    assert state() == before


def test_api_says_the_same_under_the_field_name(make_enterprise, users, api_for):
    api = api_for(users["diankou"])
    before = state()
    body = api.post(
        "/api/v1/enterprises",
        {"name": "甲有限公司", "registered_capital": "-5", "established_on": "1900-01-01"},
        content_type="application/json",
    )
    assert body.status_code == 422 and body.json()["fields"] == {"registered_capital": ["不能为负数"]}
    body = api.post(
        "/api/v1/enterprises", {"name": "甲有限公司", "established_on": "1900-01-01"}, content_type="application/json"
    )
    assert body.status_code == 422 and body.json()["fields"] == {"established_on": [FOUNDING]}
    body = api.post(
        "/api/v1/enterprises", {"name": "甲有限公司", "established_on": "2101-01-01"}, content_type="application/json"
    )
    assert body.status_code == 422
    assert body.json()["fields"] == {"established_on": ["日期 2101-01-01 超出合理范围（1800～2100 年）"]}
    assert state() == before

    created = api.post(
        "/api/v1/enterprises",
        {"name": "甲有限公司", "registered_capital": "0", "established_on": "1900-01-01", "is_historical": True},
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["is_historical"] is True
    pk, version = created.json()["id"], created.json()["version"]
    before = state()
    refused = api.patch(
        f"/api/v1/enterprises/{pk}", {"version": version, "is_historical": False}, content_type="application/json"
    )
    assert refused.status_code == 422 and refused.json()["fields"] == {"established_on": [FOUNDING]}
    assert state() == before


def test_contact_phones_on_the_page_and_in_the_api(make_enterprise, users, client_for, api_for):
    enterprise = make_enterprise("诸暨示例铜业有限公司")
    client = client_for(users["diankou"])
    before = state()
    form = {"name": "王伟", "title": "", "phone": "abc123", "email": "", "wechat": "", "note": ""}
    page = client.post(f"/enterprises/{enterprise.pk}/contacts/add/", form)
    assert flashes(page) == [f"联系人信息有误：电话{PHONE_WRONG}"]
    assert state() == before
    api = api_for(users["diankou"])
    body = api.post(
        f"/api/v1/enterprises/{enterprise.pk}/contacts",
        {"name": "王伟", "phone": "abc123"},
        content_type="application/json",
    )
    assert body.status_code == 422 and body.json()["fields"] == {"phone": [PHONE_WRONG]}
    assert state() == before

    client.post(f"/enterprises/{enterprise.pk}/contacts/add/", {**form, "phone": "+86 138 1234 5678"})
    api.post(
        f"/api/v1/enterprises/{enterprise.pk}/contacts",
        {"name": "李娜", "phone": "0575-87654321转8001"},
        content_type="application/json",
    )
    api.post(
        f"/api/v1/enterprises/{enterprise.pk}/contacts",
        {"name": "总机", "phone": "400-800-1234"},
        content_type="application/json",
    )
    stored = [(c.name, c.reveal_phone(), c.phone_masked) for c in Contact.objects.order_by("pk")]
    assert stored == [
        ("王伟", "13812345678", "138****5678"),
        ("李娜", "0575-87654321转8001", "0575-****4321转8001"),
        ("总机", "400-800-1234", "400*****1234"),
    ]


def test_signal_amount_is_not_negative(make_enterprise, users, client_for):
    enterprise = make_enterprise("诸暨示例铜业有限公司")
    before = state()
    form = {"kind": "financing", "occurred_on": "2026-03-05", "title": "B 轮融资", "amount": "-100", "source": ""}
    page = client_for(users["diankou"]).post(f"/enterprises/{enterprise.pk}/signals/add/", form)
    assert flashes(page) == ["动态信息有误：金额（万元）不能为负数"]
    assert state() == before


def test_import_names_row_and_column_and_takes_historical_enterprises(users, run_import):
    base = {"企业类型": "目标企业", "资本来源": "内资"}
    rows = [
        {**base, "企业名称": "诸暨甲有限公司", "注册资本（万元）": -5},
        {**base, "企业名称": "诸暨乙有限公司", "成立日期": "1900-01-01"},
        {**base, "企业名称": "诸暨丙有限公司", "成立日期": "1900-01-01", "历史企业（成立于1949年前）": "是"},
        {**base, "企业名称": "诸暨丁有限公司", "注册资本（万元）": "0", "成立日期": "1949-10-01"},
    ]
    job = run_import(xlsx(rows, headers=HEADERS), mode="commit")
    assert job.committed is False
    assert job.errors == [
        {"row": 2, "column": "注册资本（万元）", "message": "不能为负数"},
        {"row": 3, "column": "成立日期", "message": FOUNDING},
    ]
    assert Enterprise.objects.count() == 0
    job = run_import(xlsx(rows, headers=HEADERS), mode="valid_only")
    imported = dict(Enterprise.objects.values_list("name", "is_historical"))
    assert imported == {"诸暨丙有限公司": True, "诸暨丁有限公司": False}
