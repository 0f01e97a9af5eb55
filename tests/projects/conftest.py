from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import make_unit, make_user
from zhaoshang.accounts.models import User
from zhaoshang.core.models import Industry
from zhaoshang.core.roles import Cap, roles_with
from zhaoshang.projects import services
from zhaoshang.projects.stages import ensure_default_stages

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def departments(county):
    """The departments the default stages look for, in the test county."""
    return {
        "scjg": make_unit("市场监督管理局", "department", county.root, "zj-scjg"),
        "fgj": make_unit("发展和改革局", "department", county.root, "zj-fgj"),
        "zjj": make_unit("住房和城乡建设局", "department", county.root, "zj-zjj"),
        "jxj": make_unit("经济和信息化局", "department", county.root, "zj-jxj"),
        "zrzy": county.zrzy,
    }


@pytest.fixture
def stages(county, departments):
    return {s.code: s for s in ensure_default_stages(county.root)}


@pytest.fixture
def people(users, departments):
    return {
        **users,
        "scjg": make_user("scjg", "department", departments["scjg"]),
        "fgj": make_user("fgj", "department", departments["fgj"]),
        "zjj": make_user("zjj", "department", departments["zjj"]),
    }


@pytest.fixture
def make_project(people, stages):
    def _make(name="璞剑空气轴承项目", actor=None, on=date(2026, 3, 2), **data):
        return services.project_create(actor=actor or people["diankou"], data={"name": name, **data}, on=on)

    return _make


def tick_all(project, actor, on):
    """Tick every item of the open stage: ``actor`` those of its unit, a member of the item's unit the others
    (an item is ticked by the unit it is assigned to)."""
    run = services.open_run(project)
    for entry in run.entries.select_related("owner_unit"):
        by = actor if services.is_entry_owner(actor, entry) else owner_member(entry.owner_unit)
        if entry.needs_attachment:
            services.checklist_attach(actor=by, entry_id=entry.pk, upload=pdf_upload(), on=on)
        services.checklist_set(actor=by, entry_id=entry.pk, done=True, on=on)


def pdf_upload(name="投资协议.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def owner_member(unit):
    return User.objects.filter(
        org_unit=unit, role__in=roles_with(Cap.BUSINESS_CHANGE) - roles_with(Cap.VIEW_REGION)
    ).first()


def to_registration(make_project, people, on=date(2026, 3, 2)):
    """A project taken by its units through 在谈, 研判 and 签约: 注册 is open at 市场监管局, no 项目公司 yet."""
    project = make_project(
        industry=Industry.objects.get(code="3741"),
        total_investment=Decimal("30000"),
        lead_leader=people["leader"],
        chief_servant=people["diankou"],
    )
    for actor in (people["diankou"], people["center"], people["diankou"]):
        project.refresh_from_db()
        tick_all(project, actor, on)
        project = services.project_advance(actor=actor, project=project, on=on)
    return project


@pytest.fixture
def at_registration(make_project, people):
    return to_registration(make_project, people)
