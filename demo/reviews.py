"""The 专家库 and 研判 demo: research organisations, ~24 experts (a few with conflicts with 海亮集团 so that the
exclusion list shows each rule), the 招商顾问团 with an opinion request, the two starting sheets, and the 海亮
project at 研判 with a blind review in progress — four experts have scored, 郑教授 (login ``expert1``) has
signed the 承诺书 and not yet scored. Idempotent."""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from zhaoshang.accounts.models import OrgUnit, User
from zhaoshang.projects.models import Project
from zhaoshang.reviews import services
from zhaoshang.reviews.models import Expert, Review, Rubric
from zhaoshang.reviews.services.drawing import Subject, draw_order, matching_pool

from .accounts import DEMO_PASSWORD

ORGS = [
    ("诸暨市新材料研究院", "institute"),
    ("诸暨智能制造创新中心", "innovation_center"),
    ("诸暨经济开发区博士后工作站", "postdoc"),
    ("浙江省铜加工产业创新中心", "innovation_center"),
]

# (name, title, employer, research org index or None, fields, login)
EXPERTS = [
    ("郑教授", "教授", "浙江理工大学", 0, ["32", "33"], "expert1"),
    ("陈立群", "教授级高工", "中国有色金属加工工业协会", 3, ["32"], "expert2"),
    ("方国华", "研究员", "诸暨市新材料研究院", 0, ["32", "33"], "expert3"),
    ("许文静", "高级工程师", "杭州铜业检测中心", 3, ["32"], "expert4"),
    ("蒋一鸣", "副教授", "浙江工业大学", 1, ["32", "38"], "expert5"),
    ("吕思远", "博士后", "诸暨经济开发区博士后工作站", 2, ["32"], "expert6"),
    ("郭明辉", "注册会计师", "浙江天健会计师事务所", None, ["C", "72"], "expert7"),
    ("沈佳", "高级经济师", "绍兴市投资咨询中心", None, ["32", "72"], "expert8"),
    ("孟凡", "教授", "浙江大学", 1, ["38", "39"], ""),
    ("韩雪", "高级工程师", "诸暨智能制造创新中心", 1, ["39", "34"], ""),
    ("邵建平", "研究员", "浙江省环境科学研究院", None, ["77"], ""),
    ("马骏", "高级工程师", "浙江省安全生产科学研究院", None, ["74"], ""),
    ("朱红", "教授", "浙江理工大学", None, ["17"], ""),
    ("黄志强", "高级工程师", "万向集团技术中心", None, ["36"], ""),
    ("叶青", "律师", "浙江天册律师事务所", None, ["72"], ""),
    ("何晓东", "高级工程师", "国网诸暨供电公司", None, ["44"], ""),
]
# Conflicts with 海亮集团 (the investor of the demo review): one per rule.
CONFLICTED = [
    ("王海涛", "高级工程师", "浙江海亮股份有限公司", ["32"], "employer"),
    ("李国栋", "教授级高工", "宁波金田铜业", ["32"], "past_employer"),
    ("孙晓梅", "研究员", "诸暨市新材料研究院", ["32"], "relation"),
    ("赵永强", "经济师", "店口镇人民政府", ["32"], "staff"),
]
REVIEW_PROJECT = "海亮集团 8000 万美元利润再投资项目"


def _login(username: str, full_name: str, unit: OrgUnit) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, full_name=full_name, role="expert", org_unit=unit, title="评审专家")
        user.set_password(DEMO_PASSWORD)
        user.password_changed_at = timezone.now()
        user.save()
    return user


def _experts(center_user: User, center: OrgUnit, region: OrgUnit) -> dict[str, Expert]:
    orgs = [services.research_org_create(actor=center_user, name=n, kind=k) for n, k in ORGS]
    made = {}
    for i, (name, title, employer, org, fields, login) in enumerate(EXPERTS):
        user = _login(login, name, center) if login else None
        made[name] = services.expert_create(
            actor=center_user,
            data={
                "name": name,
                "title": title,
                "employer": employer,
                "research_org": orgs[org] if org is not None else None,
                "industries": fields,
                "user": user,
                "phone": f"1390575{i:04d}",
                "speciality": title,
            },
        )
    diankou = OrgUnit.objects.get(code="zhuji-diankou")
    for name, title, employer, fields, rule in CONFLICTED:
        extra = {"staff_unit": diankou} if rule == "staff" else {}
        expert = services.expert_create(
            actor=center_user, data={"name": name, "title": title, "employer": employer, "industries": fields, **extra}
        )
        if rule == "past_employer":
            services.employment_add(
                actor=center_user,
                expert_id=expert.pk,
                employer="海亮集团有限公司",
                started_on=date(2015, 3, 1),
                ended_on=timezone.localdate() - timedelta(days=500),
            )
        if rule == "relation":
            services.relation_add(
                actor=center_user,
                expert_id=expert.pk,
                kind="family",
                enterprise_name="海亮集团有限公司",
                note="配偶在该集团任职",
            )
        made[name] = expert
    return made


def _seed_for(review_region: int, project: Project, wanted: Expert, codes: list[str]) -> str:
    """The first demo seed whose draw includes ``wanted`` (so that the ``expert1`` login has a task)."""
    investor = project.investor
    subject = Subject(
        investor_id=investor.pk if investor else None,
        investor_name=investor.name if investor else "",
        unit_ids=project.org_unit.subtree_ids(),
    )
    pool = matching_pool(region_id=review_region, codes=codes, subject=subject).eligible
    for i in range(1, 500):
        if wanted.pk in draw_order(f"2026-研判-{i:03d}", pool)[:5]:
            return f"2026-研判-{i:03d}"
    return "2026-研判-001"


def _review(center_user: User, experts: dict[str, Expert], region: OrgUnit) -> None:
    project = Project.objects.filter(name=REVIEW_PROJECT).first()
    if project is None or project.stage.code != "review":
        return
    rubric = Rubric.objects.get(region=region, name="亩均论英雄项目评分表")
    if not project.land_mu:
        Project.objects.filter(pk=project.pk).update(
            land_mu=120, fixed_asset_investment=42000, annual_tax=4200, annual_output=96000
        )
    seed = _seed_for(region.pk, project, experts["郑教授"], ["32"])
    review = services.review_create(
        actor=center_user,
        data={
            "project_id": project.pk,
            "rubric_id": rubric.pk,
            "experts": 5,
            "fields": ["32"],
            "blind": True,
            "seed": seed,
            "title": "海亮集团利润再投资项目研判",
        },
    )
    invited = list(review.assignments.filter(status="invited").select_related("expert__user").order_by("order"))
    decliner = next((a for a in invited if a.expert.name != "郑教授"), None)
    if decliner is not None and decliner.expert.user_id:
        services.assignment_respond(
            actor=decliner.expert.user, review_id=review.pk, accept=False, reason="近期出国交流"
        )
    for a in review.assignments.filter(status="invited").select_related("expert__user"):
        if a.expert.user_id:
            services.commitment_sign(actor=a.expert.user, review_id=review.pk)
    review.refresh_from_db()
    if review.status != Review.Status.SCORING:
        return
    values = ["13", "12", "14", "11"]
    for a in review.assignments.filter(status="confirmed").select_related("expert__user").order_by("order"):
        if a.expert.name == "郑教授" or not values:
            continue
        entries = {}
        value = values.pop()
        for item in review.rubric_version.items():
            if item["kind"] == "score":
                entries[item["code"]] = {"value": value, "comment": "项目亩均效益较好，符合铜加工主导产业方向"}
            elif item["kind"] == "veto" and not item.get("indicator"):
                entries[item["code"]] = {"value": "0", "comment": ""}
        services.scores_submit(actor=a.expert.user, review_id=review.pk, entries=entries)


@transaction.atomic
def seed_reviews() -> int:
    region = OrgUnit.objects.get(code="zhuji")
    if Expert.all_objects.filter(region=region).exists():
        return 0
    center = OrgUnit.objects.get(code="zhuji-center")
    center_user = User.objects.get(username="center")
    services.ensure_starting_rubrics(region)
    experts = _experts(center_user, center, region)
    group = services.adviser_group_create(
        actor=center_user,
        name="诸暨市招商顾问团",
        description="由高校、研究院、行业协会和中介机构专家组成，为项目研判提供知识支撑和专业指导。",
        members=[
            (experts[n].pk, s)
            for n, s in [
                ("郑教授", "铜材及新材料"),
                ("孟凡", "智能视觉"),
                ("郭明辉", "财务与投资"),
                ("叶青", "法律合规"),
                ("邵建平", "环保"),
            ]
        ],
    )
    project = Project.objects.filter(name__contains="璞剑").first()
    if project is not None:
        request = services.opinion_request(
            actor=center_user,
            group_id=group.pk,
            project_id=project.pk,
            question="外资 3 亿美元分期到位的可行性与风险？",
        )
        services.opinion_give(
            actor=center_user,
            request_id=request.pk,
            expert_id=experts["郭明辉"].pk,
            text="建议约定分期到位节点并与供地挂钩。",
        )
    _review(center_user, experts, region)
    return len(experts)
