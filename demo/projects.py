"""About 150 demo projects with a history: each is created on a past date and taken through its stages
by the units that own them (checklists ticked, handoffs, a few returns and late stages), so that the
lights, the 督办 list, the board and the departments' to-dos look like a real county's.

Includes the projects named in 诸招商〔2022〕5号 at plausible stages. Deterministic for a given seed.
"""

import random
from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from zhaoshang.accounts.models import OrgUnit, User
from zhaoshang.core.models import Industry
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.notify.models import Notification
from zhaoshang.projects import services
from zhaoshang.projects.models import Project
from zhaoshang.projects.stages import ensure_default_stages

# (name, introducing unit, investor name or None, type, grade, total 万元, FDI 万美元, target stage, industry, country)
NAMED = [
    ("新宜中国数字装备智慧供应链产业园", "zhuji-zone", None, "new", "A", 500000, 0, "start", "7224", ""),
    ("璞剑空气轴承项目", "zhuji-zone", None, "joint_venture", "A", 210000, 30000, "signing", "3452", "新加坡"),
    (
        "世邦魏理仕区域服务中心项目",
        "zhuji-center",
        "世邦魏理仕（中国）有限公司",
        "new",
        "B",
        20000,
        3000,
        "negotiation",
        "7030",
        "美国",
    ),
    (
        "海亮集团 8000 万美元利润再投资项目",
        "zhuji-diankou",
        "海亮集团有限公司",
        "reinvestment",
        "A",
        56000,
        8000,
        "review",
        "3251",
        "中国香港",
    ),
    (
        "万安科技汽车电子扩产项目",
        "zhuji-center",
        "浙江万安科技股份有限公司",
        "capital_increase",
        "A",
        150000,
        0,
        "completion",
        "3670",
        "",
    ),
    (
        "店口镇铜基新材料外资合作项目",
        "zhuji-diankou",
        None,
        "joint_venture",
        "B",
        35000,
        2500,
        "review",
        "3251",
        "德国",
    ),
    ("牌头镇精密制造外资项目", "zhuji-paitou", None, "new", "B", 26000, 1800, "negotiation", "3484", "日本"),
    (
        "大唐袜业智能工厂外资项目",
        "zhuji-datang",
        None,
        "joint_venture",
        "B",
        18000,
        1200,
        "negotiation",
        "1763",
        "美国",
    ),
]

NAME_PARTS = {
    "智能视觉": ["工业相机", "机器视觉检测设备", "光学镜头模组", "图像传感器封测", "视觉算法研发中心"],
    "新能源汽车": ["动力电池结构件", "电驱动系统", "热管理系统", "车载充电机", "轻量化底盘件"],
    "航空航天": ["航空精密零部件", "无人机整机", "航空复合材料构件", "机载电子设备"],
    "新材料": ["高性能铜合金", "碳纤维复合材料", "特种陶瓷", "电子级化学品"],
    "铜材五金": ["高端铜管", "阀门管件智能制造", "精密铜棒"],
    "环保装备": ["烟气治理装备", "污水处理成套设备", "固废资源化利用"],
}
INDUSTRIES = {
    "智能视觉": "3976",
    "新能源汽车": "3670",
    "航空航天": "3744",
    "新材料": "3251",
    "铜材五金": "3251",
    "环保装备": "3591",
}
UNITS = [
    "zhuji-center",
    "zhuji-zone",
    "zhuji-diankou",
    "zhuji-datang",
    "zhuji-office-sh",
    "zhuji-office-sz",
    "zhuji-jinan",
    "zhuji-paitou",
    "zhuji-shanxiahu",
    "zhuji-fengqiao",
]
ORDER = [
    "negotiation",
    "review",
    "signing",
    "registration",
    "land",
    "start",
    "completion",
    "production",
    "full_production",
]
TYPICAL_DAYS = {
    "negotiation": 45,
    "review": 12,
    "signing": 6,
    "registration": 10,
    "land": 80,
    "start": 25,
    "completion": 400,
    "production": 70,
    "full_production": 300,
}
FOLLOWUPS = [
    "与投资方高层会谈，确认投资规模与建设节奏",
    "电话沟通项目进展，企业反映审批材料已齐全",
    "陪同企业实地考察拟选地块",
]
PROBLEMS = [
    ("用地指标需市级统筹调剂", "zrzy"),
    ("施工图审查进度偏慢", "zjj"),
    ("外资注册资本金到位手续咨询", "scjg"),
    ("企业投资项目备案材料补正", "fgj"),
    ("高压线迁改需供电部门配合", "jxj"),
    ("环评审批时间较长", "fgj"),
]


def _actors() -> dict[str, User]:
    """The demo user who acts for each unit; units without one are acted for by the leader."""
    users = {
        u.org_unit.code: u
        for u in User.objects.filter(role__in=["officer", "department", "leader"])
        .select_related("org_unit")
        .order_by("id")
    }
    return users


@transaction.atomic
def seed_projects(total: int = 150, seed: int = 2026) -> int:
    region = OrgUnit.objects.get(code="zhuji")
    if Project.all_objects.filter(region=region).exists():
        return 0
    rng = random.Random(seed)
    today = timezone.localdate()
    ensure_default_stages(region)
    users = _actors()
    leader = users["zhuji"]
    people = [u for u in users.values() if u.role == "officer"]

    def actor_for(unit: OrgUnit) -> User:
        return users.get(unit.code, leader)

    plans = list(NAMED)
    while len(plans) < total:
        chain = rng.choice(list(NAME_PARTS))
        unit = rng.choice(UNITS)
        target = rng.choices(ORDER, weights=[22, 10, 8, 8, 12, 10, 14, 8, 8])[0]
        foreign = rng.random() < 0.3
        name = f"{rng.choice(['年产', '新建', '扩建', ''])}{rng.choice(NAME_PARTS[chain])}项目（{len(plans) + 1:03d}）"
        plans.append(
            (
                name,
                unit,
                None,
                rng.choice(["new", "new", "capital_increase", "joint_venture"]),
                rng.choice("AABBBC"),
                rng.choice([5000, 12000, 30000, 60000, 100000]),
                rng.choice([500, 1000, 3000]) if foreign else 0,
                target,
                INDUSTRIES[chain],
                rng.choice(["德国", "日本", "美国", "中国香港"]) if foreign else "",
            )
        )
    created = 0
    for name, unit_code, investor_name, kind, grade, total_inv, fdi, target, industry, country in plans:
        unit = OrgUnit.objects.get(code=unit_code)
        actor = actor_for(unit)
        investor = Enterprise.objects.filter(name=investor_name).first() if investor_name else None
        path = ORDER[: ORDER.index(target) + 1]
        # Walk backwards from today to find the start date; the current stage has run for a while.
        lateness = rng.choices([0.3, 0.8, 1.3, 2.5], weights=[50, 25, 15, 10])[0]
        durations = [max(1, int(TYPICAL_DAYS[c] * rng.uniform(0.5, 1.1))) for c in path[:-1]]
        current_days = int(TYPICAL_DAYS[target] * lateness)
        start = today - timedelta(days=sum(durations) + current_days)
        operating = investor or Enterprise.objects.filter(org_unit=unit).order_by("?").first()
        data = {
            "name": name,
            "project_type": kind,
            "grade": grade,
            "investor": investor,
            "org_unit": unit,
            "investor_country": country,
            "industry": Industry.objects.get(code=industry),
            "total_investment": Decimal(total_inv),
            "fixed_asset_investment": Decimal(int(total_inv * 0.75)),
            "contracted_fdi": Decimal(fdi) if fdi else None,
            "land_mu": Decimal(rng.choice([30, 50, 80, 120, 200])),
            "floor_area": Decimal(rng.choice([20000, 45000, 80000])),
            "annual_output": Decimal(total_inv * 2),
            "annual_tax": Decimal(int(total_inv * 0.08)),
            "jobs": rng.choice([80, 150, 300, 600]),
            "town": unit if unit.kind in ("town", "zone") else OrgUnit.objects.get(code=rng.choice(UNITS[1:4])),
            "lead_leader": leader,
            "chief_servant": rng.choice(people),
            "signed_planned": start + timedelta(days=60),
            "construction_start_planned": start + timedelta(days=60 + 120),
            "completion_planned": start + timedelta(days=60 + 120 + 420),
            "full_production_planned": start + timedelta(days=60 + 120 + 420 + 400),
        }
        project = services.project_create(actor=actor, data=data, on=start)
        day = start
        for code, days in zip(path[:-1], durations, strict=False):
            project.refresh_from_db()
            if code == "registration" and project.operating_company_id is None:
                Project.objects.filter(pk=project.pk).update(operating_company=operating)
            run = services.open_run(project)
            for entry in run.entries.select_related("owner_unit"):
                done_on = day + timedelta(days=max(1, days // 2))
                ticker = actor_for(entry.owner_unit)
                # A unit without a demo account is acted for by the leader, who must say why.
                note = "" if services.is_entry_owner(ticker, entry) else "该单位尚未开通账号，由领导代为确认"
                if entry.needs_attachment:
                    upload = SimpleUploadedFile(f"{project.code}-投资协议.pdf", demo_pdf(project.code))
                    services.checklist_attach(actor=ticker, entry_id=entry.pk, upload=upload, on=done_on)
                services.checklist_set(actor=ticker, entry_id=entry.pk, done=True, note=note, on=done_on)
            day += timedelta(days=days)
            project.refresh_from_db()
            services.project_advance(actor=actor_for(run.owner_unit), project=project, on=day)
        project.refresh_from_db()
        if rng.random() < 0.3:
            title, dept = rng.choice(PROBLEMS)
            problem_day = max(day, today - timedelta(days=rng.randint(3, 40)))
            services.problem_raise(
                actor=actor,
                project=project,
                title=title,
                owner_unit=users[f"zhuji-{dept}"].org_unit,
                due_on=problem_day + timedelta(days=rng.choice([7, 14, 30])),
                on=problem_day,
            )
        if rng.random() < 0.5:
            services.followup_add(
                actor=actor,
                project=project,
                kind=rng.choice(["visit", "call", "meeting"]),
                date_=today - timedelta(days=rng.randint(1, 50)),
                summary=rng.choice(FOLLOWUPS),
            )
        project.refresh_from_db()
        services.refresh_warning(project)
        created += 1
    # The seeding's own notifications are history: only the 督办 alerts stay unread.
    Notification.objects.exclude(level=Notification.Level.URGENT).update(read_at=timezone.now())
    return created


def demo_pdf(code: str) -> bytes:
    """A one-page PDF standing in for a signed agreement (ASCII text: the built-in fonts have no CJK)."""
    text = f"Investment agreement {code} (demo document)".encode("ascii")
    stream = b"BT /F1 14 Tf 72 760 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)
