"""The chain map's demo: the reference chains, 链主 and 链长, fictional local enterprises on the county's chains
(so that nodes are 强, 弱 and 缺), fictional target enterprises across China and abroad on every node, all linked,
and a SYNTHETIC history for the backtest: intent signals (financing, new branches, outbound investment) 2–12
months before 2026-06-30, and for about a third of the signalled targets (and a few without signals) a lead
registered after it. Everything fictional carries a generated 统一社会信用代码 (``uscc_is_generated``), which the
backtest uses to say that its figures come from synthetic data. Deterministic and idempotent."""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from zhaoshang.accounts.models import OrgUnit, User
from zhaoshang.chains import services as chains
from zhaoshang.chains.models import Chain, ChainNode
from zhaoshang.core.models import Tag
from zhaoshang.core.text import uscc_generate
from zhaoshang.enterprises import services as enterprises
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.leads import services as leads

CUTOFF = date(2026, 6, 30)
MARKER = "（链图演示）"
# chain code → (towns of its local enterprises, how many local enterprises, share of leaf nodes covered)
LOCAL = {
    "hardware_copper": (["diankou"], 60, 0.8),
    "socks": (["datang"], 50, 0.8),
    "pearl": (["shanxiahu"], 30, 0.7),
    "env_equipment": (["zone", "fengqiao"], 20, 0.5),
    "nev": (["zone", "jiyang"], 18, 0.4),
    "smart_vision": (["zone"], 10, 0.3),
    "new_materials": (["zone", "diankou"], 12, 0.35),
    "aerospace": (["zone"], 4, 0.15),
}
PLACES = [
    ("上海市", "上海市", 5), ("江苏省", "苏州市", 4), ("江苏省", "无锡市", 2), ("浙江省", "杭州市", 4),
    ("浙江省", "宁波市", 3), ("安徽省", "合肥市", 2), ("广东省", "深圳市", 4), ("北京市", "北京市", 3),
    ("四川省", "成都市", 2), ("湖北省", "武汉市", 1), ("陕西省", "西安市", 1),
]  # fmt: skip
FOREIGN = [("德国", "GmbH"), ("日本", "株式会社"), ("美国", "Inc."), ("新加坡", "Pte. Ltd.")]
PREFIX = "瑞华恒达鼎泰宏晟启航博远嘉誉中科新锐卓越汇通联创金瑞星辰天成永信"
MASTERS = {"hardware_copper": "海亮集团有限公司", "nev": "浙江万安科技股份有限公司"}
TAGS = ["上市", "专精特新", "专精特新“小巨人”", "高新技术企业", "中国500强", "独角兽"]


def _user(code: str) -> User:
    return User.objects.select_related("org_unit").get(username=code)


def _as_unit(user: User, unit: OrgUnit) -> User:
    actor = User.objects.select_related("org_unit").get(pk=user.pk)
    actor.org_unit = unit
    return actor


def _name(rng: random.Random, keyword: str, place: str, n: int) -> str:
    brand = "".join(rng.sample(PREFIX, 2))
    return (
        f"{place.removesuffix('市')}{brand}{keyword[:8]}科技有限公司"
        if n % 2
        else f"{place.removesuffix('市')}{brand}{keyword[:8]}有限公司"
    )


def _scope(node: ChainNode) -> str:
    words = node.keywords[:3] or [node.name]
    return f"{'、'.join(words)}的研发、生产与销售；技术服务、技术开发；货物进出口"


def seed_chains(seed: int = 14) -> int:  # size: one seeding pass, in the order the data depends on
    region = OrgUnit.objects.get(code="zhuji")
    if Enterprise.all_objects.filter(region=region, name__endswith=MARKER).exists():
        return 0
    rng = random.Random(seed)
    center = _user("center")
    units = {u.code.removeprefix("zhuji-"): u for u in OrgUnit.objects.filter(region=region)}
    chains.load_reference_chains(region=region, actor=center)
    tags = {t.name: t for t in Tag.objects.filter(name__in=TAGS)}
    made = 0
    code_seed = 900000
    with transaction.atomic():
        for chain in Chain.objects.filter(region=region):
            leaves = list(chain.nodes.filter(children__isnull=True, level__gte=2).order_by("pk"))
            towns, count, share = LOCAL.get(chain.code, (["zone"], 5, 0.2))
            covered = rng.sample(leaves, max(1, int(len(leaves) * share)))
            for i in range(count):
                node = (
                    covered[i % len(covered)]
                    if i < len(covered) * 2
                    else rng.choice(covered[: max(1, len(covered) // 3)])
                )
                unit = units[rng.choice(towns)]
                code_seed += 1
                word = (node.keywords or [node.name])[0][:8]
                enterprises.enterprise_create(
                    actor=_as_unit(center, unit),
                    data={
                        "name": f"诸暨市{''.join(rng.sample(PREFIX, 2))}{word}有限公司{MARKER}",
                        "credit_code": uscc_generate(code_seed),
                        "kind": "local", "org_unit": unit, "business_scope": _scope(node),
                        "registered_capital": Decimal(rng.choice([200, 500, 1000, 3000, 8000])),
                        "scale": rng.choice(["large", "medium", "small", "small", "micro"]),
                        "province": "浙江省", "city": "绍兴市",
                    },
                )  # fmt: skip
                made += 1
            for node in leaves:
                for n in range(3):
                    code_seed += 1
                    foreign = rng.random() < 0.12
                    keyword = rng.choice(node.keywords or [node.name])
                    if foreign:
                        country, form = rng.choice(FOREIGN)
                        name = f"{country}{''.join(rng.sample(PREFIX, 2))}{keyword[:8]}{form}"
                        place = {"origin": "foreign", "country": country}
                    else:
                        province, city, _ = rng.choices(PLACES, weights=[p[2] for p in PLACES])[0]
                        name = _name(rng, keyword, city, n)
                        place = {"province": province, "city": city}
                    capital = Decimal(round(10 ** rng.uniform(2.5, 5.5)))
                    target = enterprises.enterprise_create(
                        actor=center,
                        data={
                            "name": f"{name}{MARKER}", "credit_code": uscc_generate(code_seed), "kind": "target",
                            "business_scope": _scope(node), "registered_capital": capital,
                            "established_on": date(rng.randint(2003, 2022), rng.randint(1, 12), 1), **place,
                        },
                        tags=[tags[t] for t in rng.sample(TAGS, rng.choice([0, 0, 1, 2])) if t in tags],
                    )  # fmt: skip
                    made += 1
                    _history(rng, center, target, chain, node)
        leader = User.objects.filter(username="leader").first()
        masters = {c: Enterprise.objects.filter(region=region, name=n).first() for c, n in MASTERS.items()}
        for chain in Chain.objects.filter(region=region):
            master = masters.get(chain.code)
            data = {"leader": leader} if leader else {}
            chains.chain_update(actor=center, chain=chain, data=data, masters=[master] if master else None)
    chains.link_all(region_id=region.pk, subject="enterprise", restart=True)
    chains.link_all(region_id=region.pk, subject="lead", restart=True)
    chains.link_all(region_id=region.pk, subject="project", restart=True)
    return made


def _history(rng: random.Random, center: User, target: Enterprise, chain: Chain, node: ChainNode) -> None:
    """Synthetic: a third of the targets show intent before the cutoff; half of those (and 3% of the others)
    become leads after it."""
    signalled = rng.random() < 0.33
    if signalled:
        for _ in range(rng.randint(1, 3)):
            kind = rng.choice(["financing", "branch", "outbound", "outbound", "tender"])
            on = CUTOFF - timedelta(days=rng.randint(60, 360))
            enterprises.signal_create(
                actor=center,
                enterprise=target,
                data={"kind": kind, "occurred_on": on, "title": f"{node.name}相关动态（合成演示数据）",
                      "source": "合成演示数据"},
            )  # fmt: skip
    elif rng.random() < 0.1:  # noise: a signal long ago
        enterprises.signal_create(
            actor=center,
            enterprise=target,
            data={"kind": "patent", "occurred_on": CUTOFF - timedelta(days=rng.randint(800, 1500)),
                  "title": "专利授权（合成演示数据）", "source": "合成演示数据"},
        )  # fmt: skip
    if rng.random() < (0.5 if signalled else 0.03):
        on = CUTOFF + timedelta(days=rng.randint(10, 150))
        leads.lead_register(
            actor=center,
            data={"title": f"{target.name.removesuffix(MARKER)}{node.name}项目", "enterprise_id": target.pk,
                  "enterprise_name": target.name, "source": "office", "chain": chain.name[:40],
                  "source_detail": "合成演示数据：链图回测历史"},
            on=on,
        )  # fmt: skip
