"""Defect 7: one text cleaning for every entry point — API bodies and query strings, forms, imported cells:
NUL and other control characters refused, Unicode normalised to NFC, surrounding whitespace trimmed."""

import unicodedata

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.imports.test_engine import rows, xlsx
from zhaoshang.core import parsers
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.imports import services as import_services

DECOMPOSED = unicodedata.normalize("NFD", "Café")  # "Cafe" + U+0301


@pytest.mark.parametrize("bad", ["空\u0000字节", "响铃\u0007", "\u001b[31m红", "删除\u007f", "C1\u0085"])
def test_clean_text_refuses_control_characters(bad):
    with pytest.raises(parsers.ParseError, match="控制字符"):
        parsers.clean_text(bad)


def test_clean_text_normalises_and_trims_but_keeps_line_breaks():
    assert parsers.clean_text(f"  {DECOMPOSED}\t") == "Café"
    assert parsers.clean_text("第一行\n第二行\r\n") == "第一行\n第二行"


def test_api_refuses_a_nul_byte_in_a_body_and_stores_nothing(users, api_for):
    response = api_for(users["diankou"]).post(
        "/api/v1/enterprises", {"name": "空\u0000字节有限公司"}, content_type="application/json"
    )
    assert response.status_code == 422
    assert "控制字符" in response.json()["fields"]["name"][0]
    assert not Enterprise.all_objects.exists()


def test_api_normalises_and_trims_text(users, api_for):
    response = api_for(users["diankou"]).post(
        "/api/v1/enterprises", {"name": f"  {DECOMPOSED}诸暨有限公司  "}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert Enterprise.objects.get().name == "Café诸暨有限公司"


def test_api_refuses_control_characters_in_query_strings(users, api_for):
    response = api_for(users["diankou"]).get("/api/v1/enterprises", {"q": "a\u0001b"})
    assert response.status_code == 422 and "q" in response.json()["fields"]


def test_api_leaves_passwords_as_typed(users):
    from django.test import Client  # deferred: only this test posts without a token

    response = Client().post(
        "/api/v1/auth/token", {"username": "diankou", "password": " x\u0001 "}, content_type="application/json"
    )
    assert response.status_code == 401  # checked as typed, not refused nor trimmed


def test_forms_refuse_control_characters_and_normalise(users, client_for):
    client = client_for(users["diankou"])
    response = client.post("/enterprises/add/", {"name": "响铃\u0007有限公司", "kind": "target", "origin": "domestic"})
    assert response.status_code in (200, 422)
    assert "控制字符" in response.content.decode()
    assert not Enterprise.all_objects.exists()


def test_imported_cells_are_cleaned_the_same_way(users, django_capture_on_commit_callbacks):
    data = rows(2)
    data[0]["企业名称"] = "导入\u0007有限公司"
    data[1]["企业名称"] = f"{DECOMPOSED}导入有限公司"
    with django_capture_on_commit_callbacks(execute=True):
        job = import_services.import_start(
            actor=users["diankou"],
            kind="enterprises",
            mode="valid_only",
            upload=SimpleUploadedFile("企业.xlsx", xlsx(data)),
        )
    job.refresh_from_db()
    assert job.error_count == 1 and "控制字符" in job.errors[0]["message"] and job.errors[0]["row"] == 2
    assert list(Enterprise.objects.values_list("name", flat=True)) == ["Café导入有限公司"]
