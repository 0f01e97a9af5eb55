"""Defect 10: extraction input capped (a clear 422 beyond) and the extractor linear in its input."""

import time

import pytest
from django.conf import settings

from zhaoshang.leads.extract import extract, warm_up


def _cpu(text: str) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        extract(text)
        best = min(best, time.process_time() - start)
    return best


@pytest.mark.parametrize("unit", ["0", "一", "1.1", "亿", "0亩", "某", "德国", "1-"])
def test_the_extractor_is_linear_in_its_input(unit):
    warm_up()
    small = (unit * 1250)[:1250]
    large = (unit * 5000)[:5000]
    small_cpu, large_cpu = _cpu(small), _cpu(large)
    assert large_cpu < 0.5, (unit, large_cpu)  # was 2.2 s for "0" * 5000
    # four times the text: about four times the work (quadratic would be sixteen)
    assert large_cpu < 8 * max(small_cpu, 0.005), (unit, small_cpu, large_cpu)


def test_the_api_refuses_text_over_the_cap_with_a_clear_422(users, api_for):
    limit = settings.ZHAOSHANG_EXTRACT_MAX_CHARS
    assert limit == 5000
    api = api_for(users["center"])
    ok = api.post("/api/v1/leads/extract", {"text": "德" * limit}, content_type="application/json")
    assert ok.status_code == 200
    too_long = api.post("/api/v1/leads/extract", {"text": "德" * (limit + 1)}, content_type="application/json")
    assert too_long.status_code == 422
    assert too_long.json()["fields"] == {"text": [f"长度不能超过 {limit} 个字符"]}


def test_the_page_refuses_text_over_the_cap_instead_of_cutting_it(users, client_for):
    limit = settings.ZHAOSHANG_EXTRACT_MAX_CHARS
    response = client_for(users["center"]).post("/leads/extract/", {"text": "0" * (limit + 1)})
    assert response.status_code == 422
    assert f"最多 {limit} 个字符（当前 {limit + 1} 个）" in response.content.decode()
