"""招商网络 demo: the four resident offices (北京/上海/深圳/成都) with this year's targets and a season of
activities (one 上海办 visit became a lead), 世邦魏理仕 with its 委托招商协议 and a referral that reached its
reward, the sister city 波里市 (its channel: "原驻华办事处已停止业务，需经波里市政府对接"), and events with
sign-ins and the leads they produced. Written through the network services on the dates things happened."""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from zhaoshang.accounts.models import OrgUnit, User
from zhaoshang.core.models import Industry
from zhaoshang.leads import services as lead_services
from zhaoshang.network import services
from zhaoshang.network.models import EventParticipant, OfficeProfile
from zhaoshang.projects.models import Project

OFFICES = [
    ("zhuji-office-bj", "北京办", "北京", "北京、天津、河北", "驻点 2 人", (14, 48, 5, 2, 1, "800")),
    ("zhuji-office-sh", "上海办", "上海", "上海、江苏", "驻点 3 人", (18, 60, 6, 3, 2, "1500")),
    ("zhuji-office-sz", "深圳办", "深圳", "广东、香港", "驻点 2 人", (14, 48, 5, 2, 1, "1200")),
    ("zhuji-office-cd", "成都办", "成都", "四川、重庆", "驻点 1 人", (8, 30, 3, 1, 1, "300")),
]
ENTERPRISES = {
    "zhuji-office-bj": ["中科智感（北京）科技有限公司", "航天科宇（北京）卫星技术有限公司", "京仪精测科技有限公司"],
    "zhuji-office-sh": ["博睿医疗器械（上海）有限公司", "远望光学（上海）有限公司", "申通智能装备有限公司"],
    "zhuji-office-sz": ["华芯微电（深圳）半导体有限公司", "鹏城储能科技有限公司", "前海视觉算法有限公司"],
    "zhuji-office-cd": ["川能储能科技（四川）有限公司", "蓉航航空部件有限公司"],
}
TOPICS = ["产业链配套洽谈", "新建生产基地意向", "增资扩产交流", "参观总部并介绍诸暨投资环境", "回访项目进展"]
POHRI_CODES = ["3211", "3251", "3841", "3985"]  # copper smelting and rolling, battery cells and materials


def _actor(units, users, code: str) -> User:
    actor = users.get(code)
    if actor is None:  # an office without a demo login: the center's officer records for it
        actor = User.objects.get(username="center")
        actor.org_unit = units[code]
    return actor


def _sign(project: Project, signed: date, investment: Decimal) -> None:
    Project.objects.filter(pk=project.pk).update(signed_actual=signed, total_investment=investment)


@transaction.atomic
def seed_network(seed: int = 17) -> int:
    region = OrgUnit.objects.get(code="zhuji")
    if OfficeProfile.all_objects.filter(region=region).exists():
        return 0
    rng = random.Random(seed)
    today = timezone.localdate()
    units = {u.code: u for u in OrgUnit.objects.filter(region=region)}
    users = {u.org_unit.code: u for u in User.objects.filter(role="officer").select_related("org_unit")}
    center = users["zhuji-center"]
    created = 0
    for code, name, city, coverage, staff, target in OFFICES:
        office = services.office_create(
            actor=center,
            data={"name": name, "city": city, "coverage": coverage, "staff": staff, "org_unit": units[code]},
        )
        keys = ("new_leads", "valid_visits", "negotiating", "signed", "landed", "fdi_usd")
        services.target_set(
            actor=center,
            office=office,
            year=today.year,
            data=dict(zip(keys, (*target[:5], Decimal(target[5])), strict=True)),
        )
        actor = _actor(units, users, code)
        for _ in range(rng.randint(6, 10)):
            enterprise = rng.choice(ENTERPRISES[code])
            day = today - timedelta(days=rng.randint(3, 200))
            services.activity_create(
                actor=actor,
                data={
                    "kind": rng.choice(["visit", "visit", "visit", "reception", "promotion"]),
                    "date": day,
                    "topic": f"{enterprise[:4]}{rng.choice(TOPICS)}",
                    "enterprise_name": enterprise,
                    "people_met": rng.choice(["总经理", "董事长", "投资总监", "副总裁"]),
                    "content": "介绍诸暨产业链与载体情况，了解对方投资计划。",
                    "next_step": rng.choice(["下月邀请来诸暨考察", "提供标准厂房资料", "持续跟进"]),
                },
            )
            created += 1
    sh = _actor(units, users, "zhuji-office-sh")
    visit = services.activity_create(
        actor=sh,
        data={
            "kind": "visit",
            "date": today - timedelta(days=12),
            "topic": "拜访中科智感，洽谈智能视觉传感器基地",
            "enterprise_name": "中科智感（北京）科技有限公司",
            "people_met": "张伟 总经理",
            "content": "对方计划投资2亿元建设视觉传感器生产基地，需地约60亩。",
            "next_step": "两周内来诸暨考察开发区",
        },
    )
    services.activity_to_lead(
        actor=sh, activity=visit, lead_data={"investment_rmb": Decimal("20000"), "chain": "智能视觉"}, on=visit.date
    )
    created += _intermediary(center, today) + _sister_city(center, today) + _events(center, sh, today)
    services.progress_rebuild()  # the seeds set some history directly (.update()): recount the funnel's roll-up
    return created


def _intermediary(center: User, today: date) -> int:
    cbre = services.intermediary_create(
        actor=center,
        data={
            "name": "世邦魏理仕",
            "kind": "consultancy",
            "country": "美国",
            "contact_name": "陈经理",
            "profile": "国际物业顾问，协助发掘国际项目资源（产业地产、外资制造业选址）。",
        },
        phone="13900001234",
    )
    agreement = services.agreement_create(
        actor=center,
        data={
            "intermediary": cbre,
            "name": "世邦魏理仕委托招商协议",
            "scope_chains": "智能视觉、新能源汽车",
            "scope_countries": "美国、德国、新加坡",
            "starts_on": date(today.year - 1, 7, 1),
            "ends_on": date(today.year + 1, 6, 30),
            "reward_kind": "fixed",
            "fixed_amount": Decimal("30"),
            "condition": "signed",
            "within_months": 12,
        },
    )
    registered = today - timedelta(days=150)
    lead = services.referral_register(
        actor=center,
        agreement=agreement,
        on=registered,
        lead_data={
            "title": "美资精密光学元件项目",
            "enterprise_name": "Lumen Optics Inc.",
            "investor_country": "美国",
            "investment_fdi": Decimal("3000"),
            "chain": "智能视觉",
        },
    )
    project = lead_services.lead_convert(actor=center, lead=lead, on=registered + timedelta(days=20))
    _sign(project, registered + timedelta(days=90), Decimal("21000"))
    services.referral_register(
        actor=center,
        agreement=agreement,
        on=today - timedelta(days=40),
        lead_data={
            "title": "德资新能源汽车热管理项目",
            "enterprise_name": "Kessler Thermal GmbH",
            "investor_country": "德国",
            "investment_fdi": Decimal("1500"),
        },
    )
    for reward in services.rewards_refresh(agreement=agreement, actor=center):
        services.reward_decide(actor=User.objects.get(username="leader"), reward=reward, status="approved")
    return 3


def _sister_city(center: User, today: date) -> int:
    pori = services.sister_city_create(
        actor=center,
        data={
            "name": "波里市",
            "country": "芬兰",
            "relation": "sister",
            "established_on": date(1992, 9, 1),
            "relationship_status": "友好城市关系存续，近年交流减少，未有效转化为外资项目",
            "channel_status": "原驻华办事处已停止业务，需经波里市政府对接",
            "partner_department": "外事办",
            "industry_note": "铜冶炼与铜材加工、电池材料、港口物流",
        },
        industries=Industry.objects.filter(code__in=POHRI_CODES),
    )
    services.event_create(
        actor=center,
        data={
            "name": "芬兰波里市经贸交流视频会",
            "kind": "online",
            "organiser": "市外事办、投资促进中心",
            "date": today - timedelta(days=60),
            "place": "线上",
            "cost": Decimal("0.5"),
            "sister_city": pori,
        },
    )
    services.lead_from_source(
        actor=center,
        kind="sister_city",
        record=pori,
        on=today - timedelta(days=55),
        lead_data={
            "title": "芬兰铜材深加工合作项目",
            "enterprise_name": "Pori Copper Oy",
            "investor_country": "芬兰",
            "chain": "铜材五金",
        },
    )
    return 2


def _events(center: User, sh: User, today: date) -> int:
    event = services.event_create(
        actor=sh,
        data={
            "name": "诸暨智能视觉产业推介会（上海）",
            "kind": "promotion",
            "organiser": "投资促进中心、上海办",
            "date": today - timedelta(days=120),
            "place": "上海虹桥",
            "cost": Decimal("35"),
        },
    )
    people = [
        ("远望光学（上海）有限公司", "李娜", "投资总监"),
        ("申通智能装备有限公司", "王强", "总经理"),
        ("博睿医疗器械（上海）有限公司", "赵敏", "副总裁"),
        ("前海视觉算法有限公司", "周杰", "董事长"),
    ]
    EventParticipant.objects.bulk_create(
        [EventParticipant(event=event, enterprise_name=e, person=p, title=t) for e, p, t in people]
    )
    lead = services.lead_from_source(
        actor=sh,
        kind="event",
        record=event,
        on=event.date + timedelta(days=3),
        lead_data={
            "title": "远望光学镜头模组项目",
            "enterprise_name": "远望光学（上海）有限公司",
            "investment_rmb": Decimal("8000"),
            "chain": "智能视觉",
        },
    )
    project = lead_services.lead_convert(actor=sh, lead=lead, on=event.date + timedelta(days=20))
    _sign(project, event.date + timedelta(days=75), Decimal("8000"))
    services.lead_from_source(
        actor=sh,
        kind="event",
        record=event,
        on=event.date + timedelta(days=5),
        lead_data={"title": "申通智能装备视觉检测线项目", "enterprise_name": "申通智能装备有限公司"},
    )
    services.event_create(
        actor=center,
        data={
            "name": "中国国际进口博览会",
            "kind": "fair",
            "organiser": "投资促进中心",
            "date": today - timedelta(days=30),
            "place": "上海国家会展中心",
            "cost": Decimal("20"),
        },
    )
    return 3
