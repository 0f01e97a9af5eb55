"""About 2,000 demo enterprises: the county's real local leaders and well-known target enterprises by
name (without any 统一社会信用代码: a real company must not get an invented one), and a generated mix
of fictional local, domestic-target and foreign enterprises with contacts, tags and signals.

Fictional enterprises carry codes from ``uscc_generate`` (marked "YYYY" at positions 9–12, which
``uscc_is_generated`` recognises). A few deliberate near-duplicates let the duplicates report find
something. Deterministic: the same seed gives the same library.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from zhaoshang.accounts.models import OrgUnit, User
from zhaoshang.core.models import Industry, Tag
from zhaoshang.core.text import uscc_generate
from zhaoshang.enterprises import services
from zhaoshang.enterprises.models import Enterprise

# (name, kind, origin, country, industry class, province, city, tags, unit code, scope)
REAL = [
    (
        "海亮集团有限公司",
        "local",
        "domestic",
        "",
        "3251",
        "浙江省",
        "绍兴市",
        ["中国500强", "民营500强", "链主"],
        "zhuji-diankou",
        "铜及铜合金管材、棒材的生产与销售；教育、环保、健康产业投资",
    ),
    (
        "浙江海亮股份有限公司",
        "local",
        "domestic",
        "",
        "3251",
        "浙江省",
        "绍兴市",
        ["上市", "高新技术企业"],
        "zhuji-diankou",
        "铜管、铜棒、铜管接件的制造与销售",
    ),
    (
        "浙江万安科技股份有限公司",
        "local",
        "domestic",
        "",
        "3670",
        "浙江省",
        "绍兴市",
        ["上市", "高新技术企业", "链主"],
        "zhuji-center",
        "汽车制动系统、离合器操纵系统、悬架系统及汽车电子产品的研发、制造与销售",
    ),
    (
        "浙江菲达环保科技股份有限公司",
        "local",
        "domestic",
        "",
        "3591",
        "浙江省",
        "绍兴市",
        ["上市", "高新技术企业"],
        "zhuji-center",
        "大气污染治理设备、固废处理设备的研发制造与工程总承包",
    ),
    (
        "浙江阮仕珍珠股份有限公司",
        "local",
        "domestic",
        "",
        "4119",
        "浙江省",
        "绍兴市",
        ["专精特新"],
        "zhuji-shanxiahu",
        "淡水珍珠养殖、加工与珍珠饰品销售",
    ),
    (
        "世邦魏理仕（中国）有限公司",
        "target",
        "foreign",
        "美国",
        "7040",
        "上海市",
        "上海市",
        ["世界500强"],
        "zhuji-center",
        "房地产咨询、物业管理与投资顾问服务",
    ),
    (
        "杭州海康威视数字技术股份有限公司",
        "target",
        "domestic",
        "",
        "3919",
        "浙江省",
        "杭州市",
        ["上市", "中国500强"],
        "zhuji-center",
        "视频监控产品、机器视觉产品的研发与生产；工业相机、智能传感",
    ),
    (
        "浙江大华技术股份有限公司",
        "target",
        "domestic",
        "",
        "3919",
        "浙江省",
        "杭州市",
        ["上市"],
        "zhuji-center",
        "视频监控与智能视觉解决方案、机器视觉、智能交通",
    ),
    (
        "舜宇光学科技（集团）有限公司",
        "target",
        "hmt",
        "中国香港",
        "4040",
        "浙江省",
        "宁波市",
        ["上市"],
        "zhuji-office-sh",
        "光学镜头、车载镜头、手机摄像模组、光学仪器",
    ),
    (
        "宁德时代新能源科技股份有限公司",
        "target",
        "domestic",
        "",
        "3841",
        "福建省",
        "宁德市",
        ["上市", "中国500强", "链主"],
        "zhuji-office-sz",
        "动力电池系统、储能系统、锂电池材料的研发生产与销售",
    ),
    (
        "比亚迪股份有限公司",
        "target",
        "domestic",
        "",
        "3612",
        "广东省",
        "深圳市",
        ["上市", "世界500强"],
        "zhuji-office-sz",
        "新能源汽车、动力电池、电子零部件的研发与制造",
    ),
    (
        "中国商用飞机有限责任公司",
        "target",
        "domestic",
        "",
        "3741",
        "上海市",
        "上海市",
        ["中国500强"],
        "zhuji-office-sh",
        "民用飞机的设计、制造、总装与试飞",
    ),
    (
        "成都飞机工业（集团）有限责任公司",
        "target",
        "domestic",
        "",
        "3741",
        "四川省",
        "成都市",
        [],
        "zhuji-office-cd",
        "飞机及航空零部件的研制与生产",
    ),
    (
        "万向集团公司",
        "target",
        "domestic",
        "",
        "3670",
        "浙江省",
        "杭州市",
        ["中国500强", "民营500强"],
        "zhuji-center",
        "汽车零部件、新能源电池与整车的研发制造",
    ),
]

# Deliberate near-duplicates of the above for the duplicates report.
NEAR_DUPLICATES = [
    ("海亮集团", "zhuji-center"),
    ("浙江万安科技有限公司", "zhuji-center"),
    ("海康威视数字技术股份公司", "zhuji-office-sh"),
    ("宁德时代新能源科技有限公司", "zhuji-center"),
]

# Chains the center targets → (industry classes, word roots, scope phrases)
SECTORS = {
    "智能视觉": (
        ["3919", "3976", "4040", "6513"],
        ["视觉", "光电", "影像", "智眸", "视讯", "图像"],
        "工业相机、工业镜头、机器视觉系统与图像处理软件的研发与销售",
    ),
    "新能源汽车": (
        ["3612", "3670", "3841", "3849"],
        ["新能源", "动力", "电驱", "储能", "锂电", "电控"],
        "新能源汽车零部件、动力电池、电机电控系统的研发与制造",
    ),
    "航空航天": (
        ["3741", "3744", "3749", "3743"],
        ["航空", "航天", "飞翼", "星际", "空天", "翔宇"],
        "航空零部件、航空器材与航天设备的设计与制造",
    ),
    "新材料": (
        ["2651", "2653", "3240", "3091"],
        ["新材", "复材", "碳纤", "纳米", "高分子", "特种合金"],
        "高性能复合材料、碳纤维制品与特种合金材料的研发与生产",
    ),
    "铜材五金": (
        ["3251", "3259", "3389", "3484"],
        ["铜业", "管业", "五金", "阀门", "精工", "铜材"],
        "铜管、铜棒、阀门管件与五金制品的生产与销售",
    ),
    "袜业纺织": (
        ["1713", "1762", "1819", "1830"],
        ["袜业", "针织", "纺织", "服饰", "织造", "丝袜"],
        "袜子、针织品的织造、加工与销售",
    ),
    "珍珠": (["4119", "0412", "2438"], ["珍珠", "珠宝", "饰品", "蚌业"], "淡水珍珠养殖、加工及珍珠饰品的销售"),
    "环保装备": (
        ["3591", "3592", "7722", "7724"],
        ["环保", "环境", "净化", "清源", "绿能"],
        "环保设备、水处理与大气治理设备的研发制造",
    ),
}

BRANDS = list("华鼎盛恒泰瑞达丰源宏宇嘉兴安诚信远锦邦联合创新智航")
PLACES_DOMESTIC = [
    ("浙江省", "杭州市", "杭州"),
    ("浙江省", "宁波市", "宁波"),
    ("浙江省", "绍兴市", "绍兴"),
    ("上海市", "上海市", "上海"),
    ("江苏省", "苏州市", "苏州"),
    ("广东省", "深圳市", "深圳"),
    ("北京市", "北京市", "北京"),
    ("四川省", "成都市", "成都"),
    ("湖北省", "武汉市", "武汉"),
    ("安徽省", "合肥市", "合肥"),
]
FOREIGN = [
    ("德国", "GmbH", "Germany"),
    ("日本", "株式会社", "Japan"),
    ("美国", "Inc.", "USA"),
    ("韩国", "Co., Ltd.", "Korea"),
    ("新加坡", "Pte. Ltd.", "Singapore"),
    ("中国香港", "Limited", "Hong Kong"),
    ("中国台湾", "股份有限公司", "Taiwan"),
    ("芬兰", "Oy", "Finland"),
]
LATIN = ["Vision", "Aero", "Power", "Nova", "Tech", "Precision", "Matrix", "Optics", "Electric", "Material"]
SURNAMES = list("王李张刘陈杨黄赵周吴徐孙马朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭曾")
GIVEN = ["伟", "芳", "敏", "静", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明", "超", "霞", "平", "刚", "桂英"]
TITLES = ["董事长", "总经理", "副总经理", "投资总监", "战略发展部经理", "董事会秘书", "财务总监"]
SIGNAL_TEXT = {
    "financing": ["完成 B 轮融资", "完成 C 轮融资", "获得产业基金战略投资", "完成 Pre-IPO 轮融资"],
    "outbound": ["在长三角新设生产基地", "对外投资设立全资子公司", "收购一家上游材料企业"],
    "branch": ["新设华东区域总部", "设立研发中心", "新设销售分公司"],
    "tender": ["中标省级重点工程设备采购项目", "中标整车企业零部件定点项目"],
    "patent": ["新增发明专利授权 12 项", "新增发明专利授权 5 项", "牵头制定行业标准"],
    "list": ["入选国家级专精特新“小巨人”名单", "入选中国民营企业 500 强", "入选省级隐形冠军培育名单"],
}
TOWN_CODES = [
    "zhuji-diankou",
    "zhuji-datang",
    "zhuji-shanxiahu",
    "zhuji-fengqiao",
    "zhuji-paitou",
    "zhuji-ciwu",
    "zhuji-jinan",
    "zhuji-taozhu",
    "zhuji-zone",
]
TOWN_SECTORS = {"zhuji-diankou": "铜材五金", "zhuji-datang": "袜业纺织", "zhuji-shanxiahu": "珍珠"}


def _actors() -> dict[str, User]:
    """A business user per unit to act as (demo data is entered by the units that own it)."""
    by_unit = {
        u.org_unit.code: u for u in User.objects.filter(role__in=["officer", "leader"]).select_related("org_unit")
    }
    center = by_unit["zhuji-center"]
    actors = {}
    for unit in OrgUnit.objects.filter(region__code="zhuji"):
        actor = by_unit.get(unit.code)
        if actor is None:
            # No demo login in this unit: the center's officer enters it on the unit's behalf.
            actor = User.objects.get(pk=center.pk)
            actor.org_unit = unit
        actors[unit.code] = actor
    return actors


def _phone(rng: random.Random) -> str:
    return f"1{rng.choice('3589')}{rng.randint(0, 9)}{rng.randint(10000000, 99999999)}"


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


@transaction.atomic
def seed_enterprises(total: int = 2000, seed: int = 20261129) -> int:
    if Enterprise.all_objects.filter(region__code="zhuji").exists():
        return 0
    rng = random.Random(seed)
    actors = _actors()
    industries = {i.code: i for i in Industry.objects.filter(level=4)}
    tags = {t.name: t for t in Tag.objects.all()}
    created = 0

    def create(actor, data, tag_names, contacts=1, signals=1):
        nonlocal created
        enterprise = services.enterprise_create(actor=actor, data=data, tags=[tags[t] for t in tag_names])
        for _ in range(contacts):
            services.contact_create(
                actor=actor,
                enterprise=enterprise,
                data={
                    "name": _person(rng),
                    "title": rng.choice(TITLES),
                    "phone": _phone(rng),
                    "email": f"contact{created}@example.com",
                    "wechat": "",
                },
            )
        for _ in range(signals):
            kind = rng.choice(list(SIGNAL_TEXT))
            services.signal_create(
                actor=actor,
                enterprise=enterprise,
                data={
                    "kind": kind,
                    "occurred_on": date(2026, 11, 1) - timedelta(days=rng.randint(0, 700)),
                    "title": rng.choice(SIGNAL_TEXT[kind]),
                    "source": rng.choice(["企查查", "新闻报道", "驻外办事处", "行业协会"]),
                    "amount": Decimal(rng.randint(1, 200) * 1000) if kind == "financing" else None,
                },
            )
        created += 1
        return enterprise

    for name, kind, origin, country, industry, province, city, tag_names, unit, scope in REAL:
        create(
            actors[unit],
            {
                "name": name,
                "kind": kind,
                "origin": origin,
                "country": country,
                "industry": industries.get(industry),
                "province": province,
                "city": city,
                "business_scope": scope,
                "scale": "large",
                "org_unit": actors[unit].org_unit,
            },
            tag_names,
            contacts=2,
            signals=2,
        )
    for name, unit in NEAR_DUPLICATES:
        create(actors[unit], {"name": name, "kind": "target", "org_unit": actors[unit].org_unit}, [], 0, 0)

    seq = 0
    used: set[str] = set()
    while created < total:
        seq += 1
        roll = rng.random()
        if roll < 0.45:  # local enterprise in a town
            unit = rng.choice(TOWN_CODES)
            sector = TOWN_SECTORS.get(unit) or rng.choice(list(SECTORS))
            prefix, province, city, kind, origin, country, suffix = (
                "诸暨市",
                "浙江省",
                "绍兴市",
                "local",
                "domestic",
                "",
                "有限公司",
            )
        elif roll < 0.85:  # domestic target, found by the center or a resident office
            province, city, prefix = rng.choice(PLACES_DOMESTIC)
            unit = {
                "上海": "zhuji-office-sh",
                "深圳": "zhuji-office-sz",
                "北京": "zhuji-office-bj",
                "成都": "zhuji-office-cd",
            }.get(prefix, "zhuji-center")
            sector = rng.choice(["智能视觉", "新能源汽车", "航空航天", "新材料", "环保装备"])
            kind, origin, country, suffix = (
                "target",
                "domestic",
                "",
                rng.choice(["有限公司", "股份有限公司", "科技有限公司"]),
            )
        else:  # foreign or Hong Kong/Macao/Taiwan investor
            country, legal, english_country = rng.choice(FOREIGN)
            province, city, prefix = "境外", "", ""
            unit = rng.choice(["zhuji-center", "zhuji-office-sh", "zhuji-zone"])
            sector = rng.choice(["智能视觉", "新能源汽车", "航空航天", "新材料"])
            kind, origin = "target", ("hmt" if country.startswith("中国") else "foreign")
            suffix = "（中国）有限公司"
        classes, roots, scope = SECTORS[sector]
        brand = "".join(rng.sample(BRANDS, 2))
        name = f"{prefix}{brand}{rng.choice(roots)}{suffix}"
        if name in used:
            continue
        used.add(name)
        english = f"{rng.choice(LATIN)} {rng.choice(LATIN)} {legal}" if origin != "domestic" else ""
        tag_names = [
            t
            for t, p in (
                ("高新技术企业", 0.25),
                ("专精特新", 0.12),
                ("专精特新“小巨人”", 0.03),
                ("上市", 0.05),
                ("独角兽", 0.01),
            )
            if rng.random() < p
        ]
        data = {
            "name": name,
            # the foreign ones are their investors' enterprises registered in China: they have a code too
            "credit_code": uscc_generate(seq),
            "kind": kind,
            "origin": origin,
            "country": country,
            "english_name": english,
            "province": province,
            "city": city,
            "industry": industries.get(rng.choice(classes)),
            "scale": rng.choice(["medium", "small", "small", "micro"]),
            "registered_capital": Decimal(rng.choice([100, 500, 1000, 2000, 5000, 10000, 30000])),
            "established_on": date(rng.randint(1995, 2024), rng.randint(1, 12), rng.randint(1, 28)),
            "legal_representative": _person(rng),
            "business_scope": scope,
            "org_unit": actors[unit].org_unit,
        }
        create(actors[unit], data, tag_names, contacts=rng.choice([0, 1, 1, 2]), signals=rng.choice([0, 0, 1, 2]))
    return created
