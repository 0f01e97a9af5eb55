"""Word lists and patterns: places, chains and product keywords, enterprise-name forms, people, figures."""

from __future__ import annotations

import re

from .text import _words

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
# 某 / 某某 / XX / ×× / ** / ○○ standing for a withheld name: such a "name" is no enterprise to look up.
ANONYMOUS_MARK_RE = re.compile(r"某某?|(?<![A-Za-z])[Xx]{2,3}(?![A-Za-z])|[×Ｘ]{2,3}|\*{2,}|＊{2,}|○{2,}")
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
# An increase of registered capital is the amount of a capital-increase project (新增注册资本3000万元), unlike the
# registered capital of a company (注册资本5000万元), which says nothing about the project.
_AMOUNT_CAPITAL_INCREASE_RE = re.compile(r"(?:新增|增加|追加)注册(?:资本|资金)(?:金额)?(?:为|达|约)?$")
_AMOUNT_INVESTED_AFTER_RE = re.compile(r"\s*(?:用于|进行|全部|用来)?(?:再投资|投资|增资)")
_AMOUNT_CONVERSION_RE = re.compile(r"约合|折合|合人民币|相当于")
_AMOUNT_PAST_RE = re.compile(r"去年|已经|已|曾|此前|了")
_AMOUNT_WINDOW = 12
_CLAUSE_BREAK = "，。；;！？!?\n"

# Linear in the text: a match starts only where a run of numerals starts (the look-behind), and the runs are
# possessive (no giving back digits to retry), so a long run without 亩 is scanned once, not once per digit.
_MU_RE = re.compile(
    r"(?<![\d.零〇一二两三四五六七八九十百千万])(?P<a>\d++(?:\.\d++)?|[零〇一二两三四五六七八九十百千万]++)"
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
    (
        "capital_increase",
        re.compile(r"增资|(?:新增|增加)注册(?:资本|资金)|扩产|扩能|扩大产能|追加投资|增加投资|新增投资|技改"),
    ),
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


def chain_classes() -> dict[str, frozenset[str]]:
    """The GB/T 4754 classes of each of the center's chains, as the product keywords above know them (other apps
    read the chains' industries from here until the chains app holds the chain nodes)."""
    out: dict[str, set[str]] = {chain: set() for chain in CHAINS}
    for code, chain in _KEYWORDS.values():
        if chain in out:
            out[chain].add(code)
    return {chain: frozenset(codes) for chain, codes in out.items()}
