"""The simulated users of the load test (``bench/load.py`` runs this with locust, headless).

Each simulated user is one of the demo officers (or the leader), logs in through the login form once, then
works as an officer does, with a think time of 2–6 s between actions: the 工作台, lists with filters, the
enterprise search, project and lead pages, registering a lead, adding a follow-up, advancing a stage, the
statistics pages and the map data. Writes go through the API with the browser's session and CSRF token, as the
pages' own scripts do.

A response counts as a failure when it is a 5xx, a connection error, or any status the action does not expect.
Business refusals are expected and counted apart (``advance`` answers 422 when a stage's checklist is not done,
403/404 when the project is another unit's): they are the platform working, not an error.
"""

from __future__ import annotations

import itertools
import os
import random
import re
from datetime import date

from locust import HttpUser, between, events, task

PASSWORD = os.environ.get("LOAD_PASSWORD", "Demo@2026zs")
# The demo's business accounts, in the proportions of a working day: mostly town and center officers.
ACCOUNTS = ["center", "diankou", "datang", "office_sh", "zone", "center", "diankou", "datang", "leader"]
WORDS = ["科技", "智能", "机械", "新材料", "铜", "袜业", "电子", "汽车", "光学", "环保", "精密", "医疗"]
STAGES = ["negotiation", "signed", "registered", "land", "construction"]
REFUSED = {"advance": 0}
REFUSED_FIRST: dict[str, str] = {}  # the first refusal's answer per action, to show what the rule said
_account_cycle = itertools.cycle(ACCOUNTS)
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@events.quitting.add_listener
def _report_refusals(environment, **_kwargs):
    print(f"business refusals (expected): {REFUSED}; first answers: {REFUSED_FIRST}")


class Officer(HttpUser):
    wait_time = between(2, 6)

    def on_start(self) -> None:
        self.username = next(_account_cycle)
        page = self.client.get("/accounts/login/", name="login page")
        token = _CSRF.search(page.text)
        self.client.post(
            "/accounts/login/",
            data={
                "username": self.username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            headers={"Referer": f"{self.host}/accounts/login/"},
            name="login",
        )
        self.csrf = self.client.cookies.get("csrftoken", "")
        self.projects = self._ids("/api/v1/projects?page_size=100", "ids: projects")
        self.leads = self._ids("/api/v1/leads?page_size=100", "ids: leads")

    def _ids(self, url: str, name: str) -> list[int]:
        response = self.client.get(url, name=name)
        try:
            body = response.json()
        except ValueError:
            return []
        items = body.get("items", body) if isinstance(body, dict) else body
        return [item["id"] for item in items if isinstance(item, dict) and "id" in item]

    def _api(self, method: str, url: str, json: dict, name: str, expected=(200, 201), refused=()):
        headers = {"X-CSRFToken": self.csrf, "Referer": f"{self.host}/"}
        with self.client.request(method, url, json=json, headers=headers, name=name, catch_response=True) as r:
            if r.status_code in expected:
                r.success()
            elif r.status_code in refused:
                REFUSED[name] = REFUSED.get(name, 0) + 1
                REFUSED_FIRST.setdefault(name, f"{r.status_code} {r.text[:120]}")
                r.success()
            else:
                r.failure(f"{r.status_code}: {r.text[:200]}")
            return r

    # ---- reading -----------------------------------------------------------------------------------------
    @task(10)
    def workbench(self):
        self.client.get("/", name="工作台 /")

    @task(6)
    def enterprise_search(self):
        self.client.get(f"/enterprises/?q={random.choice(WORDS)}", name="企业库 search /enterprises/?q=")

    @task(3)
    def enterprise_search_api(self):
        self.client.get(f"/api/v1/enterprises?q={random.choice(WORDS)}", name="API enterprises?q=")

    @task(4)
    def project_list(self):
        self.client.get(f"/projects/?stage={random.choice(STAGES)}", name="项目库 /projects/?stage=")

    @task(2)
    def project_board(self):
        self.client.get("/projects/board/", name="项目看板 /projects/board/")

    @task(4)
    def lead_list(self):
        self.client.get("/leads/?status=following", name="线索 /leads/?status=")

    @task(8)
    def project_page(self):
        if self.projects:
            self.client.get(f"/projects/{random.choice(self.projects)}/", name="项目页 /projects/[id]/")

    @task(3)
    def lead_page(self):
        if self.leads:
            self.client.get(f"/leads/{random.choice(self.leads)}/", name="线索页 /leads/[id]/")

    @task(3)
    def statistics(self):
        self.client.get("/stats/", name="经济运行 /stats/")

    @task(1)
    def cockpit(self):
        self.client.get("/stats/cockpit/", name="驾驶舱 /stats/cockpit/")

    @task(1)
    def map_data(self):
        self.client.get("/api/v1/carriers/map", name="地图数据 API carriers/map")

    # ---- writing -----------------------------------------------------------------------------------------
    @task(2)
    def register_lead(self):
        n = random.randrange(10**9)
        r = self._api(
            "POST",
            "/api/v1/leads",
            {
                "title": f"压测线索{n}：年产{random.randint(1, 99)}万套精密部件项目",
                "source": "online",
                "enterprise_name": f"压测{n}精密制造有限公司",
                "investment_rmb": str(random.randint(1000, 50000)),
                "land_mu": str(random.randint(10, 120)),
            },
            "lead register",
            refused=(422,),  # a duplicate title/enterprise warning is a business answer
        )
        if r.status_code == 201:
            self.leads.append(r.json()["id"])

    @task(2)
    def follow_up(self):
        if not self.leads:
            return
        self._api(
            "POST",
            f"/api/v1/leads/{random.choice(self.leads)}/follow-ups",
            {"kind": "call", "date": date.today().isoformat(), "summary": "电话沟通用地和用电需求，对方下周来访。"},
            "lead follow-up",
            refused=(404,),  # a lead passed to another unit since the list was read
        )

    @task(1)
    def advance(self):
        if not self.projects:
            return
        self._api(
            "POST",
            f"/api/v1/projects/{random.choice(self.projects)}/advance",
            {},
            "advance",
            refused=(403, 404, 422),
        )
