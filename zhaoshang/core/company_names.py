"""A Chinese company name taken apart: 行政区划 + 字号 + 行业 + 组织形式 (+ 分支机构).

企业名称登记 builds names as region + trade name (字号) + industry words + organisation form:
``武汉 瑞兴 视觉科技 有限公司``. Two names that share region, industry and form still name different firms
when their 字号 differ (武汉瑞兴视觉 / 武汉达锦视觉), and the same firm is written with or without region,
with 有限公司 or 股份有限公司, or by its 简称 (海亮). ``split_company_name`` finds the parts so that a
comparison can weigh the 字号 and discount what names commonly share.

Reuses the lists of :mod:`zhaoshang.core.text` (provinces, Zhejiang places, organisation forms, generic
industry words) and extends them here with the other large cities and more industry words. The extension is
deliberately not fed back into ``normalize_company_name``: its key is stored (``normalized_name``, indexed,
used by the duplicate check's blocking and the search), and changing it would need every stored key
recomputed.
"""

import re
import unicodedata
from dataclasses import dataclass

from .text import (
    _BRACKET_GROUP_RE,
    _CJK_SUFFIXES,
    _ENGLISH_SUFFIX_RE,
    _GENERIC_INDUSTRY_WORDS,
    _OTHER_CITIES,
    _PROVINCE_FULL_NAMES,
    _PROVINCES,
    _ZHEJIANG_COUNTIES,
    _ZHEJIANG_PLACES,
    _compact,
)

# fmt: off
# Large cities outside Zhejiang, by province: a name prefix like any province (武汉瑞兴视觉科技有限公司).
_CITIES_BY_PROVINCE = {
    "湖北": ("武汉", "宜昌", "襄阳", "荆州", "黄石", "十堰"), "广东": ("广州", "深圳", "东莞", "佛山", "珠海", "中山",
    "惠州", "汕头", "江门"), "江苏": ("南京", "苏州", "无锡", "常州", "南通", "徐州", "扬州", "盐城", "泰州", "镇江",
    "昆山", "江阴", "张家港", "常熟", "宜兴"), "四川": ("成都", "绵阳", "宜宾"), "陕西": ("西安", "宝鸡"),
    "湖南": ("长沙", "株洲", "湘潭", "衡阳"), "河南": ("郑州", "洛阳"), "山东": ("济南", "青岛", "烟台", "潍坊",
    "临沂", "淄博", "威海"), "福建": ("福州", "厦门", "泉州", "漳州", "晋江"), "安徽": ("合肥", "芜湖"),
    "江西": ("南昌", "赣州"), "辽宁": ("沈阳", "大连"), "吉林": ("长春",), "黑龙江": ("哈尔滨",),
    "河北": ("石家庄", "唐山", "保定", "廊坊"), "山西": ("太原",), "内蒙古": ("呼和浩特", "包头"), "广西": ("南宁",
    "柳州", "桂林"), "海南": ("海口", "三亚"), "云南": ("昆明",), "贵州": ("贵阳",), "甘肃": ("兰州",),
    "青海": ("西宁",), "宁夏": ("银川",), "新疆": ("乌鲁木齐",), "西藏": ("拉萨",),
}
# Industry words beyond text's generic ones: what follows the 字号 in most names of a county's library.
_MORE_INDUSTRY_WORDS = (
    "视觉", "光学", "精密", "包装", "印刷", "印务", "纸业", "塑料", "塑胶", "橡胶", "家居", "家具", "照明", "灯饰",
    "电池", "储能", "光伏", "锂电", "半导体", "芯片", "集成电路", "自动化", "机器人", "仪器", "仪表", "传感",
    "检测", "认证", "医疗", "医疗器械", "器械", "制药", "药业", "生物医药", "健康", "养老", "餐饮", "酒店",
    "物业", "广告", "设计", "装饰", "装修", "园林", "绿化", "景观", "市政", "路桥", "钢结构", "幕墙", "门窗",
    "涂料", "油漆", "化学", "日化", "化妆品", "饮料", "乳业", "粮油", "米业", "茶业", "酒业", "水产", "冷链",
    "仓储", "快递", "货运", "航运", "船舶", "航空", "数据", "大数据", "人工智能", "通讯", "视频", "影视", "文旅",
    "体育", "游戏", "动漫", "出版", "木业", "竹业", "石材", "水泥", "混凝土", "铝业", "不锈钢", "铸造", "锻造",
    "机床", "工具", "刀具", "紧固件", "标准件", "弹簧", "齿轮", "传动", "液压", "气动", "暖通", "空调", "制冷",
    "厨具", "卫浴", "洁具", "电线", "电缆", "线缆", "开关", "家电", "电机", "泵业", "阀门", "轴承", "模具",
    "陶瓷", "玻璃", "针织", "丝绸", "化纤", "纺织品", "皮革", "鞋业", "箱包", "玩具", "文具", "工艺品", "袜业",
    "织造", "印染", "商业", "商务", "经贸", "电子商务", "人力资源", "劳务", "保安", "安防", "消防", "汽车零部件",
    "零部件", "配件", "制品", "机器", "装备", "重工", "精工", "动力", "新型", "绿色", "环境工程", "节能", "水处理",
    "安装", "装配", "运营", "租赁", "销售", "开发", "研究", "生态", "种植", "养殖", "农产品", "果蔬", "花卉", "苗木",
)
# Organisation forms of individual and small businesses, and of non-company entities, beyond text's list.
_MORE_FORMS = (
    "个人独资企业", "普通合伙", "合伙企业", "专业合作社", "合作社", "经营部", "门市部", "事务所", "工作室", "研究院",
    "研究所", "商行", "股份", "厂", "店",
)
# fmt: on
_BRANCH_RE = re.compile(r"(分公司|分厂|分店|办事处|营业部|分部|分行|支行|分所)$")
# After a known place: a town, a district or a zone not in the lists (福州市鼓楼区, 诸暨市店口镇).
_TOWN_RE = re.compile(r"^([\u4e00-\u9fff]{2,3}?)(镇|乡|街道|开发区|园区|区|县)")
_PROVINCE_SUFFIXES = ("省", "市", "自治区")
_PLACE_SUFFIXES = ("市", "县", "区")

_PROVINCE_OF: dict[str, str] = dict.fromkeys(_ZHEJIANG_PLACES, "浙江")
_PROVINCE_OF.update({city: province for province, cities in _CITIES_BY_PROVINCE.items() for city in cities})
_PROVINCE_OF.update(dict.fromkeys(_OTHER_CITIES, "广东"))
_PROVINCE_OF.update({province: province for province in _PROVINCES})
_PREFECTURE_OF = {county: city for city, counties in _ZHEJIANG_COUNTIES.items() for county in counties}
# written form → canonical place (浙江省 → 浙江, 诸暨市 → 诸暨, 内蒙古自治区 → 内蒙古), longest first
_PLACE_FORMS: dict[str, str] = {}
for _place in _PROVINCE_OF:
    for _suffix in ("", *(_PROVINCE_SUFFIXES if _PROVINCE_OF[_place] == _place else _PLACE_SUFFIXES)):
        _PLACE_FORMS[_place + _suffix] = _place
for _full in _PROVINCE_FULL_NAMES:
    _PLACE_FORMS[_full] = next(p for p in _PROVINCES if _full.startswith(p))
_PLACES_LONGEST_FIRST = tuple(sorted(_PLACE_FORMS, key=len, reverse=True))
del _place, _suffix, _full

INDUSTRY_WORDS = frozenset(_GENERIC_INDUSTRY_WORDS - {"股份"}) | frozenset(_MORE_INDUSTRY_WORDS)
_INDUSTRY_LENGTHS = sorted({len(w) for w in INDUSTRY_WORDS}, reverse=True)
_FORMS = tuple(sorted(set(_CJK_SUFFIXES) | set(_MORE_FORMS), key=len, reverse=True))
_NAME_LIMIT = 200  # characters looked at: longer than any registered name (the model's limit)


@dataclass(frozen=True)
class NameParts:
    region: str  # the most specific leading place, canonical (浙江省诸暨市 → 诸暨), "" when none
    trade: str  # 字号 (when a name has none, its region acts as one: 浙江物流 → trade 浙江)
    industry: str  # the industry words after the 字号 (视觉科技)
    form: str  # organisation form (有限公司, 股份有限公司, 厂 …), "" when none
    branch: str  # the branch part of a branch's name (诸暨分公司), "" for the entity itself
    places: frozenset[str] = frozenset()  # the leading places and the places containing them (诸暨, 绍兴, 浙江)
    seat: str = ""  # a bracketed place after the 字号 (天能电池（江苏）: a subsidiary seated elsewhere)

    @property
    def key(self) -> str:
        return self.trade + self.industry


def province_of(place: str) -> str:
    """The province of a canonical place (诸暨 → 浙江, 武汉 → 湖北, 浙江 → 浙江); "" if unknown."""
    return _PROVINCE_OF.get(place, "")


def places_around(place: str) -> set[str]:
    """``place`` and the places containing it (诸暨 → 诸暨, 绍兴, 浙江)."""
    found = {place}
    if place in _PREFECTURE_OF:
        found.add(_PREFECTURE_OF[place])
    if province_of(place):
        found.add(province_of(place))
    return found


def _plain(name: str) -> tuple[str, str]:
    """NFKC, ASCII lower-cased, brackets resolved: (text with letters and digits only, a bracketed region)."""
    name = unicodedata.normalize("NFKC", name[:_NAME_LIMIT]).lower()
    bracket_region = ""

    def replace(match: re.Match[str]) -> str:
        nonlocal bracket_region
        content = "".join(match.group(1).split())
        if content in _PLACE_FORMS:
            bracket_region = bracket_region or _PLACE_FORMS[content]
            return " "
        return " " if content in ("中国", "有限合伙", "普通合伙", "china") else f" {content} "

    while True:
        replaced = _BRACKET_GROUP_RE.sub(replace, name, count=1)
        if replaced == name:
            break
        name = replaced
    return _compact(re.sub(r"[()\[\]【】〔〕〖〗]", " ", name)), bracket_region


def _strip_forms(text: str) -> tuple[str, str]:
    """Remove organisation forms from the end (repeatedly: 集团股份有限公司, 股份公司 …): (rest, form)."""
    form = ""
    while True:
        for suffix in _FORMS:
            if text.endswith(suffix) and len(text) > len(suffix):
                text, form = text[: -len(suffix)], suffix + form
                break
        else:
            match = _ENGLISH_SUFFIX_RE.search(text)
            if not (match and match.start() > 0):
                return text, form
            text, form = text[: match.start()].rstrip(), text[match.start() :] + form


def _split_branch(text: str) -> tuple[str, str]:
    """A branch's name is its parent's full name and a branch part (…股份有限公司诸暨分公司): (parent, branch)."""
    if not _BRANCH_RE.search(text):
        return text, ""
    for form in ("有限责任公司", "有限公司", "公司", "集团"):
        at = text.rfind(form, 0, len(text) - 2)
        if at > 0:
            parent, branch = text[: at + len(form)], text[at + len(form) :]
            place = next((p for p in _PLACES_LONGEST_FIRST if branch.startswith(p)), "")
            return parent, (_PLACE_FORMS[place] + branch[len(place) :]) if place else branch
    marker = _BRANCH_RE.search(text).group(1)
    rest = text[: -len(marker)]
    place = next((p for p in _PLACES_LONGEST_FIRST if rest.endswith(p) and len(rest) > len(p)), "")
    if place:  # 中国工商银行诸暨支行: the branch is named by its place
        return rest[: -len(place)], _PLACE_FORMS[place] + marker
    return (rest, marker) if rest else (text, "")


def _strip_region(text: str) -> tuple[str, list[str]]:
    """Remove leading places (浙江省诸暨市店口镇 …) while at least two characters remain: (rest, places)."""
    places: list[str] = []
    while True:
        place = next((p for p in _PLACES_LONGEST_FIRST if text.startswith(p) and len(text) - len(p) >= 2), "")
        if place:
            places.append(_PLACE_FORMS[place])
            text = text[len(place) :]
            continue
        town = _TOWN_RE.match(text) if places else None
        if town and len(text) - town.end() >= 2:
            text = text[town.end() :]
            continue
        return text, places


def _industry_suffix(text: str) -> str:
    """The longest ending of ``text`` made only of industry words that leaves a 字号 of two characters or more
    (华新材料 → 材料, not 新材料), else the longest such ending at all."""
    ends_here = [False] * (len(text) + 1)  # ends_here[i]: text[i:] splits into industry words
    ends_here[len(text)] = True
    for start in range(len(text) - 1, -1, -1):
        ends_here[start] = any(
            start + n <= len(text) and ends_here[start + n] and text[start : start + n] in INDUSTRY_WORDS
            for n in _INDUSTRY_LENGTHS
        )
    starts = [i for i in range(len(text)) if ends_here[i]]
    if not starts:
        return ""
    good = [i for i in starts if i >= 2]
    return text[(good or starts)[0] :]


def split_company_name(name: str) -> NameParts:
    """Take a company name apart (never raises; an empty name gives empty parts).

    >>> split_company_name("武汉瑞兴视觉科技有限公司")
    NameParts(region='武汉', trade='瑞兴', industry='视觉科技', form='有限公司', branch='', \
places=frozenset({'武汉', '湖北'}), seat='')
    >>> split_company_name("浙江海亮股份有限公司诸暨分公司")
    NameParts(region='浙江', trade='海亮', industry='', form='股份有限公司', branch='诸暨分公司', \
places=frozenset({'浙江'}), seat='')
    """
    text, bracket_region = _plain(name)
    text, branch = _split_branch(text)
    branch = branch.replace(" ", "")
    text, form = _strip_forms(text)
    text, places = _strip_region(text.replace(" ", ""))
    industry = _industry_suffix(text)
    trade = text[: len(text) - len(industry)]
    if not trade and places:  # 浙江物流有限公司: the region is the name's distinctive part
        trade, places = places.pop(), places
    seat = bracket_region if places and bracket_region not in places else ""
    places = places or ([bracket_region] if bracket_region else [])
    around = frozenset(p for place in places for p in places_around(place))
    region = places[-1] if places else ""
    return NameParts(region, trade, industry, form, branch, places=around, seat=seat)
