"""Accessibility: axe-core (vendored from the npm registry, tests/browser/vendor) on every page of every role —
each navigation entry the role has, the home page, the detail, edit and add pages of records it can see, and the
pages reached only from other pages (wall mode, settings forms, imports, merge, account pages).
No serious or critical violation of WCAG 2.1 A/AA may remain (unlabelled form fields, contrast, names of
buttons and links, document language …)."""

import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import PASSWORD, make_county, make_user
from zhaoshang.core.navigation import menu_for
from zhaoshang.core.roles import Cap
from zhaoshang.core.scope import CHANGE
from zhaoshang.enterprises.services import contact_create, enterprise_create
from zhaoshang.imports import selectors as import_selectors
from zhaoshang.imports import services as import_services
from zhaoshang.imports.engine import REGISTRY
from zhaoshang.imports.files import write_xlsx
from zhaoshang.leads import services as lead_services
from zhaoshang.projects import services as project_services
from zhaoshang.projects.models import Stage

pytestmark = pytest.mark.browser

AXE = Path(__file__).parent / "vendor" / "axe-core-4.10.3" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}
ROLES = {
    "center": ("officer", "center"),
    "diankou": ("officer", "diankou"),
    "zrzy": ("department", "zrzy"),
    "leader": ("leader", "root"),
    "expert1": ("expert", "center"),
    "sysadmin": ("sysadmin", "center"),
    "secadmin": ("secadmin", "center"),
    "auditor": ("auditor", "center"),
}


@pytest.fixture
def world(transactional_db):
    county = make_county()
    county.center.is_coordinating = True
    county.center.save(update_fields=["is_coordinating"])
    users = {name: make_user(name, role, getattr(county, unit)) for name, (role, unit) in ROLES.items()}
    officer = users["diankou"]
    enterprise = enterprise_create(
        actor=officer, data={"name": "店口精工（中国）有限公司", "origin": "foreign", "country": "德国"}, tags=[]
    )
    contact_create(actor=officer, enterprise=enterprise, data={"name": "王经理", "phone": "13812345678"})
    twin = enterprise_create(actor=officer, data={"name": "店口精工有限公司", "origin": "domestic"}, tags=[])
    lead = lead_services.lead_register(
        actor=officer,
        data={"title": "精密轴承扩产", "source": "town", "enterprise_name": "店口精工（中国）有限公司"},
        phone="13812345678",
    )
    project = project_services.project_create(
        actor=officer,
        data={"name": "精密轴承扩产项目", "investor": enterprise, "total_investment": Decimal("30000")},
    )
    # a blind review of the project with the expert's sheet open (the 承诺书 signed)
    from zhaoshang.reviews import services as review_services
    from zhaoshang.reviews.models import Rubric

    review_services.ensure_starting_rubrics(county.root)
    review_services.expert_create(actor=officer, data={"name": "郑教授", "user": users["expert1"]})
    review = review_services.review_create(
        actor=officer,
        data={
            "project_id": project.pk,
            "rubric_id": Rubric.objects.filter(region=county.root).first().pk,
            "experts": 1,
        },
    )
    review_services.commitment_sign(actor=users["expert1"], review_id=review.pk)
    # a dry run with a bad row: the import page lists it, its detail page shows the row errors
    buffer = io.BytesIO()
    bad_row = ["诸暨示例智能装备有限公司", "91330681MA2K04Q3X1"]  # the USCC's check digit is wrong
    write_xlsx(buffer, [("数据", ["企业名称", "统一社会信用代码"], [bad_row])])
    job = import_services.import_start(
        actor=officer, kind="enterprises", mode="dry_run", upload=SimpleUploadedFile("企业.xlsx", buffer.getvalue())
    )
    return {
        "users": users,
        "records": [enterprise, lead, project, review],
        "twin": twin,
        "job": job,
        "county": county,
    }


@pytest.fixture
def axe_page(browser, live_server):
    """A page whose context lets axe's script in past the platform's CSP (which refuses inline scripts)."""
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    page.base_url = live_server.url
    yield page
    context.close()


def _pages_of(user, records: list) -> list[str]:
    """The role's navigation, the records it may view, and — for the records' owner — their edit and add pages."""
    pages = ["/"]
    for group in menu_for(user, "/"):
        pages += [entry["url"] for entry in group["entries"]]
    if user.has_capability(Cap.VIEW_ASSIGNED_ONLY):
        return list(dict.fromkeys(pages))  # an expert reaches records only through his own pages (reviews:my_*)
    for record in records:
        if type(record).objects.restrict(user).filter(pk=record.pk).exists():
            pages.append(record.get_absolute_url())
        if type(record).objects.restrict(user, CHANGE).filter(pk=record.pk).exists():
            pages += [
                f"{record.get_absolute_url()}edit/",
                reverse(f"{record._meta.app_label}:{record._meta.model_name}_add"),
            ]
    return list(dict.fromkeys(pages))


def _extra_pages(user, world: dict) -> list[str]:
    """Pages no navigation entry leads to: reached from another page's button or link."""
    enterprise, _lead, project, review = world["records"]
    pages = [
        reverse("accounts:password_change"),
        reverse("accounts:profile"),
        reverse("notify:list"),
        reverse("notify:preferences"),
    ]
    by_capability = {
        Cap.VIEW_STATS: [f"{reverse('stats:cockpit')}?wall=1", reverse("stats:records")],
        Cap.VIEW_AUDIT: [f"{reverse('core:audit')}?tab=changes"],
        Cap.MANAGE_ORG_UNITS: [
            reverse("accounts:org_unit_add"),
            reverse("accounts:org_unit_edit", args=[world["county"].center.pk]),
        ],
        Cap.MANAGE_USERS: [reverse("accounts:user_add"), reverse("accounts:user_edit", args=[user.pk])],
        Cap.ASSIGN_ROLES: [reverse("accounts:user_role", args=[world["users"]["diankou"].pk])],
        Cap.MANAGE_SETTINGS: [
            reverse("projects:stage_edit", args=[Stage.objects.order_by("order").first().pk]),
            reverse("projects:rules_edit"),
            reverse("projects:calendar"),
            reverse("notify:channel_edit", args=["email"]),
            reverse("notify:channel_edit", args=["dingtalk"]),
        ],
        Cap.IMPORT: [f"{reverse('imports:import_new')}?kind={kind}" for kind in REGISTRY],
        Cap.SCORE_REVIEWS: [reverse("reviews:my_review", args=[review.pk])],
    }
    for capability, urls in by_capability.items():
        if user.has_capability(capability):
            pages += urls
    if import_selectors.import_job_list(user=user).filter(pk=world["job"].pk).exists():
        pages.append(reverse("imports:import_detail", args=[world["job"].pk]))
    if type(project).objects.restrict(user, CHANGE).filter(pk=project.pk).exists():
        pages.append(reverse("projects:project_advance", args=[project.pk]))
    if type(enterprise).objects.restrict(user, CHANGE).filter(pk__in=[enterprise.pk, world["twin"].pk]).count() == 2:
        pages.append(f"{reverse('enterprises:enterprise_merge', args=[enterprise.pk])}?other={world['twin'].pk}")
    return pages


def _violations(page, url: str) -> list[str]:
    response = page.goto(page.base_url + url)
    if response is None or response.status >= 400:
        return [f"{url}: HTTP {response.status if response else '—'}"]
    page.wait_for_load_state("networkidle")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        TAGS,
    )
    found = []
    for violation in result["violations"]:
        if violation["impact"] in BLOCKING:
            targets = "; ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
            found.append(f"{url}: [{violation['impact']}] {violation['id']} ({len(violation['nodes'])}×) {targets}")
    return found


def _login(page, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{page.base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("[data-testid=login-submit]")
    page.wait_for_url(f"{page.base_url}/")


def test_no_serious_or_critical_violations_on_any_page_of_any_role(axe_page, world):
    page = axe_page
    found = _violations(page, "/accounts/login/")
    for name, user in world["users"].items():
        _login(page, name)
        for url in dict.fromkeys(_pages_of(user, world["records"]) + _extra_pages(user, world)):
            found += _violations(page, url)
    assert found == [], "\n".join(found)


def test_the_check_finds_an_unlabelled_field(axe_page):
    page = axe_page
    page.set_content('<html lang="zh-CN"><body><main><select><option>---------</option></select></main></body></html>')
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    assert "select-name" in {v["id"] for v in result["violations"]}
