"""About 300 demo leads over the last two years from every channel and unit, including the cases named in
诸招商〔2022〕5号. Converted leads point at the demo projects they became; some are overdue, shelved or
merged. Registered, followed up and assessed through the services, on the dates they happened."""

import random
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from zhaoshang.accounts.models import OrgUnit, User
from zhaoshang.core.errors import ValidationFailed
from zhaoshang.core.models import Industry
from zhaoshang.leads import services
from zhaoshang.leads.models import AssignmentRule, Lead, LeadEvent
from zhaoshang.projects.models import Project

# (title, unit, source, investor, country, rmb 万元, fdi 万美元, project name it became, text)
NAMED = [
    (
        "新宜中国数字装备智慧供应链产业园",
        "zhuji-zone",
        "agency",
        "新宜中国数字装备有限公司",
        "",
        500000,
        0,
        "新宜中国数字装备智慧供应链产业园",
        "投资额 50 亿元，已在进行外资企业招商，计划 2 年内完成以商招商 2 亿美元",
    ),
    (
        "璞剑空气轴承项目（海外基金 3 亿美元）",
        "zhuji-zone",
        "agency",
        "璞剑空气轴承有限公司",
        "新加坡",
        0,
        30000,
        "璞剑空气轴承项目",
        "开发区璞剑空气轴承项目将引进海外基金 3 亿美元",
    ),
    (
        "世邦魏理仕合作线索",
        "zhuji-center",
        "agency",
        "世邦魏理仕（中国）有限公司",
        "美国",
        20000,
        3000,
        "世邦魏理仕区域服务中心项目",
        "国际中介机构，持续洽谈联络，发掘国际项目资源",
    ),
    (
        "海亮集团 8000 万美元外资利润再投资",
        "zhuji-diankou",
        "referral",
        "海亮集团有限公司",
        "中国香港",
        0,
        8000,
        "海亮集团 8000 万美元利润再投资项目",
        "已进入方案架构阶段",
    ),
    ("店口镇外资项目", "zhuji-diankou", "town", "", "德国", 0, 2500, "店口镇铜基新材料外资合作项目", ""),
    ("牌头镇外资项目", "zhuji-paitou", "town", "", "日本", 0, 1800, "牌头镇精密制造外资项目", ""),
    ("大唐街道外资项目", "zhuji-datang", "town", "", "美国", 0, 1200, "大唐袜业智能工厂外资项目", ""),
    ("暨南街道外资项目", "zhuji-jinan", "town", "", "韩国", 0, 1500, None, "正在推进流程"),
    ("应店街镇外资项目", "zhuji-yingdianjie", "town", "", "中国台湾", 0, 1000, None, "正在推进流程"),
    (
        "建设集团外资合作线索",
        "zhuji-center",
        "referral",
        "诸暨市建设集团有限公司",
        "新加坡",
        0,
        2000,
        None,
        "建设集团有外资项目正在推进流程",
    ),
]

SOURCES = ["office", "town", "department", "agency", "referral", "sister_city", "fair", "online", "superior"]
UNIT_BY_SOURCE = {
    "office": ["zhuji-office-bj", "zhuji-office-sh", "zhuji-office-sz", "zhuji-office-cd"],
    "town": ["zhuji-diankou", "zhuji-datang", "zhuji-jinan", "zhuji-paitou", "zhuji-fengqiao"],
    "department": ["zhuji-center"],
    "agency": ["zhuji-center"],
    "referral": ["zhuji-center", "zhuji-zone"],
    "sister_city": ["zhuji-center"],
    "fair": ["zhuji-center", "zhuji-zone"],
    "online": ["zhuji-center"],
    "superior": ["zhuji-center"],
}
TOPICS = [
    ("工业相机及机器视觉检测设备", "3976", "智能视觉"),
    ("动力电池结构件", "3841", "新能源汽车"),
    ("汽车电子控制系统", "3670", "新能源汽车"),
    ("航空精密零部件", "3744", "航空航天"),
    ("碳纤维复合材料", "3091", "新材料"),
    ("高端铜合金材料", "3251", "铜材五金"),
    ("智能针织装备", "1763", "袜业纺织"),
    ("烟气治理装备", "3591", "环保装备"),
    ("光学镜头模组", "4040", "智能视觉"),
]
BRANDS = [
    "华创",
    "远景",
    "瑞航",
    "博视",
    "锐能",
    "中科",
    "精诚",
    "恒信",
    "达远",
    "云帆",
    "英华",
    "德盛",
    "嘉航",
    "睿驰",
]
CITIES = ["北京", "上海", "深圳", "成都", "苏州", "杭州", "合肥", "武汉", "德国", "日本", "新加坡", "中国香港"]
SUMMARIES = [
    "与企业负责人电话沟通投资意向",
    "陪同企业考察开发区标准厂房",
    "赴企业总部拜访，介绍产业政策",
    "企业来访洽谈用地需求",
    "参加推介会后与企业对接",
]


@transaction.atomic
def seed_leads(total: int = 300, seed: int = 7) -> int:
    region = OrgUnit.objects.get(code="zhuji")
    if Lead.all_objects.filter(region=region).exists():
        return 0
    rng = random.Random(seed)
    today = timezone.localdate()
    units = {u.code: u for u in OrgUnit.objects.filter(region=region)}
    users = {u.org_unit.code: u for u in User.objects.filter(role="officer").select_related("org_unit")}
    center = users["zhuji-center"]
    AssignmentRule.objects.get_or_create(
        region=region, source_unit=units["zhuji-office-sh"], assign_unit=units["zhuji-zone"], defaults={"order": 1}
    )
    projects = {p.name: p for p in Project.objects.filter(region=region, lead__isnull=True)}
    spare_projects = [p for name, p in projects.items() if "（" in name]
    rng.shuffle(spare_projects)

    def actor_for(code: str) -> User:
        actor = users.get(code)
        if actor is None:  # a unit without a demo login: the center's officer registers for it
            actor = User.objects.get(pk=center.pk)
            actor.org_unit = units[code]
        return actor

    created = 0
    plans = [(t, u, s, inv, c, r, f, p, text, None, None) for t, u, s, inv, c, r, f, p, text in NAMED]
    while len(plans) < total:
        topic, industry, chain = rng.choice(TOPICS)
        source = rng.choice(SOURCES)
        unit = rng.choice(UNIT_BY_SOURCE[source])
        city = rng.choice(CITIES)
        foreign = city in ("德国", "日本", "新加坡", "中国香港")
        brand = rng.choice(BRANDS) + rng.choice(["科技", "智能", "精密", "新材"])
        investor = f"{'' if foreign else city}{brand}{'（中国）' if foreign else ''}有限公司"
        plans.append(
            (
                f"{brand}{topic}项目",
                unit,
                source,
                investor,
                city if foreign else "",
                rng.choice([3000, 8000, 20000, 50000, 120000]) if not foreign else 0,
                rng.choice([500, 1500, 3000]) if foreign else 0,
                None,
                "",
                industry,
                chain,
            )
        )
    for title, unit_code, source, investor, country, rmb, fdi, project_name, text, industry, chain in plans:
        actor = actor_for(unit_code)
        registered = today - timedelta(days=rng.randint(3, 700))
        project = projects.get(project_name) if project_name else None
        if project is not None:
            registered = (project.first_contact_actual or registered) - timedelta(days=rng.randint(5, 40))
        data = {
            "title": title,
            "source": source,
            "enterprise_name": investor,
            "investor_country": country,
            "investment_rmb": Decimal(rmb) if rmb else None,
            "investment_fdi": Decimal(fdi) if fdi else None,
            "description": text,
            "chain": chain or "",
            "org_unit": units[unit_code],
            "industry": Industry.objects.filter(code=industry).first() if industry else None,
            "land_mu": Decimal(rng.choice([0, 30, 50, 80, 120])) or None,
            "contact_name": rng.choice(["王伟", "李娜", "张强", "刘洋", "陈静"]),
            "contact_title": rng.choice(["总经理", "投资总监", "董事长助理"]),
            "source_unit": units[unit_code] if source in ("office", "town") else None,
        }
        to_pool = source in ("online", "fair", "superior") and rng.random() < 0.5 and project is None
        try:
            lead = services.lead_register(
                actor=actor, data=data, phone=f"139{rng.randint(10000000, 99999999)}", to_pool=to_pool, on=registered
            )
        except ValidationFailed:  # 首谈保护 of an earlier random lead for the same investor: skip this one
            continue
        created += 1
        fate = (
            "converted"
            if project is not None
            else rng.choices(["open", "overdue", "converted", "shelved", "merged"], weights=[45, 15, 20, 15, 5])[0]
        )
        if to_pool or fate == "overdue":
            continue
        day = registered
        for _ in range(rng.randint(1, 4)):
            day = min(today, day + timedelta(days=rng.randint(1, 20)))
            services.followup_add(
                actor=actor,
                lead=lead,
                data={"kind": rng.choice(["call", "visit", "meeting"]), "date": day, "summary": rng.choice(SUMMARIES)},
            )
        if fate == "open" and rng.random() < 0.75:  # most open leads are being worked on
            recent = today - timedelta(days=rng.randint(1, 12))
            if recent > day:
                services.followup_add(
                    actor=actor,
                    lead=lead,
                    data={
                        "kind": "call",
                        "date": recent,
                        "summary": rng.choice(SUMMARIES),
                        "next_date": today + timedelta(days=7),
                    },
                )
        lead.refresh_from_db()
        if fate in ("open", "converted"):
            services.lead_assess(
                actor=actor, lead=lead, grade=rng.choice("ABB"), on=min(today, day + timedelta(days=1))
            )
        if fate == "converted":
            project = project or (spare_projects.pop() if spare_projects else None)
            if project is not None:
                Lead.objects.filter(pk=lead.pk).update(status=Lead.Status.CONVERTED, project=project)
                services.event(
                    lead,
                    LeadEvent.Kind.CONVERTED,
                    f"转为项目 {project.code}",
                    actor=actor,
                    on=project.first_contact_actual,
                )
        elif fate == "shelved":
            services.lead_close(
                actor=actor, lead=lead, reason=rng.choice(["企业投资计划暂缓", "选址意向转向外地", "投资强度不达标"])
            )
        elif fate == "merged":
            other = (
                Lead.objects.filter(org_unit=lead.org_unit, status__in=Lead.OPEN_STATUSES).exclude(pk=lead.pk).first()
            )
            if other is not None:
                services.lead_close(actor=actor, lead=lead, reason="与已有线索重复", merge_into=other)
    return created
