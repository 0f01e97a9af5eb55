"""Offline extraction of investment-lead (线索) fields from free text: a chat message, a meeting note, a report.

``extract(text, enterprise_names=...)`` returns ``{"fields": {name: field | None}, "source": "offline"}`` where a
field is ``{"value": ..., "start": i, "end": j}`` and ``text[start:end]`` is the substring the value came from
(``investment_amount`` also carries ``"unit"`` beside ``"value"``). The fields:

``enterprise_name``
    The investing enterprise as written: a Chinese name ending in an organisation form (有限公司, 股份有限公司,
    集团, 株式会社, （中国）有限公司 …) with the name characters before it, a Latin name ending in a legal form
    (Inc., Ltd., GmbH, AG, Oy, B.V. …), or a name from the caller's enterprise library (``enterprise_names``:
    full names and short forms such as 海亮; the longest match wins). A foreign country written before the name
    (德国…, 中国台湾…) is not part of it. Intermediaries (世邦魏理仕, 璞剑, 咨询/顾问/商会 …), the enterprise that
    *refers* another (X引荐, X的配套商), the parent before 旗下 and the target after 收购 are passed over.
``investment_amount``
    ``{"value": "<decimal>", "unit": "万元" | "万美元"}``. Arabic and Chinese numerals, 亿/万/千万, 个亿,
    thousands separators; 亿 without a currency is RMB. Amounts after 产值/营收/注册资本/研发投入 … are not
    investment; the amount nearest a 总投资/投资额/计划投资 … keyword wins, else the largest.
``project_type``
    One of :data:`PROJECT_TYPES` by keywords, most specific first (see :data:`_TYPE_RULES`); None if none.
``industry``
    ``{"code": GB/T 4754-2017 class, "name": class name}`` plus ``"chain"`` when the words belong to one of the
    center's chains (:data:`CHAINS`). Built-in product keywords first (head-final compounds: 锂电池正极材料 →
    正极材料), words outside enterprise names before words inside them; otherwise keyword overlap with the
    class names and notes of GB/T 4754-2017.
``location``
    Where the *investor* is (the place as written: 上海, 深圳市, 德国, 中国香港), never the 诸暨 site: the towns of
    诸暨 are ignored, 浙江/绍兴 count only with a cue (来自…, …客商), places after 在/到/落户 are the target. Cues
    rank the candidates: the chosen enterprise's own leading place or the country before it, then 来自 X / X 的… /
    X 某企业, then a 驻 X 联络处 header.
``contact_name`` / ``contact_title`` / ``contact_phone``
    The enterprise-side contact: after 联系人/对接人/联系, next to a title (王伟总经理, 董事长陈建国), before a phone
    number, or a surname with 总/董/先生/女士/老板/经理. ``王总`` stays the name with no title; ``张经理`` gives the
    title 经理. Phones: mainland mobiles (spaces/dashes allowed, +86) and landlines with an area code, normalised to
    ``13812345678`` / ``0575-87012345``; a mobile beats a landline.
``site_area_mu``
    Land in 亩 (Arabic or Chinese numerals); for a range (需地50-80亩) the lower number is taken, since the
    county plans land from the minimum need. A mention after 用地/需地/拿地 … wins over others.

jieba segments the text (without HMM, so unknown brand characters stay single and dictionary words keep
their boundaries); the place names are added to its dictionary in memory on first use. Nothing is written to
disk and nothing is read per call: the GB/T 4754 table, the dictionary and the indexes are built once, lazily,
on the first call (about two seconds, mostly jieba's dictionary) and cached.

``extract_with_endpoint`` asks an OpenAI-compatible ``/chat/completions`` endpoint for the same fields and
validates the answer against the text; ``extract_any`` tries it first and falls back to ``extract``.
"""

from __future__ import annotations

import json
import re
import threading
import urllib.error
import urllib.request
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from pathlib import Path

FIELDS = (
    "enterprise_name",
    "investment_amount",
    "project_type",
    "industry",
    "location",
    "contact_name",
    "contact_phone",
    "contact_title",
    "site_area_mu",
)

PROJECT_TYPES = {
    "new": "新建",
    "capital_increase": "增资",
    "reinvestment": "利润再投资",
    "merger": "并购",
    "joint_venture": "合资",
    "return": "返程投资",
    "referral": "以商招商",
}

UNITS = ("万元", "万美元")

GB_PATH = Path(__file__).resolve().parent.parent / "core" / "data" / "gbt4754-2017.json"

# ---------------------------------------------------------------------------------------------------------------------
# Text normalisation: full-width ASCII → half-width, index for index (so spans found in the normalised text are
# spans of the original). The Chinese comma stays: "1，500万" is a list, not a thousands separator.
# ---------------------------------------------------------------------------------------------------------------------

_HALF_WIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F) if c != 0xFF0C}
_HALF_WIDTH[0x3000] = 0x20


def _normalise(text: str) -> str:
    return text.translate(_HALF_WIDTH)


def _words(text: str) -> list[str]:
    """The space-separated words of ``text`` (long word lists read better as one string)."""
    return text.split()


# ---------------------------------------------------------------------------------------------------------------------
# Places
# ---------------------------------------------------------------------------------------------------------------------

COUNTRIES = _words(
    "德国 日本 美国 韩国 新加坡 芬兰 法国 英国 意大利 荷兰 瑞士 以色列 瑞典 丹麦 挪威 比利时 奥地利 西班牙 葡萄牙 "
    "爱尔兰 加拿大 澳大利亚 新西兰 俄罗斯 印度 越南 泰国 马来西亚 印度尼西亚 印尼 菲律宾 阿联酋 沙特阿拉伯 沙特 "
    "土耳其 巴西 墨西哥 阿根廷 智利 南非 埃及 波兰 捷克 匈牙利 卢森堡 希腊 柬埔寨 缅甸 巴基斯坦 哈萨克斯坦 乌克兰"
)
REGIONS = ("中国香港", "中国澳门", "中国台湾", "香港", "澳门", "台湾")
PROVINCES = _words(
    "河北 山西 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东 河南 湖北 湖南 广东 海南 四川 贵州 云南 陕西 甘肃 青海"
)
AUTONOMOUS_REGIONS = ("内蒙古", "广西", "西藏", "宁夏", "新疆")
MUNICIPALITIES = ("北京", "天津", "上海", "重庆")
ZHEJIANG_CITIES = ("杭州", "宁波", "温州", "嘉兴", "湖州", "绍兴", "金华", "衢州", "舟山", "台州", "丽水")
ZHEJIANG_COUNTIES = _words(
    "上城 拱墅 西湖 滨江 萧山 余杭 临平 钱塘 富阳 临安 桐庐 淳安 建德 海曙 江北 北仑 镇海 鄞州 奉化 余姚 慈溪 象山 "
    "宁海 鹿城 龙湾 瓯海 洞头 乐清 瑞安 永嘉 平阳 苍南 文成 泰顺 龙港 南湖 秀洲 嘉善 海盐 海宁 平湖 桐乡 吴兴 南浔 "
    "德清 长兴 安吉 越城 柯桥 上虞 新昌 嵊州 婺城 金东 兰溪 义乌 东阳 永康 浦江 武义 磐安 柯城 衢江 江山 常山 开化 "
    "龙游 定海 普陀 岱山 嵊泗 椒江 黄岩 路桥 临海 温岭 玉环 三门 天台 仙居 莲都 龙泉 青田 缙云 遂昌 松阳 云和 庆元 "
    "景宁"
)
# Prefecture-level cities outside Zhejiang, and a few county-level cities that investors come from.
OTHER_CITIES = _words(
    "石家庄 唐山 秦皇岛 邯郸 邢台 保定 张家口 承德 沧州 廊坊 衡水 太原 大同 阳泉 长治 晋城 朔州 晋中 运城 忻州 临汾 "
    "吕梁 呼和浩特 包头 乌海 赤峰 通辽 鄂尔多斯 呼伦贝尔 巴彦淖尔 乌兰察布 沈阳 大连 鞍山 抚顺 本溪 丹东 锦州 营口 "
    "阜新 辽阳 盘锦 铁岭 朝阳 葫芦岛 长春 四平 辽源 通化 白山 松原 白城 哈尔滨 齐齐哈尔 鸡西 鹤岗 双鸭山 大庆 伊春 "
    "佳木斯 七台河 牡丹江 黑河 绥化 南京 无锡 徐州 常州 苏州 南通 连云港 淮安 盐城 扬州 镇江 泰州 宿迁 合肥 芜湖 "
    "蚌埠 淮南 马鞍山 淮北 铜陵 安庆 黄山 滁州 阜阳 宿州 六安 亳州 池州 宣城 福州 厦门 莆田 三明 泉州 漳州 南平 "
    "龙岩 宁德 南昌 景德镇 萍乡 九江 新余 鹰潭 赣州 吉安 宜春 抚州 上饶 济南 青岛 淄博 枣庄 东营 烟台 潍坊 济宁 "
    "泰安 威海 日照 临沂 德州 聊城 滨州 菏泽 郑州 开封 洛阳 平顶山 安阳 鹤壁 新乡 焦作 濮阳 许昌 漯河 三门峡 南阳 "
    "商丘 信阳 周口 驻马店 武汉 黄石 十堰 宜昌 襄阳 鄂州 荆门 孝感 荆州 黄冈 咸宁 随州 长沙 株洲 湘潭 衡阳 邵阳 "
    "岳阳 常德 张家界 益阳 郴州 永州 怀化 娄底 广州 韶关 深圳 珠海 汕头 佛山 江门 湛江 茂名 肇庆 惠州 梅州 汕尾 "
    "河源 阳江 清远 东莞 中山 潮州 揭阳 云浮 南宁 柳州 桂林 梧州 北海 防城港 钦州 贵港 玉林 百色 贺州 河池 来宾 "
    "崇左 海口 三亚 儋州 成都 自贡 攀枝花 泸州 德阳 绵阳 广元 遂宁 内江 乐山 南充 眉山 宜宾 广安 达州 雅安 巴中 "
    "资阳 贵阳 六盘水 遵义 安顺 毕节 铜仁 昆明 曲靖 玉溪 保山 昭通 丽江 普洱 临沧 拉萨 日喀则 林芝 西安 铜川 宝鸡 "
    "咸阳 渭南 延安 汉中 榆林 安康 商洛 兰州 嘉峪关 金昌 白银 天水 武威 张掖 平凉 酒泉 庆阳 定西 陇南 西宁 银川 "
    "石嘴山 吴忠 固原 中卫 乌鲁木齐 克拉玛依 吐鲁番 哈密 雄安 昆山 张家港 常熟 太仓 江阴 宜兴 晋江 石狮"
)
OTHER_DISTRICTS = [
    "浦东",
    "闵行",
    "松江",
    "嘉定",
    "青浦",
    "奉贤",
    "宝山",
    "海淀",
    "昌平",
    "顺义",
    "亦庄",
    "龙岗",
    "宝安",
    "福田",
    "坪山",
]
# Bare forms that are ordinary words too (西湖, 天台 "rooftop", 江山 "realm" …): only recognised with their suffix.
AMBIGUOUS_BARE = frozenset(
    _words("西湖 滨江 江北 南湖 江山 开化 普陀 天台 中山 钱塘 长兴 朝阳 大同 日照 北海 普洱 白山 黄山 白银 中卫 三明")
)
# The site: 诸暨 and its towns and streets. A lead's location is never the site.
SITE_WORDS = _words(
    "诸暨 暨阳 浣东 陶朱 店口 大唐 枫桥 次坞 牌头 同山 山下湖 草塔 安华 璜山 五泄 王家井 应店街 马剑 岭北 赵家 东和 "
    "东白湖 阮市 江藻 姚江 直埠 街亭 经开区"
)
# The home province and prefecture: an enterprise called 浙江… or 绍兴… is usually local, so these only count
# with an explicit cue (来自绍兴, 绍兴本地客商).
HOME_PLACES = frozenset({"浙江", "浙江省", "绍兴", "绍兴市"})

_COUNTRY, _REGION, _PROVINCE, _CITY, _COUNTY, _SITE = "country", "region", "province", "city", "county", "site"


def _place_table() -> dict[str, str]:
    places: dict[str, str] = {}
    for name in COUNTRIES:
        places[name] = _COUNTRY
    for name in REGIONS:
        places[name] = _REGION
    for name in PROVINCES:
        places[name] = places[name + "省"] = _PROVINCE
    for name in AUTONOMOUS_REGIONS:
        places[name] = places[name + "自治区"] = _PROVINCE
    places.update({"广西壮族自治区": _PROVINCE, "宁夏回族自治区": _PROVINCE, "新疆维吾尔自治区": _PROVINCE})
    for name in (*MUNICIPALITIES, *ZHEJIANG_CITIES, *OTHER_CITIES):
        places[name + "市"] = _CITY
        if name not in AMBIGUOUS_BARE:
            places[name] = _CITY
    for name in (*ZHEJIANG_COUNTIES, *OTHER_DISTRICTS):
        for suffix in ("区", "县", "市"):
            places.setdefault(name + suffix, _COUNTY)
        if name not in AMBIGUOUS_BARE:
            places[name] = _COUNTY
    for name in SITE_WORDS:
        places[name] = _SITE
        for suffix in ("市", "镇", "街道", "乡"):
            places[name + suffix] = _SITE
    places["诸暨经开区"] = _SITE
    return places


PLACES = _place_table()
FOREIGN = frozenset(n for n, k in PLACES.items() if k == _COUNTRY) | {"中国香港", "中国澳门", "中国台湾"}
_PLACE_RANK = {_COUNTRY: 0, _REGION: 0, _PROVINCE: 1, _CITY: 2, _COUNTY: 3}

# ---------------------------------------------------------------------------------------------------------------------
# Chains and built-in industry keywords
# ---------------------------------------------------------------------------------------------------------------------

CHAINS = ("新能源汽车", "智能视觉", "航空航天", "新材料", "铜材五金", "袜业纺织", "珍珠", "环保装备")

# keyword → (class code, chain or None). Product words of the center's chains plus a few common ones whose class is
# not found by name overlap. "topic" words (a chain's name) are listed in _TOPIC_WORDS.
_KEYWORDS: dict[str, tuple[str, str | None]] = {}


def _kw(code: str, chain: str | None, words: str) -> None:
    for word in words.split():
        _KEYWORDS[word] = (code, chain)


# 新能源汽车
_kw("3841", "新能源汽车", "锂电池 锂电 动力电池 锂离子电池 储能电池 电芯 电池包 电池模组")
_kw("3985", "新能源汽车", "正极材料 负极材料 电池材料 隔膜 电解液")
_kw("4210", "新能源汽车", "电池回收")
_kw("3812", "新能源汽车", "电机 驱动电机 电驱 电驱动")
_kw("3670", "新能源汽车", "电控 电控系统 电机控制器 汽车零部件 汽车部件 零部件企业 热管理 底盘件")
_kw("3829", "新能源汽车", "充电桩 充电设备 车载充电机")
_kw("3612", "新能源汽车", "整车 新能源整车 新能源汽车整车 电动汽车")
_kw("3612", "新能源汽车", "新能源汽车")
# 智能视觉
_kw("3473", "智能视觉", "工业相机 相机")
_kw("4040", "智能视觉", "镜头 光学镜头 工业镜头 镜头模组")
_kw("3983", "智能视觉", "图像传感器")
_kw("4011", "智能视觉", "机器视觉 视觉检测")
_kw("6513", "智能视觉", "视觉算法 图像算法 图像处理软件")
_kw("3976", "智能视觉", "智能视觉")
# 航空航天
_kw("3744", "航空航天", "航空 机载 航电 航空设备 航空配套")
_kw("3741", "航空航天", "飞机 航空零部件 航空发动机 航空结构件 通用飞机 直升机")
_kw("3963", "航空航天", "无人机 无人飞行器")
_kw("3742", "航空航天", "航天 卫星 火箭 运载火箭 商业航天")
_kw("3749", "航空航天", "航空航天")
# 新材料
_kw("2659", "新材料", "碳纤维 复合材料 预浸料 新材料")
_kw("3240", "新材料", "特种合金 高温合金 合金材料")
# 铜材五金
_kw("3251", "铜材五金", "铜材 铜管 铜棒 铜板带 铜带 铜合金 铜排 铜线 铜业 铜加工")
_kw("3352", "铜材五金", "五金管件 水暖管件 管件 管业 水暖 卫浴五金")
_kw("3443", "铜材五金", "阀门")
# 袜业纺织
_kw("1830", "袜业纺织", "袜业 袜子 运动袜 无缝袜 丝袜 棉袜")
_kw("1761", "袜业纺织", "针织面料 针织")
_kw("1762", "袜业纺织", "染整 印染")
# 珍珠
_kw("2438", "珍珠", "珍珠 珍珠饰品 珍珠首饰")
# 环保装备
_kw("3591", "环保装备", "环保装备 环保设备 污水处理 水处理 固废处理 除尘 脱硝 脱硫 烟气治理 废气处理 大气治理")
# Other common product words
_kw("3452", None, "空气轴承 气浮轴承 滑动轴承")
_kw("3451", None, "轴承 滚动轴承")
_kw("3453", None, "减速机 减速器 齿轮箱 齿轮")
_kw("3491", None, "工业机器人 机器人")
_kw("3525", None, "模具")
_kw("3973", None, "集成电路 芯片 封装测试 封测")
_kw("3825", None, "光伏 光伏组件")
_kw("3975", None, "LED 照明器件")
_kw("3983", None, "传感器")
_kw("3921", None, "通信基站 基站")
_kw("3962", None, "智能车载")
_kw("3589", None, "医疗器械 植入器械")
_kw("7211", None, "总部经济 总部大楼 总部基地")
_kw("7320", None, "中试 研究院")
_kw("3562", None, "晶圆 半导体设备 晶圆清洗设备")
_kw("3940", None, "雷达 激光雷达 毫米波雷达")
_kw("3985", None, "电子化学品 湿电子化学品 OLED材料 显示材料 电子材料")
_kw("4012", None, "电表 智能电表")
_kw("3551", "袜业纺织", "袜机 织袜机 纺织机械 针织机械")
_kw("2929", None, "注塑 塑料件 注塑件")
_kw("5292", None, "电商 跨境电商 直播电商")
_kw("3979", None, "射频 射频器件")
_kw("3321", None, "刀具 切削工具 精密刀具")
_kw("2915", None, "医用手套 橡胶手套")
_kw("1789", None, "滤材 过滤材料")
_kw("3849", "新能源汽车", "燃料电池 氢燃料电池 钠离子电池")
_kw("3823", None, "配电设备 低压电器 开关柜 配电")
_kw("6450", None, "算力 算力中心 数据中心 云计算")
_kw("3591", "环保装备", "垃圾处理 资源化利用 资源化处理 餐厨垃圾")
_kw("1830", "袜业纺织", "袜厂")

# Topic words: a chain's name or a sector word. Ignored when they only name a park (航空产业园) and overridden by any
# more specific keyword of the same compound.
_TOPIC_WORDS = frozenset({"新能源汽车", "智能视觉", "航空航天", "航空", "航天", "新材料", "环保装备"})
_PART_WORDS = ("结构件", "零部件", "构件", "部件", "零件")
_BOUGHT_RE = re.compile(r"(?:购置|购买|采购|引进|添置)[\u4e00-\u9fff]{0,3}$")
_PROCESS_WORDS = frozenset({"封测", "封装测试"})
_MATERIAL_HEADS = frozenset(w for w, (c, _) in _KEYWORDS.items() if c in {"3985", "2659", "4210", "7320"})

# ---------------------------------------------------------------------------------------------------------------------
# Enterprise names
# ---------------------------------------------------------------------------------------------------------------------

_ORG_FORMS = _words(
    "集团股份有限公司 集团有限责任公司 集团有限公司 股份有限公司 有限责任公司 私人有限公司 有限公司 股份公司 "
    "集团公司 控股集团 集团 公司 研究院 研究所 株式会社 事务所"
)
_ORG_RE = re.compile(r"(?:\((?:中国|香港|上海|杭州|苏州)\))?(?:" + "|".join(_ORG_FORMS) + ")")
_LATIN_FORMS = (
    r"Co\.,?\s?Ltd\.?|Pte\.?\s?Ltd\.?|Inc\.?|Ltd\.?|LLC|GmbH|AG|SE|S\.p\.A\.?|S\.A\.?|B\.V\.?|N\.V\.?|Oy|AB|A/S|AS|"
    r"Corp\.?|Corporation|Limited|PLC|plc|K\.K\.|KK|Sdn\.?\s?Bhd\.?|Bhd\.?|Pty\.?\s?Ltd\.?|S\.r\.l\.?|SRL|SAS|SA|NV|BV|"
    r"SpA|Oyj|KG|Ltda\.?"
)
_LATIN_NAME_RE = re.compile(
    r"(?<![A-Za-z0-9])[A-Z][A-Za-z0-9&'\-]*(?:\s[A-Z&][A-Za-z0-9&'\-]*){0,5}\s(?:" + _LATIN_FORMS + r")(?![A-Za-z])"
)
# Words that end the backward scan for a name's start.
_STOP_TOKENS = frozenset(
    _words(
        "是 的 与 和 跟 同 及 以及 或 拟 计划 准备 打算 有意 想 在 于 由 向 对 把 被 将 从 为 了 着 过 等 这家 那家 "
        "该 其 我们 他们 我司 我方 贵司 对接 拜访 走访 接待 洽谈 会见 考察 来自 位于 推荐 引荐 介绍 联系 据 获悉 "
        "今天 昨天 上午 下午 近日 日前 本周 上周 下周 客户 龙头 旗下 下属 一家 一个 某 知名 上市 外资 台资 港资 企业 "
        "本地 公司 项目 项目方 投资方 配套商 供应商 制造商 代理 中方 外方 合作 报 报送 反馈 周报 来电 线索 转来 会议 "
        "记录 纪要 主题 备忘 紧急 发件人 经 随 即 再 又 也 已 并 成立 设立 组建 新设 注册 建设 合资 独资 收购 并购 "
        "兼并 参股 控股了 及其 包括 其中 如 例如 叫 说 称 表示 就 由于 因为 所以 但 而 还 都 已经 正在 老板 董事长 "
        "总经理 总裁 带队 带领 率 一行 考察团 客商 乡贤 其他 另外 此外 同时 拟在 通过"
    )
)
_STOP_CHARS = frozenset("与和是的在拟将从向对把被为了由及跟同经随即说叫请")
_CONJUNCTION_CHARS = frozenset("与和及同")
# Bodies made only of these words are descriptions, not names (该科技公司, 环保集团).
_GENERIC_BODY = frozenset(
    _words(
        "科技 环保 新能源 新材料 材料 投资 贸易 实业 发展 控股 国际 集团 环境 技术 信息 网络 智能 装备 设备 电子 "
        "汽车 精密 制造 工业 机械 医疗 生物 医药 食品 纺织 服装 电器 光电 通信 半导体 能源 建设 工程 咨询 管理 服务 "
        "商贸 物流 供应链 中国 中外 外商 跨国 上市 大型 龙头 民营 国有 央企 外资 本地 合资 独资 新 大 小 子 分 总 母 "
        "这 那 该 本 我 贵 其 此 原 老 化学 化工 初创 创业 外资 AI 高新 高科技 民企 公司"
    )
)
# Intermediaries and referrers: never the investor.
INTERMEDIARY_NAMES = ("世邦魏理仕", "璞剑", "仲量联行", "戴德梁行", "第一太平戴维斯", "高力国际", "CBRE", "JLL")
_INTERMEDIARY_RE = re.compile(r"咨询|顾问|中介|代理|商会|协会|促进会|联络处|办事处|招商局|招商中心|地产|律师|会计师")
_AFTER_REFERRER_RE = re.compile(
    r"^\s*(?:[)）])?\s*(?:的)?(?:引荐|推荐|介绍|牵线|旗下|下属|的配套商|的供应商|的客户|的合作伙伴|的子公司|配套商|供应商|"
    r"在华子公司|在华全资子公司|在华企业|中国子公司)"
)
_LOCAL_BEFORE_RE = re.compile(r"(?:本地|当地)(?:企业|龙头|公司)?$")
_SITE_PREFIXES = ("诸暨",)
_SEGMENT_BREAKS = frozenset("。；;\n")
_BEFORE_TARGET_RE = re.compile(r"(?:收购|并购|兼并|控股)[^，。；;,]{0,10}$")
# Strings that, inside a scanned body, end the words before the name (外资企业诸暨博世达… → 诸暨博世达…); the cut is
# only made when what follows is still a name (华澜企业管理有限公司 keeps 企业).
_BODY_CUTS = tuple(
    sorted(
        _words(
            "企业 配套商 供应商 制造商 客户 跟进 客商 老板 朋友 龙头 外资 港资 台资 本地 当地 知名 上市 旗下 下属 "
            "子公司 来自 位于 以及 其中 介绍 推荐 引荐 对接 拜访 走访 考察 洽谈 接待 会见 联系 关注 协调 服务好 今天 "
            "近日 上周 遇到 认识 见到 参观 陪同 邀请 约见 拜会 会晤 签约 转来 子公司 初创 下周 本周 项目方 投资方 "
            "领导 表示 一家 这家"
        ),
        key=len,
        reverse=True,
    )
)
# Words that are a company's description after 成立/设立: with no brand character the "name" is a description.
_ESTABLISH = frozenset({"成立", "设立", "组建", "新设", "注册", "建设", "合资", "独资", "设"})

# ---------------------------------------------------------------------------------------------------------------------
# People
# ---------------------------------------------------------------------------------------------------------------------

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔"
    "钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛"
    "邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝"
    "路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂"
    "全佟应臧闵苟邬边卞姬师仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚"
    "鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝郜阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿狄计索宣晋初容敬扈晁芮普阙浦戈伏鹿"
    "薄邸雍辜羊乌裘亓修邰赫杭况宿鲜印逯隆茹诸战慎危玉银亢嵇湛宾戎勾茅利於居揭干尉冶斯束檀衣展阴昝智幸奉植衡富尧"
    "寿郦"
)
COMPOUND_SURNAMES = (
    "欧阳",
    "司马",
    "上官",
    "诸葛",
    "东方",
    "皇甫",
    "令狐",
    "慕容",
    "司徒",
    "夏侯",
    "尉迟",
    "公孙",
    "长孙",
)
# Characters that end a given name (a title, a verb or a particle follows the name).
_NOT_GIVEN = (
    "总董经先女老副主部厂院所处科的是在和与说表将已于等电手联带来去称介及或对向把被为了着过也都就还再又个"
    "位名先生女士这那该其很非常之所以但而并且已经正在拟要想准备打算会能可以应该必须同跟及各每某本此"
)
_NAME_CORE = r"(?:" + "|".join(COMPOUND_SURNAMES) + r"|[" + SURNAMES + r"])" + r"[\u4e00-\u9fff](?:[\u4e00-\u9fff])?"
_HONORIFIC_RE = re.compile(
    r"(?:" + "|".join(COMPOUND_SURNAMES) + r"|[" + SURNAMES + r"])"
    r"(?:总(?!经理|裁|监|工|部|公司|投资|额|体|计|共|之|的)|董(?!事|秘)|先生|女士|小姐|老板|经理|厂长|主任|院长|部长)"
)
_TITLE_CORE = (
    r"(?:副?总经理|副?总裁|副?董事长|执行董事|董事会秘书|董事|董秘|总监|副?总工程师|总工|副总|经理|主任|秘书长|副?会长|"
    r"创始人|合伙人|厂长|院长|所长|部长|首席执行官|首席财务官|CEO|CFO|CTO|COO|法定代表人|法人代表)"
)
_TITLE_PREFIX = (
    r"(?:(?:中国区|大中华区|华东区|亚太区|全球)?(?:(?:战略投资|投资发展|投资|战略|项目|销售|市场|财务|技术|运营|行政|商务|招商|"
    r"人事|采购|生产|研发|工程|品牌|政府事务|公共事务|国际业务|海外)(?:部|中心)?|办公室|高级|首席|执行|区域)?)"
)
_TITLE_RE_SRC = _TITLE_PREFIX + _TITLE_CORE + r"(?:助理|秘书)?"
_TITLE_RE = re.compile(_TITLE_RE_SRC)
_LABEL_RE = re.compile(
    r"(?:项目|企业|公司|中方|外方|我方|客户)?(?:联系人|对接人|联络人|负责人)\s*(?::|是|为)?\s*(?:叫|是)?\s*"
    r"|(?:Contact|联系方式)\s*:\s*"
    r"|(?<![关])联系(?!人|电话|方式|我们|中心|过|了|上|到|一下)\s*(?::)?\s*"
)

# ---------------------------------------------------------------------------------------------------------------------
# Phones, amounts, land
# ---------------------------------------------------------------------------------------------------------------------

_MOBILE_RE = re.compile(r"(?<![\d+])(?:\+?86[\s-]?)?(1[3-9]\d)[\s-]?(\d{4})[\s-]?(\d{4})(?!\d)")
_LANDLINE_RE = re.compile(r"(?<![\d+])\(?(0(?:10|2\d)|0[3-9]\d{2})\)?[\s-]?([2-9]\d{6,7})(?!\d)")

_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_COLLOQUIAL_TAIL = {"亿": 10_000_000, "万": 1000, "千": 100, "百": 10, "十": 1}
_NUM_RUN_RE = re.compile(r"[0-9零〇一二两三四五六七八九十百千万亿个多余,.]+")
_CURRENCY_AFTER_RE = re.compile(r"\s*(元人民币|元|美元|美金|人民币|欧元|日元|港元|港币|英镑|韩元|新元|USD|RMB)")
_CURRENCY_BEFORE_RE = re.compile(r"(人民币|美元|美金|USD|RMB|欧元|日元|港元|港币)\s*$")
_NON_MONEY_AFTER_RE = re.compile(
    r"\s*(?:平方|平米|㎡|吨|台|套|件|只|辆|个|人|户|千瓦|瓦|度|亩|公里|米|株|头|张|条|片|颗|支|箱|双|kW|GWh|MW|%)"
)
_USD = {"美元", "美金", "USD"}
_RANGE_RE = re.compile(r"\s*(?:-|~|～|—|至|到)\s*")
_UNSUPPORTED_CURRENCY = {"欧元", "日元", "港元", "港币", "英镑", "韩元", "新元"}
# (pattern before the amount, weight); the highest weight found in the window counts.
_AMOUNT_KEYWORDS = (
    (re.compile(r"总投资|投资总额|总投入|项目总投资|计划总投资"), 3.0),
    (re.compile(r"投资额|投资规模|投资估算|计划投资|拟投资|追加投资|新增投资|再投资|增资|投资"), 2.0),
    (re.compile(r"出资|投入|金额|交易对价|投"), 1.0),
)
_AMOUNT_NEGATIVE_RE = re.compile(
    r"产值|营收|营业收入|销售额|销售收入|年销售|收入|税收|纳税|利税|净利|利润(?!再投资)|注册资本|注册资金|研发投入|市值|"
    r"融资|估值|年产"
)
_AMOUNT_INVESTED_AFTER_RE = re.compile(r"\s*(?:用于|进行|全部|用来)?(?:再投资|投资|增资)")
_AMOUNT_CONVERSION_RE = re.compile(r"约合|折合|合人民币|相当于")
_AMOUNT_PAST_RE = re.compile(r"去年|已经|已|曾|此前|了")
_AMOUNT_WINDOW = 12
_CLAUSE_BREAK = "，。；;！？!?\n"

_MU_RE = re.compile(
    r"(?P<a>\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千万]+)"
    r"(?:\s*(?:-|~|～|—|至|到)\s*(?P<b>\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千万]+))?\s*(?:来|多|余)?\s*亩"
)
_MU_KEYWORD_RE = re.compile(r"用地|需地|要地|拿地|土地|占地|供地|工业用地|亩地|地块|面积")

# ---------------------------------------------------------------------------------------------------------------------
# Project types: (code, pattern), most specific first; the first rule that matches anywhere wins.
# ---------------------------------------------------------------------------------------------------------------------

_TYPE_RULES = (
    ("return", re.compile(r"返程投资")),
    ("reinvestment", re.compile(r"利润再投资|再投资")),
    ("referral", re.compile(r"以商招商")),
    ("merger", re.compile(r"并购|收购|兼并|股权转让")),
    ("joint_venture", re.compile(r"合资(?!企业)|(?:设立|成立|组建|新设)合资|合作成立|共同出资|中外合资")),
    ("capital_increase", re.compile(r"增资|扩产|扩能|扩大产能|追加投资|增加投资|新增投资|技改")),
    (
        "return",
        re.compile(r"回归|回流|转回|回乡|返乡|回来投资|回家乡|回(?:到)?(?:诸暨|老家|大唐|店口|枫桥|山下湖|次坞|牌头)"),
    ),
    ("referral", re.compile(r"引荐|牵线")),
    (
        "new",
        re.compile(
            r"新建|新设|落户|投资建设|设立|建设|建厂|新上|布局|生产基地|研发中心|买地|拿地|要地|需地|用地需求|"
            r"找地|(?:找|租|买|购买|租用|租赁|设|建)[^，。；;,]{0,10}(?:厂房|基地|工厂|用地|土地)|设厂|新产线|新公司"
        ),
    ),
    ("new", re.compile(r"(?:想|准备|计划|拟|打算)(?:在\S{0,6})?投")),
)

# ---------------------------------------------------------------------------------------------------------------------
# Lazily built resources
# ---------------------------------------------------------------------------------------------------------------------


class _Resources:
    """jieba, the GB/T 4754 classes and the keyword indexes: built once on first use."""

    def __init__(self) -> None:
        import jieba

        tokenizer = jieba.Tokenizer()
        # Build the prefix dictionary in memory (Tokenizer.initialize() would write a cache file to the temp dir),
        # keeping jieba's part-of-speech tags of its words on the way (nr = person name, ns = place …).
        freq, total, tags = _read_jieba_dictionary(tokenizer)
        tokenizer.FREQ, tokenizer.total, tokenizer.initialized = freq, total, True
        for name in PLACES:
            tokenizer.add_word(name, max(freq.get(name) or 0, 3000), "ns")
        for word in (
            "有限公司",
            "股份有限公司",
            "有限责任公司",
            "株式会社",
            "以商招商",
            "返程投资",
            "利润再投资",
            "需地",
        ):
            tokenizer.add_word(word, max(freq.get(word) or 0, 3000))
        for word in ("中方代表", "政府事务"):
            tokenizer.add_word(word, 3000)
        self.tokenizer = tokenizer
        self.freq = tokenizer.FREQ
        self.tags = tags

        from zhaoshang.core.reference import INDUSTRY_ERRATA

        rows = json.loads(GB_PATH.read_text(encoding="utf-8"))
        classes: dict[str, tuple[str, str]] = {}
        for row in rows:
            code = row["class"] if row["level"] == 4 else INDUSTRY_ERRATA.get((row["level"], row["group"], row["name"]))
            if code:
                classes[code] = (row["name"].strip(), (row.get("note") or "").strip())
        self.classes = classes
        self.gb_terms = _gb_term_index(classes, tokenizer.FREQ)
        self.keywords_by_first = _by_first(_KEYWORDS)


def _read_jieba_dictionary(tokenizer) -> tuple[dict[str, int], int, dict[str, str]]:
    """jieba's dictionary as ``Tokenizer.gen_pfdict`` reads it (word → frequency, every prefix at 0) plus the tags."""
    freq: dict[str, int] = {}
    tags: dict[str, str] = {}
    total = 0
    with tokenizer.get_dict_file() as f:
        for raw in f:
            parts = raw.decode("utf-8").strip().split(" ")
            if len(parts) < 2:
                continue
            word, count = parts[0], int(parts[1])
            freq[word] = count
            total += count
            if len(parts) > 2:
                tags[word] = parts[2]
            for i in range(1, len(word)):
                freq.setdefault(word[:i], 0)
    return freq, total, tags


def _by_first(words: Iterable[str]) -> dict[str, list[str]]:
    index: dict[str, list[str]] = {}
    for word in words:
        index.setdefault(word[0], []).append(word)
    for bucket in index.values():
        bucket.sort(key=len, reverse=True)
    return index


_GB_SPLIT_RE = re.compile(r"[、，,；;。：:（）()及和与或等的]")
_GB_STRIP_RE = re.compile(
    r"^(?:指|包括|其他|主要|用于|以|对|各种|各类|专用|专业|普通|一般)+|(?:制造|加工|生产|服务|活动|批发|零售|修理|"
    r"种植|养殖|开发|设计|制品|产品|设备|器材|专用设备|生产活动|制作)+$"
)
_GB_GENERIC_TERMS = frozenset(
    _words(
        "其他 制造 加工 设备 产品 材料 服务 专用 金属 电子 机械 汽车 零件 配件 部件 技术 工程 建筑 工业 生产 项目 "
        "投资 管理 信息 科技 智能 装备 设计 研发 销售 基地 公司 企业 集团 中心 系统 装置 元件 器件 仪器 仪表 用品 "
        "日用 工具 器具 车辆 运输 能源 环境 资源 化学 医疗 电池 电机 通信 航空 互联网 软件 数据 新型 高端 精密 模组 "
        "组件 整机 零部件 原料 制剂 工艺 环保 节能 家用 商业 公共 网络 平台 电力 相关 类似 未列明 上述"
    )
)


def _gb_term_index(
    classes: dict[str, tuple[str, str]], freq: dict[str, int]
) -> dict[str, list[tuple[str, list[tuple[str, float]]]]]:
    """Terms of the class names (weight 2) and notes (weight 1) → classes, indexed by first character. Words common
    in any text (计划, 方式, 电话 in jieba's counts) are left out: they say nothing about the industry."""
    terms: dict[str, dict[str, float]] = {}
    for code, (name, note) in classes.items():
        for text, weight in ((name, 2.0), (note, 1.0)):
            for part in _GB_SPLIT_RE.split(text):
                term = _GB_STRIP_RE.sub("", part.strip())
                if (
                    len(term) < 2
                    or len(term) > 12
                    or term in _GB_GENERIC_TERMS
                    or not re.search("[\u4e00-\u9fff]", term)
                ):
                    continue
                if (freq.get(term) or 0) > (8000 if weight > 1 else 2000):
                    continue
                bucket = terms.setdefault(term, {})
                bucket[code] = max(bucket.get(code, 0.0), weight)
    index: dict[str, list[tuple[str, list[tuple[str, float]]]]] = {}
    for term, codes in terms.items():
        index.setdefault(term[0], []).append((term, sorted(codes.items())))
    for bucket in index.values():
        bucket.sort(key=lambda item: len(item[0]), reverse=True)
    return index


_GB_MIN_SCORE = 5.0
_RESOURCES: _Resources | None = None
_LOCK = threading.Lock()


def _resources() -> _Resources:
    global _RESOURCES
    if _RESOURCES is None:
        with _LOCK:
            if _RESOURCES is None:
                _RESOURCES = _Resources()
    return _RESOURCES


def warm_up() -> None:
    """Build the cached resources now (the first ``extract`` call does it otherwise)."""
    _resources()


class _Library:
    """The caller's enterprise names as a set per length: a text is scanned with one set lookup per position and
    length (longest first), whatever the size of the library."""

    __slots__ = ("names", "lengths")

    def __init__(self, names: Iterable[str]) -> None:
        self.names = {_normalise(n.strip()) for n in names if n and len(n.strip()) >= 2}
        self.lengths = sorted({len(n) for n in self.names}, reverse=True)

    def matches(self, norm: str):
        for i in range(len(norm)):
            for size in self.lengths:
                if norm[i : i + size] in self.names:
                    yield i, i + size
                    break


_LIBRARY_CACHE: dict[object, tuple[object, _Library]] = {}
_EMPTY_LIBRARY = _Library(())


def _library(names: Iterable[str]) -> _Library:
    """The index of ``names``, cached: by identity for the same list object (the views pass one cached list), else
    by content."""
    if not names:
        return _EMPTY_LIBRARY
    cached = _LIBRARY_CACHE.get(id(names))
    if cached is not None and cached[0] is names:
        return cached[1]
    key = tuple(names)
    cached = _LIBRARY_CACHE.get(key)
    if cached is None:
        cached = (key, _Library(key))
        if len(_LIBRARY_CACHE) > 16:
            _LIBRARY_CACHE.clear()
        _LIBRARY_CACHE[key] = cached
    if not isinstance(names, tuple | frozenset | str):
        _LIBRARY_CACHE[id(names)] = (names, cached[1])
    return cached[1]


# ---------------------------------------------------------------------------------------------------------------------
# The extractor
# ---------------------------------------------------------------------------------------------------------------------


def _field(value, start: int, end: int, **extra) -> dict:
    return {"value": value, **extra, "start": start, "end": end}


def _decimal_str(value: Decimal) -> str:
    """30000, 0.5, 12.75: no exponent, no trailing zeros."""
    return format(value.normalize(), "f")


class _Doc:
    """One text: the normalised copy and jieba's tokens (start offsets, end offsets)."""

    def __init__(self, text: str, res: _Resources) -> None:
        self.text = text
        self.norm = _normalise(text)
        self.res = res
        tokens = []
        pos = 0
        for word in res.tokenizer.cut(self.norm, HMM=False):
            tokens.append((word, pos, pos + len(word)))
            pos += len(word)
        self.tokens = tokens
        self.starts = {s for _, s, _ in tokens}
        self.ends = {e for _, _, e in tokens}
        self.token_at_start = {s: i for i, (_, s, _) in enumerate(tokens)}
        self.token_at_end = {e: i for i, (_, _, e) in enumerate(tokens)}

    def token_covering(self, pos: int) -> int | None:
        """Index of the token that contains ``pos`` strictly inside (not at its start)."""
        for i, (_, s, e) in enumerate(self.tokens):
            if s < pos < e:
                return i
            if s >= pos:
                return None
        return None


def extract(text: str, *, enterprise_names: Iterable[str] = ()) -> dict:
    """Extract the lead fields from ``text``. See the module docstring for the rules."""
    res = _resources()
    doc = _Doc(text or "", res)
    fields: dict[str, dict | None] = dict.fromkeys(FIELDS)
    if not doc.norm.strip():
        return {"fields": fields, "source": "offline"}
    library = _library(enterprise_names)

    candidates = _enterprise_candidates(doc, library)
    fields["investment_amount"] = _amount(doc)
    investor = _choose_investor(doc, candidates, fields["investment_amount"])
    if investor is not None:
        fields["enterprise_name"] = _field(text[investor.start : investor.end], investor.start, investor.end)
    fields["project_type"] = _project_type(doc)
    fields["industry"] = _industry(doc, candidates)
    fields["location"] = _location(doc, investor, candidates)
    name, title = _contact(doc)
    fields["contact_name"], fields["contact_title"] = name, title
    fields["contact_phone"] = _phone(doc, name)
    fields["site_area_mu"] = _site_area(doc)
    return {"fields": fields, "source": "offline"}


# --- enterprise ------------------------------------------------------------------------------------------------------


class _Candidate:
    __slots__ = ("start", "end", "kind", "prefix_start", "stopped_by")

    def __init__(self, start: int, end: int, kind: str, prefix_start: int | None = None, stopped_by: str = "") -> None:
        self.start, self.end, self.kind = start, end, kind
        self.prefix_start = start if prefix_start is None else prefix_start  # before a stripped foreign prefix
        self.stopped_by = stopped_by

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"<{self.kind} {self.start}:{self.end}>"


def _is_name_char(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or ch.isascii() and (ch.isalnum() or ch in "&·-")


def _enterprise_candidates(doc: _Doc, library: _Library) -> list[_Candidate]:
    norm = doc.norm
    found: list[_Candidate] = []
    for m in _ORG_RE.finditer(norm):
        cand = _scan_name_back(doc, m.start(), m.end())
        if cand is not None:
            found.append(cand)
    for m in _LATIN_NAME_RE.finditer(norm):
        found.append(_Candidate(m.start(), m.end(), "latin"))
    for start, end in library.matches(norm):
        if _library_match_ok(doc, start, end):
            found.append(_Candidate(start, end, "library"))
    found = [c for c in found if not _is_intermediary(doc.norm[c.start : c.end])]
    # Longest match wins: drop candidates inside a longer one.
    found.sort(key=lambda c: (c.start, -(c.end - c.start)))
    kept: list[_Candidate] = []
    for cand in found:
        if any(k.start <= cand.start and cand.end <= k.end for k in kept):
            continue
        kept = [k for k in kept if not (cand.start <= k.start and k.end <= cand.end)]
        kept.append(cand)
    return kept


def _library_match_ok(doc: _Doc, start: int, end: int) -> bool:
    norm = doc.norm
    if norm[start].isascii():
        return not (start > 0 and norm[start - 1].isascii() and norm[start - 1].isalpha()) and not (
            end < len(norm) and norm[end].isascii() and norm[end].isalpha()
        )
    # A dictionary word of jieba must not be cut (上海亮点 does not contain 海亮).
    for pos in (start, end):
        i = doc.token_covering(pos)
        if i is not None and len(doc.tokens[i][0]) > 1 and doc.tokens[i][0] in doc.res.freq:
            return False
    return True


def _is_intermediary(name: str) -> bool:
    return any(n in name for n in INTERMEDIARY_NAMES) or bool(_INTERMEDIARY_RE.search(name))


def _scan_name_back(doc: _Doc, suffix_start: int, suffix_end: int) -> _Candidate | None:
    """The name before an organisation form: walk back over jieba's words until a stop word or punctuation, drop a
    foreign country written before it, and refuse descriptions (该科技公司, 成立工业机器人公司). When the words
    before a conjunction character are only descriptive (丸和|化学工业株式会社), the conjunction was part of the
    name and the walk goes on past it."""
    # The form must start a word: 公司 inside 子公司, 分公司, 上市公司 is no organisation form.
    if suffix_start not in doc.starts:
        return None
    skip: frozenset[str] = frozenset()
    for _ in range(3):
        start, stopped_by = _walk_back(doc, suffix_start, skip)
        if start is None:
            return None
        candidate = _name_body(doc, start, suffix_start, suffix_end, stopped_by)
        if candidate is not None or stopped_by not in _CONJUNCTION_CHARS:
            return candidate
        skip = skip | {stopped_by}
    return None


def _walk_back(doc: _Doc, suffix_start: int, skip: frozenset[str]) -> tuple[int | None, str]:
    norm, tokens = doc.norm, doc.tokens
    pos = start = suffix_start
    latin_before = False
    while pos > 0:
        i = doc.token_at_end.get(pos)
        word, s = (norm[pos - 1], pos - 1) if i is None else tokens[i][:2]
        if word.isspace():
            # Spaces only inside Latin names (Kessler Holding 集团).
            if s > 0 and norm[s - 1].isascii() and norm[s - 1].isalpha() and latin_before:
                pos = s
                continue
            break
        if not all(_is_name_char(c) for c in word) or re.fullmatch(r"\d+年?", word):
            break
        if (word in _STOP_TOKENS or len(word) == 1 and word in _STOP_CHARS) and word not in skip:
            return start, word
        latin_before = word[:1].isascii()
        start = pos = s
        if suffix_start - start > 30:
            return None, ""
    return start, ""


def _name_body(doc: _Doc, start: int, suffix_start: int, suffix_end: int, stopped_by: str) -> _Candidate | None:
    norm, tokens = doc.norm, doc.tokens
    while start < suffix_start and norm[start] in " -·":
        start += 1
    prefix_start = start
    # A foreign country or 中国台湾 written before the name is not part of it.
    i = doc.token_at_start.get(start)
    if i is not None and tokens[i][0] in FOREIGN:
        start = tokens[i][2] + (1 if norm.startswith("的", tokens[i][2]) else 0)
    for cut in _BODY_CUTS:
        at = norm.rfind(cut, start, suffix_start)
        if at >= 0:
            tail_start = at + len(cut)
            tail = _body_words(doc, tail_start, suffix_start)
            if tail_start < suffix_start and not all(_is_generic(w) for w in tail):
                start = prefix_start = tail_start
    body = norm[start:suffix_start]
    if not body or body in PLACES or (len(body) < 2 and not (body.isascii() and body.isalpha())):
        return None
    words = _body_words(doc, start, suffix_start)
    if all(_is_generic(w) for w in words):
        return None
    if stopped_by in _ESTABLISH and all(w in doc.res.freq and len(w) > 1 for w in words):
        return None
    return _Candidate(start, suffix_end, "pattern", prefix_start, stopped_by)


def _is_generic(word: str) -> bool:
    """A descriptive word (科技, 化学工业) or a place, not a brand."""
    if word in _GENERIC_BODY or word in PLACES:
        return True
    return len(word) == 4 and word[:2] in _GENERIC_BODY and word[2:] in _GENERIC_BODY


def _body_words(doc: _Doc, start: int, end: int) -> list[str]:
    return [w for w, s, e in doc.tokens if s >= start and e <= end] or [doc.norm[start:end]]


def _choose_investor(doc: _Doc, candidates: list[_Candidate], amount: dict | None) -> _Candidate | None:
    """The investor among the named enterprises: not a referrer (X引荐, X的配套商), a parent (X旗下, X在华子公司),
    an acquisition target (收购…X, X被…收购) or a descriptor followed by the name (初创公司VisionLoop Inc.);
    a local enterprise (诸暨…, 本地企业…) only when no outside one is named; then the one in the same sentence as
    the investment amount; then the first."""
    norm = doc.norm
    amount_segment = _segment_of(norm, amount["start"]) if amount else None
    best, best_key = None, None
    for cand in candidates:
        score = 0.0
        after = norm[cand.end : cand.end + 8]
        before = norm[max(0, cand.prefix_start - 14) : cand.prefix_start]
        if _AFTER_REFERRER_RE.match(after) or before.endswith("经"):
            score -= 3
        if _BEFORE_TARGET_RE.search(before) or after.lstrip().startswith("被"):
            score -= 2
        if any(
            other.start >= cand.end and not norm[cand.end : other.start].strip(" :")
            for other in candidates
            if other is not cand
        ):
            score -= 2  # a descriptor right before the name
        if _LOCAL_BEFORE_RE.search(before) or norm.startswith(_SITE_PREFIXES, cand.start):
            score -= 1
        if amount_segment is not None and _segment_of(norm, cand.start) == amount_segment:
            score += 0.5
        key = (score, -cand.start)
        if best_key is None or key > best_key:
            best, best_key = cand, key
    return best


def _segment_of(norm: str, pos: int) -> int:
    """Index of the sentence or list item holding ``pos``."""
    return sum(1 for ch in norm[:pos] if ch in _SEGMENT_BREAKS)


# --- amount ----------------------------------------------------------------------------------------------------------


def _parse_number(run: str) -> Decimal | None:
    """Value of a run of Arabic/Chinese numerals and multipliers (亿, 万, 千 …), in units (元, 亩 …)."""
    run = run.replace(",", "").replace("个", "").replace("多", "").replace("余", "")  # 一个多亿 ≥ 1 亿
    if not run:
        return None
    total = Decimal(0)  # completed 亿 sections
    wan = Decimal(0)  # completed 万 sections below 亿
    section = Decimal(0)  # below 万
    current: Decimal | None = None
    last_unit = ""
    i = 0
    try:
        while i < len(run):
            ch = run[i]
            if ch.isdigit() or ch == ".":
                j = i
                while j < len(run) and (run[j].isdigit() or run[j] == "."):
                    j += 1
                current = Decimal(run[i:j])
                i = j
                continue
            if ch in _CN_DIGITS:
                current = Decimal(_CN_DIGITS[ch])
            elif ch in _CN_UNITS:
                section += (current if current is not None else Decimal(1)) * _CN_UNITS[ch]
                current, last_unit = None, ch
            elif ch == "万":
                value = section + (current or 0)
                wan += (value if value else Decimal(1)) * 10000
                section, current, last_unit = Decimal(0), None, ch
            elif ch == "亿":
                value = wan + section + (current or 0)
                total += (value if value else Decimal(1)) * 100000000
                wan, section, current, last_unit = Decimal(0), Decimal(0), None, ch
            else:
                return None
            i += 1
    except InvalidOperation:
        return None
    if current is not None and run[-1] in _CN_DIGITS and len(run) > 1 and run[-2] == last_unit:
        # 一亿五 = 1.5 亿, 三千五 = 3500: a last digit counts in the unit below the last one written.
        current *= _COLLOQUIAL_TAIL[last_unit]
    return total + wan + section + (current or 0)


def _amount_runs(norm: str) -> list[tuple[str, int, int]]:
    """Runs of numerals and multipliers, trimmed of separators that belong to the sentence."""
    runs = []
    for m in _NUM_RUN_RE.finditer(norm):
        run, start, end = m.group(), m.start(), m.end()
        while run and run[-1] in ",.":
            run, end = run[:-1], end - 1
        while run and run[0] in ",.个多余":
            run, start = run[1:], start + 1
        if run and re.search(r"[0-9零〇一二两三四五六七八九十百千]", run):
            runs.append((run, start, end))
    return runs


def _amount(doc: _Doc) -> dict | None:
    """The investment amount: every run of numerals with a multiplier or a currency is a candidate; the one with
    the strongest investment keyword before it wins, then the largest (in RMB at 7 元 per dollar). A range
    (3000万-5000万美元) is read as its lower end with the upper end's currency."""
    norm = doc.norm
    runs = _amount_runs(norm)
    best = None
    skip_until = -1
    for index, (run, run_start, run_end) in enumerate(runs):
        if run_start < skip_until:
            continue
        end_of_expression = run_end
        if index + 1 < len(runs) and _RANGE_RE.fullmatch(norm, run_end, runs[index + 1][1]):
            upper, _, upper_end = runs[index + 1]
            if not re.search("[万亿]", run):
                run += re.search("[万亿个]*$", upper).group()
            end_of_expression = upper_end
            skip_until = upper_end
        currency_m = _CURRENCY_AFTER_RE.match(norm, end_of_expression)
        before_m = _CURRENCY_BEFORE_RE.search(norm, max(0, run_start - 4), run_start)
        if currency_m is None and (
            not ("万" in run or "亿" in run) or _NON_MONEY_AFTER_RE.match(norm, end_of_expression)
        ):
            continue
        currency = currency_m.group(1) if currency_m else before_m.group(1) if before_m else ""
        if currency in _UNSUPPORTED_CURRENCY:
            continue
        value = _parse_number(run)
        if value is None or value <= 0:
            continue
        unit = "万美元" if currency in _USD else "万元"
        wan_value = value / 10000
        start = before_m.start(1) if before_m else run_start
        end = currency_m.end() if currency_m else end_of_expression
        score = _amount_context_score(norm, start, end)
        if score is None:
            continue
        key = (score, wan_value * (7 if unit == "万美元" else 1))
        if best is None or key > best[0]:
            best = (key, _field(_decimal_str(wan_value), start, end, unit=unit))
    return best[1] if best else None


def _clause_before(norm: str, pos: int, width: int) -> str:
    window = norm[max(0, pos - width) : pos]
    for i in range(len(window) - 1, -1, -1):
        if window[i] in _CLAUSE_BREAK:
            return window[i + 1 :]
    return window


def _amount_context_score(norm: str, start: int, end: int) -> float | None:
    """How strongly the words before the amount say it is the investment; None when they say it is something else
    (产值, 注册资本 …) unless the words after it say it is invested (利润4500万元进行再投资)."""
    window = _clause_before(norm, start, _AMOUNT_WINDOW)
    if _AMOUNT_INVESTED_AFTER_RE.match(norm, end):
        return 2.0
    if _AMOUNT_NEGATIVE_RE.search(window[-8:]):
        return None
    score = 0.0
    for pattern, weight in _AMOUNT_KEYWORDS:
        if pattern.search(window):
            score = weight
            break
    if _AMOUNT_CONVERSION_RE.search(window[-6:]):
        score -= 3
    if score and _AMOUNT_PAST_RE.search(window):
        score -= 1.5
    return score


# --- project type ----------------------------------------------------------------------------------------------------


def _project_type(doc: _Doc) -> dict | None:
    for code, pattern in _TYPE_RULES:
        m = pattern.search(doc.norm)
        if m:
            return _field(code, m.start(), m.end())
    return None


# --- industry --------------------------------------------------------------------------------------------------------


def _industry(doc: _Doc, candidates: list[_Candidate]) -> dict | None:
    res = doc.res
    norm = doc.norm
    name_spans = [(c.start, c.end) for c in candidates]

    def in_name(s: int, e: int) -> bool:
        return any(a <= s and e <= b for a, b in name_spans)

    hits: list[tuple[int, int, str]] = []
    i = 0
    while i < len(norm):
        for word in res.keywords_by_first.get(norm[i], ()):
            if norm.startswith(word, i):
                end = i + len(word)
                if word.isascii() and (
                    norm[i - 1 : i].isascii()
                    and norm[i - 1 : i].isalpha()
                    or norm[end : end + 1].isascii()
                    and norm[end : end + 1].isalpha()
                ):
                    continue  # LED is not in OLED
                if word in _TOPIC_WORDS and re.match(r"产业园|园区|产业|小镇|基地", norm[end : end + 3]):
                    break
                if _BOUGHT_RE.search(norm, max(0, i - 5), i):
                    break  # 购置智能袜机: equipment the enterprise buys, not what it makes
                hits.append((i, end, word))
                break
        i += 1
    # Overlapping hits: keep both (电池回收 inside 动力电池回收); a hit inside a longer one is dropped.
    hits = [h for h in hits if not any(o[0] <= h[0] and h[1] <= o[1] and o != h for o in hits)]
    if hits:
        outside = [h for h in hits if not in_name(h[0], h[1])]
        chosen = _choose_keyword_compound(norm, outside or hits)
        if chosen is not None:
            (start, end, word), chain = chosen
            code, _ = _KEYWORDS[word]
            if code in res.classes:
                value = {"code": code, "name": res.classes[code][0]}
                if chain:
                    value["chain"] = chain
                return _field(value, start, end)
    return _industry_from_gb(doc, in_name)


def _choose_keyword_compound(norm: str, hits: list[tuple[int, int, str]]):
    """Group adjacent/overlapping keyword hits into compounds; the first compound's head (its last keyword,
    Chinese compounds being head-final) is the product, unless a parts word follows (飞机复合材料结构件: parts of
    an aircraft) or the later keyword is only a topic word."""
    hits = sorted(hits)
    compounds: list[list[tuple[int, int, str]]] = []
    for hit in hits:
        if (
            compounds
            and hit[0] <= compounds[-1][-1][1] + 1
            and not re.search(r"[及和、,，与或]", norm[compounds[-1][-1][1] : hit[0]])
        ):
            compounds[-1].append(hit)
        else:
            compounds.append([hit])
    compound = compounds[0]
    specific = [h for h in compound if h[2] not in _TOPIC_WORDS] or compound
    head = specific[-1]
    if len(specific) > 1 and head[2] in _PROCESS_WORDS:
        head = specific[-2]  # 传感器封测: sensors are the product
    tail = norm[compound[-1][1] : compound[-1][1] + 3]
    if len(specific) > 1 and head[2] in _MATERIAL_HEADS and tail.startswith(_PART_WORDS):
        head = specific[0]
    chain = _KEYWORDS[head[2]][1]
    if chain is None:
        chain = next((_KEYWORDS[h[2]][1] for h in reversed(compound) if _KEYWORDS[h[2]][1]), None)
    return head, chain


def _industry_from_gb(doc: _Doc, in_name) -> dict | None:
    """Keyword overlap with GB/T 4754 class names and notes: each term found scores weight × length for its classes
    (terms outside enterprise names count double); the best class wins if its score is high enough."""
    res, norm = doc.res, doc.norm
    scores: dict[str, float] = {}
    spans: dict[str, tuple[int, int]] = {}
    i = 0
    while i < len(norm):
        matched = 0
        for term, codes in res.gb_terms.get(norm[i], ()):
            if norm.startswith(term, i):
                factor = 1.0 if in_name(i, i + len(term)) else 2.0
                for code, weight in codes:
                    scores[code] = scores.get(code, 0.0) + weight * len(term) * factor / len(codes) ** 0.5
                    spans.setdefault(code, (i, i + len(term)))
                matched = len(term)
                break
        i += matched or 1
    if not scores:
        return None
    code = max(scores, key=lambda c: (scores[c], c))
    if scores[code] < _GB_MIN_SCORE:
        return None
    start, end = spans[code]
    return _field({"code": code, "name": res.classes[code][0]}, start, end)


# --- location --------------------------------------------------------------------------------------------------------

_CUE_BEFORE_RE = re.compile(r"(?:来自|总部位于|总部在|总部设在|一家|一位|籍贯|老家)$")
_CUE_AFTER_RE = re.compile(
    r"^(?:工业园区|高新区|开发区|经开区|新区|[\u4e00-\u9fff]{2}(?=一家|某))?(?:的)?(?:一家|一位|某|(?:知名|本地|当地)?"
    r"(?:企业|客商|客户|公司|商人|老板|朋友|籍|资|龙头|上市|老乡|团队|投资者|投资人|外商))"
)
_SITE_VERBS = frozenset(
    _words("在 到 赴 至 往 去 落户 落地 选址 来 回 布局 比选 进入 来到 前往 回到 考察 走访 拜访 出差")
)
_PLACE_TAILS = ("工业园区", "高新区", "开发区", "经开区", "新区", "地区", "园区", "硅谷", "特别行政区")
_SITE_AFTER_RE = re.compile(r"^(?:子公司|分公司|代表处|工厂|基地|厂|设立|设厂|建厂|投资|布局|有工厂|两地)")
_OFFICE_BEFORE_RE = re.compile(r"驻$")
_GAP_TO_NAME_RE = re.compile(r"^\s*(?:地区)?(?:的)?(?:一家|知名|龙头|上市)?(?:企业|公司|客户|客商|集团)?\s*$")
_OFFICE_AFTER_RE = re.compile(r"^(?:招商)?(?:联络处|办事处|联络组|招商组)")


def _location(doc: _Doc, investor: _Candidate | None, candidates: list[_Candidate]) -> dict | None:
    norm, tokens = doc.norm, doc.tokens
    # Runs of adjacent place tokens (江苏常州, 宁波北仑).
    runs: list[list[tuple[int, int, str, str]]] = []
    previous: dict[int, str] = {}
    for index, (word, s, e) in enumerate(tokens):
        place = _place_in_token(word)
        after_province = runs and runs[-1][-1][1] == s and runs[-1][-1][3] == _PROVINCE
        if place is None and after_province and doc.res.tags.get(word) == "ns" and 2 <= len(word) <= 3:
            place = (word, _CITY)  # a city missing from the table, after its province
        if place is None:
            continue
        word, kind = place
        e = s + len(word)
        if e == tokens[index][2] and index + 1 < len(tokens) and tokens[index + 1][0] in ("市", "区", "县"):
            word, e = word + tokens[index + 1][0], e + 1  # 黄岩 + 区
        previous[s] = tokens[index - 1][0] if index else ""
        item = (s, e, word, kind)
        if runs and runs[-1][-1][1] == s:
            runs[-1].append(item)
        else:
            runs.append([item])
    best = None
    for run in runs:
        if all(item[3] == _SITE for item in run):
            continue
        run = [item for item in run if item[3] != _SITE]
        if not run:
            continue
        start, end = run[0][0], run[-1][1]
        inside = None
        for cand in candidates:
            if cand.prefix_start <= start < cand.end:
                inside = cand
                break
        if inside is not None and start > inside.prefix_start:
            continue  # a place inside a name that is not its first word (钱塘 in 杭州钱塘新能源) is the brand
        chosen = _descend(run)
        s, e, word, kind = chosen
        before = norm[max(0, start - 6) : start]
        after = norm[end : end + 8]
        score = 0.0
        if inside is not None:
            score = 4.0 if inside is investor else 1.0
            if inside.prefix_start < inside.start and inside is investor:
                score = 4.5  # the foreign country written before the investor's name
        elif (
            investor is not None
            and end <= investor.prefix_start
            and _GAP_TO_NAME_RE.match(norm[end : investor.prefix_start])
        ):
            score = 4.0  # 以色列的AquaPure Ltd., 台湾地区企业宏铭…, 台州市黄岩区的黄岩精塑…
        elif investor is not None and norm[investor.end : investor.end + 1] in "(（" and 0 < start - investor.end <= 2:
            score = 3.5  # Nordic Battery Systems AB（瑞典）
        elif _CUE_BEFORE_RE.search(before) or _CUE_AFTER_RE.match(after):
            score = 3.0
        elif _OFFICE_BEFORE_RE.search(before) or _OFFICE_AFTER_RE.match(after):
            score = 1.0
        if inside is None and (previous[start] in _SITE_VERBS or _SITE_AFTER_RE.match(after) and score < 3):
            score = -1.0  # 在杭州参加…, 在越南有工厂, 其上海子公司
        if score < 0 or word in HOME_PLACES and (score < 3 or inside is not None):
            continue
        key = (score, -start)
        if best is None or key > best[0]:
            best = (key, _field(doc.text[s:e], s, e))
    return best[1] if best else None


def _place_in_token(word: str) -> tuple[str, str] | None:
    """(place, kind) when a jieba word is a place or starts with one (台湾地区, 苏州工业园区, 美国硅谷 are one word)."""
    kind = PLACES.get(word)
    if kind is not None:
        return word, kind
    for size in (4, 3, 2):
        head = word[:size]
        if len(word) > size and head in PLACES and word[size:] in _PLACE_TAILS:
            return head, PLACES[head]
    return None


def _descend(run: list[tuple[int, int, str, str]]):
    """The most specific place of a run (江苏常州 → 常州, 绍兴柯桥 → 柯桥)."""
    chosen = run[0]
    for item in run[1:]:
        rank_now, rank_next = _PLACE_RANK.get(chosen[3], 0), _PLACE_RANK.get(item[3], 0)
        if rank_next <= rank_now:
            break
        chosen = item
    return chosen


# --- contact ---------------------------------------------------------------------------------------------------------

_NAME_AT_RE = re.compile(_NAME_CORE)
# After a name the title may carry any department (何思远，战略发展部总监) and may follow the phone
# (方舟 186…（投资总监）).
_TITLE_AFTER_RE = re.compile(
    r"\s*(?:[,，、]\s*|[(（]\s*|\s*(?:电话|手机)?[:：]?\s*(?:\+?86)?[\d\s-]{7,16}\s*[(（]\s*)?"
    r"((?:[\u4e00-\u9fff]{2,5}(?:部|中心|事业部|办公室))?" + _TITLE_RE_SRC + r")\s*[)）]?"
)
_GREETING_AFTER_RE = re.compile(r"\s*[,，]?\s*(?:您好|你好|好[,，!！:])")
_BEFORE_PHONE_RE = re.compile(r"\s*[,，:：]?\s*(?:联系电话|电话|手机号|手机|Tel|tel|TEL)?\s*[:：]?\s*")
_ROLE_RE = re.compile(r"(?:客商|乡贤|企业家|老乡|[\u4e00-\u9fff]商(?=[\u4e00-\u9fff]{2,3}(?:先生|女士)))")
_FULL_NAME_HONORIFIC_RE = re.compile(_NAME_CORE + r"(?=先生|女士|小姐)")
_HONORIFIC_TITLES = ("经理", "厂长", "主任", "院长", "部长")


class _Person:
    __slots__ = ("start", "end", "title_start", "title_end")

    def __init__(self, start: int, end: int, title_start: int = 0, title_end: int = 0) -> None:
        self.start, self.end, self.title_start, self.title_end = start, end, title_start, title_end

    @property
    def last(self) -> int:
        return max(self.end, self.title_end)


def _name_at(doc: _Doc, pos: int, *, labelled: bool) -> tuple[int, int] | None:
    """A person's name starting at ``pos``: a surname and one or two given-name characters, starting at a word
    boundary (公司 does not hold the surname 司). Outside a 联系人 label, a name that jieba knows as another kind of
    word (左右, 许诺) is refused."""
    norm = doc.norm
    if pos not in doc.starts:
        return None
    m = _NAME_AT_RE.match(norm, pos)
    if m is None:
        return None
    surname_len = 2 if norm[pos : pos + 2] in COMPOUND_SURNAMES else 1
    options = []
    for given in (2, 1):
        end = pos + surname_len + given
        if end > m.end():
            continue
        if any(c in _NOT_GIVEN for c in norm[pos + surname_len : end]):
            continue
        if given == 2 and _TITLE_RE.match(norm, end - 1) and not _TITLE_RE.match(norm, end):
            continue  # 王伟总经理: not 王伟总 + 经理
        options.append(end)
    # Prefer the length whose end is a word boundary (王伟|明天 rather than 王伟明|天).
    for end in options:
        if end in doc.ends or end == len(norm) or not ("\u4e00" <= norm[end] <= "\u9fff"):
            break
    else:
        if not options:
            return None
        end = options[-1]
    if not labelled:
        tag = doc.res.tags.get(norm[pos:end])
        if tag is not None and not tag.startswith("nr"):
            return None
    return pos, end


def _honorific_at(doc: _Doc, pos: int) -> _Person | None:
    """王总, 黄先生, 张经理 (title 经理) at ``pos``; not a greeting (王主任您好)."""
    if pos not in doc.starts:
        return None
    m = _HONORIFIC_RE.match(doc.norm, pos)
    if m is None or _GREETING_AFTER_RE.match(doc.norm, m.end()):
        return None
    for title in _HONORIFIC_TITLES:
        if m.group().endswith(title):
            return _Person(m.start(), m.end(), m.end() - len(title), m.end())
    return _Person(m.start(), m.end())


def _person_at(doc: _Doc, pos: int, *, labelled: bool) -> _Person | None:
    """A person written at ``pos``: 投资总监李明, 王伟（总经理）, 王伟 总经理, 王总."""
    norm = doc.norm
    while pos < len(norm) and norm[pos] == " ":
        pos += 1
    for filler in ("企业", "公司", "他", "她"):
        if norm.startswith(filler, pos):
            pos += len(filler)
            break
    m = _TITLE_RE.match(norm, pos)
    if m and m.end() > pos:
        name = _name_at(doc, m.end(), labelled=labelled)
        if name:
            return _Person(name[0], name[1], m.start(), m.end())
    honorific = _honorific_at(doc, pos)
    if honorific is not None:
        return honorific
    name = _name_at(doc, pos, labelled=labelled)
    if name is None or _GREETING_AFTER_RE.match(norm, name[1]):
        return None
    t = _TITLE_AFTER_RE.match(norm, name[1])
    if t:
        return _Person(name[0], name[1], t.start(1), t.end(1))
    return _Person(name[0], name[1])


def _contact(doc: _Doc) -> tuple[dict | None, dict | None]:
    """The contact, in order of evidence: after a label (联系人：王伟（总经理）, 联系王伟总经理), right before a phone
    number (陈晓 186-5712-3456), next to a title (董事长陈建国, 黎志强副总经理) or a role (客商俞建明), and last a
    surname form anywhere (王总, 黄先生)."""
    person = _contact_person(doc)
    if person is None:
        return None, None
    text = doc.text
    name = _field(text[person.start : person.end], person.start, person.end)
    title = None
    if person.title_end > person.title_start:
        title = _field(text[person.title_start : person.title_end], person.title_start, person.title_end)
    return name, title


def _contact_person(doc: _Doc) -> _Person | None:
    norm = doc.norm
    for m in _LABEL_RE.finditer(norm):
        person = _person_at(doc, m.end(), labelled=True)
        if person:
            return person
    for m in (*_MOBILE_RE.finditer(norm), *_LANDLINE_RE.finditer(norm)):
        for back in range(2, 12):
            p = m.start() - back
            if p < 0:
                break
            person = _person_at(doc, p, labelled=False)
            if (
                person
                and person.title_start >= person.start * (person.title_end > 0)
                and _BEFORE_PHONE_RE.fullmatch(norm, person.last, m.start())
            ):
                return person
    for m in _TITLE_RE.finditer(norm):
        if m.end() - m.start() < 2:
            continue
        name = _name_at(doc, m.end(), labelled=False)
        if name:
            return _Person(name[0], name[1], m.start(), m.end())
        for back in (3, 2, 4):
            name = _name_at(doc, m.start() - back, labelled=False) if m.start() >= back else None
            if name and name[1] == m.start():
                return _Person(name[0], name[1], m.start(), m.end())
    for m in _ROLE_RE.finditer(norm):
        name = _name_at(doc, m.end(), labelled=False)
        if name:
            return _Person(name[0], name[1])
    for m in _FULL_NAME_HONORIFIC_RE.finditer(norm):
        name = _name_at(doc, m.start(), labelled=False)
        if name and name[1] == m.end():
            return _Person(name[0], name[1])  # 金丽华女士: the full name
    for m in _HONORIFIC_RE.finditer(norm):
        person = _honorific_at(doc, m.start())
        if person:
            return person
    return None


# --- phone -----------------------------------------------------------------------------------------------------------


def _phone(doc: _Doc, contact: dict | None) -> dict | None:
    norm = doc.norm
    mobiles = [(m.start(), m.end(), "".join(m.groups())) for m in _MOBILE_RE.finditer(norm)]
    landlines = [(m.start(), m.end(), f"{m.group(1)}-{m.group(2)}") for m in _LANDLINE_RE.finditer(norm)]
    landlines = [item for item in landlines if not any(a <= item[0] < b for a, b, _ in mobiles)]
    for group in (mobiles, landlines):
        if not group:
            continue
        if contact is not None:
            anchor = contact["end"]
            group = sorted(
                group, key=lambda item: abs(item[0] - anchor) if item[0] >= anchor else 10_000 + anchor - item[0]
            )
        start, end, value = group[0]
        return _field(value, start, end)
    return None


# --- land ------------------------------------------------------------------------------------------------------------


def _site_area(doc: _Doc) -> dict | None:
    norm = doc.norm
    best = None
    for m in _MU_RE.finditer(norm):
        a = m.group("a")
        if not re.search(r"[0-9一二两三四五六七八九十百千]", a):
            continue
        # The lower end of a range: the county plans land from the smallest stated need.
        value = _parse_number(a)
        if value is None or value <= 0:
            continue
        window = _clause_before(norm, m.start(), 10)
        score = 1 if _MU_KEYWORD_RE.search(window) else 0
        if best is None or score > best[0]:
            best = (score, _field(_decimal_str(value), m.start(), m.end()))
    return best[1] if best else None


# ---------------------------------------------------------------------------------------------------------------------
# The endpoint (an OpenAI-compatible chat completion) and the fallback
# ---------------------------------------------------------------------------------------------------------------------

_SYSTEM_PROMPT = (
    "你是招商线索信息抽取助手。从用户给出的文字中抽取以下字段，只输出一个 JSON 对象，不要输出其他内容：\n"
    '{"enterprise_name": 投资企业名称,\n'
    ' "investment_amount": {"value": 以万为单位的数字字符串, "unit": "万元" 或 "万美元", "text": 原文中的金额写法},\n'
    ' "project_type": new/capital_increase/reinvestment/merger/joint_venture/return/referral 之一,\n'
    ' "industry": {"code": GB/T 4754-2017 四位小类代码, "text": 原文中的行业词, "chain": 产业链名称或 null},\n'
    ' "location": 投资方所在地（原文写法，不是诸暨）,\n'
    ' "contact_name": 联系人, "contact_phone": {"value": 号码, "text": 原文写法}, "contact_title": 职务,\n'
    ' "site_area_mu": {"value": 亩数, "text": 原文写法}}\n'
    "文字中没有的字段填 null；字符串字段必须与原文完全一致。"
)
_ENDPOINT_PROJECT_LABELS = {label: code for code, label in PROJECT_TYPES.items()}


def extract_with_endpoint(text: str, *, url: str, api_key: str, model: str, timeout: float = 10) -> dict | None:
    """Ask an OpenAI-compatible ``/chat/completions`` endpoint for the fields; None on any error, timeout, invalid
    JSON or an answer that does not fit the text. Values are checked against the text: each must be found in it
    (``text.find``), which gives the spans."""
    if not url or not url.startswith(("http://", "https://")):
        return None
    endpoint = url.rstrip("/")
    if not endpoint.endswith("/chat/completions"):
        endpoint += "/chat/completions"
    body = json.dumps(
        {
            "model": model,
            "temperature": 0,
            "response_format": {"type": "json_object"},
            "messages": [{"role": "system", "content": _SYSTEM_PROMPT}, {"role": "user", "content": text}],
        },
        ensure_ascii=False,
    ).encode("utf-8")
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
        endpoint,
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {api_key}"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - http(s) only
            payload = json.loads(response.read().decode("utf-8"))
        content = payload["choices"][0]["message"]["content"]
        if not isinstance(content, str):
            return None
        data = json.loads(_strip_fences(content))
    except (OSError, ValueError, KeyError, IndexError, TypeError, urllib.error.URLError):
        return None
    if not isinstance(data, dict):
        return None
    if isinstance(data.get("fields"), dict):
        data = data["fields"]
    try:
        fields = _validate_endpoint_fields(text, data)
    except (ValueError, TypeError, KeyError, InvalidOperation):
        return None
    if fields is None:
        return None
    return {"fields": fields, "source": "endpoint"}


def _strip_fences(content: str) -> str:
    content = content.strip()
    m = re.match(r"^```(?:json)?\s*(.*?)\s*```$", content, re.S)
    return m.group(1) if m else content


def _source_of(item, *keys: str) -> str | None:
    if isinstance(item, str):
        return item
    if isinstance(item, dict):
        for key in keys:
            value = item.get(key)
            if isinstance(value, str) and value:
                return value
    return None


def _span(text: str, source: str | None) -> tuple[int, int]:
    if not source:
        raise ValueError("no source text")
    start = text.find(source)
    if start < 0:
        raise ValueError(f"{source!r} is not in the text")
    return start, start + len(source)


def _validate_endpoint_fields(text: str, data: dict) -> dict | None:
    """The endpoint's answer as extractor fields; a value not found in the text makes the whole answer invalid."""
    res = _resources()
    fields: dict[str, dict | None] = dict.fromkeys(FIELDS)
    for name in ("enterprise_name", "location", "contact_name", "contact_title"):
        item = data.get(name)
        if item in (None, ""):
            continue
        source = _source_of(item, "value", "text")
        start, end = _span(text, source)
        fields[name] = _field(source, start, end)
    item = data.get("investment_amount")
    if item not in (None, ""):
        if not isinstance(item, dict):
            return None
        value = Decimal(str(item["value"]).replace(",", ""))
        unit = item.get("unit")
        if unit not in UNITS or value <= 0:
            return None
        start, end = _span(text, _source_of(item, "text", "source"))
        fields["investment_amount"] = _field(_decimal_str(value), start, end, unit=unit)
    item = data.get("project_type")
    if item not in (None, ""):
        code = item.get("value") if isinstance(item, dict) else item
        code = _ENDPOINT_PROJECT_LABELS.get(code, code)
        if code not in PROJECT_TYPES:
            return None
        source = _source_of(item, "text", "source") if isinstance(item, dict) else None
        if source is None:
            label = PROJECT_TYPES[code]
            source = label if label in text else None
        start, end = _span(text, source) if source else (0, 0)
        fields["project_type"] = _field(code, start, end)
    item = data.get("industry")
    if item not in (None, ""):
        if not isinstance(item, dict):
            return None
        code = str(item.get("code") or "")
        if code not in res.classes:
            return None
        value = {"code": code, "name": res.classes[code][0]}
        chain = item.get("chain")
        if chain:
            if chain not in CHAINS:
                return None
            value["chain"] = chain
        source = _source_of(item, "text", "source")
        start, end = _span(text, source) if source else (0, 0)
        fields["industry"] = _field(value, start, end)
    item = data.get("contact_phone")
    if item not in (None, ""):
        source = _source_of(item, "text", "source", "value")
        start, end = _span(text, source)
        norm = _normalise(source)
        m = _MOBILE_RE.search(norm) or None
        if m:
            value = "".join(m.groups())
        else:
            m = _LANDLINE_RE.search(norm)
            if m is None:
                return None
            value = f"{m.group(1)}-{m.group(2)}"
        fields["contact_phone"] = _field(value, start, end)
    item = data.get("site_area_mu")
    if item not in (None, ""):
        raw = item.get("value") if isinstance(item, dict) else item
        value = Decimal(str(raw))
        if value <= 0:
            return None
        source = _source_of(item, "text", "source") if isinstance(item, dict) else None
        if source is None:
            source = next((s for s in (f"{raw}亩", str(raw)) if s in text), None)
        start, end = _span(text, source)
        fields["site_area_mu"] = _field(_decimal_str(value), start, end)
    return fields


def extract_any(text: str, *, enterprise_names: Iterable[str] = (), endpoint: dict | None = None) -> dict:
    """The endpoint's fields when ``endpoint`` (``{"url", "api_key", "model", "timeout"?}``) is given and answers
    validly, else the offline :func:`extract`."""
    if endpoint and endpoint.get("url"):
        result = extract_with_endpoint(
            text,
            url=endpoint["url"],
            api_key=endpoint.get("api_key", ""),
            model=endpoint.get("model", ""),
            timeout=float(endpoint.get("timeout", 10)),
        )
        if result is not None:
            return result
    return extract(text, enterprise_names=enterprise_names)
