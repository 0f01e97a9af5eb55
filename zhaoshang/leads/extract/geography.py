"""Where a place lies: a Chinese place → its province and city (full names), a foreign one → the country field.

The investor's location is written as it comes (杭州, 深圳市, 萧山, 江苏常州 → 常州, 德国, 中国香港); the lead stores
a domestic investor's province and city, and only a foreign country or 港澳台 in 投资方国别（地区）.
"""

from __future__ import annotations

from .lexicon import _COUNTRY, _REGION, PLACES
from .text import _words

# Province-level divisions: the short form the text uses → the full name the lead stores.
PROVINCE_NAMES = {
    **{
        p: p + "省" for p in _words("河北 山西 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东 河南 湖北 湖南 广东 海南")
    },
    **{p: p + "省" for p in _words("四川 贵州 云南 陕西 甘肃 青海")},
    **{p: p + "市" for p in _words("北京 天津 上海 重庆")},
    "内蒙古": "内蒙古自治区",
    "广西": "广西壮族自治区",
    "西藏": "西藏自治区",
    "宁夏": "宁夏回族自治区",
    "新疆": "新疆维吾尔自治区",
}
MUNICIPALITIES = frozenset(_words("北京 天津 上海 重庆"))

# Cities (prefecture-level, and the county-level cities investors often come from) by province.
CITIES_BY_PROVINCE = {
    "河北": "石家庄 唐山 秦皇岛 邯郸 邢台 保定 张家口 承德 沧州 廊坊 衡水 雄安",
    "山西": "太原 大同 阳泉 长治 晋城 朔州 晋中 运城 忻州 临汾 吕梁",
    "内蒙古": "呼和浩特 包头 乌海 赤峰 通辽 鄂尔多斯 呼伦贝尔 巴彦淖尔 乌兰察布",
    "辽宁": "沈阳 大连 鞍山 抚顺 本溪 丹东 锦州 营口 阜新 辽阳 盘锦 铁岭 朝阳 葫芦岛",
    "吉林": "长春 四平 辽源 通化 白山 松原 白城",
    "黑龙江": "哈尔滨 齐齐哈尔 鸡西 鹤岗 双鸭山 大庆 伊春 佳木斯 七台河 牡丹江 黑河 绥化",
    "江苏": "南京 无锡 徐州 常州 苏州 南通 连云港 淮安 盐城 扬州 镇江 泰州 宿迁 昆山 张家港 常熟 太仓 江阴 宜兴",
    "浙江": "杭州 宁波 温州 嘉兴 湖州 绍兴 金华 衢州 舟山 台州 丽水",
    "安徽": "合肥 芜湖 蚌埠 淮南 马鞍山 淮北 铜陵 安庆 黄山 滁州 阜阳 宿州 六安 亳州 池州 宣城",
    "福建": "福州 厦门 莆田 三明 泉州 漳州 南平 龙岩 宁德 晋江 石狮",
    "江西": "南昌 景德镇 萍乡 九江 新余 鹰潭 赣州 吉安 宜春 抚州 上饶",
    "山东": "济南 青岛 淄博 枣庄 东营 烟台 潍坊 济宁 泰安 威海 日照 临沂 德州 聊城 滨州 菏泽",
    "河南": "郑州 开封 洛阳 平顶山 安阳 鹤壁 新乡 焦作 濮阳 许昌 漯河 三门峡 南阳 商丘 信阳 周口 驻马店",
    "湖北": "武汉 黄石 十堰 宜昌 襄阳 鄂州 荆门 孝感 荆州 黄冈 咸宁 随州",
    "湖南": "长沙 株洲 湘潭 衡阳 邵阳 岳阳 常德 张家界 益阳 郴州 永州 怀化 娄底",
    "广东": "广州 韶关 深圳 珠海 汕头 佛山 江门 湛江 茂名 肇庆 惠州 梅州 汕尾 河源 阳江 清远 东莞 中山 潮州 揭阳 云浮",
    "广西": "南宁 柳州 桂林 梧州 北海 防城港 钦州 贵港 玉林 百色 贺州 河池 来宾 崇左",
    "海南": "海口 三亚 儋州",
    "四川": "成都 自贡 攀枝花 泸州 德阳 绵阳 广元 遂宁 内江 乐山 南充 眉山 宜宾 广安 达州 雅安 巴中 资阳",
    "贵州": "贵阳 六盘水 遵义 安顺 毕节 铜仁",
    "云南": "昆明 曲靖 玉溪 保山 昭通 丽江 普洱 临沧",
    "西藏": "拉萨 日喀则 林芝",
    "陕西": "西安 铜川 宝鸡 咸阳 渭南 延安 汉中 榆林 安康 商洛",
    "甘肃": "兰州 嘉峪关 金昌 白银 天水 武威 张掖 平凉 酒泉 庆阳 定西 陇南",
    "青海": "西宁",
    "宁夏": "银川 石嘴山 吴忠 固原 中卫",
    "新疆": "乌鲁木齐 克拉玛依 吐鲁番 哈密",
}
# Districts and counties → their city (the lead keeps the city; the district stays in the text).
COUNTIES_BY_CITY = {
    "上海": "浦东 闵行 松江 嘉定 青浦 奉贤 宝山",
    "北京": "海淀 昌平 顺义 亦庄",
    "深圳": "龙岗 宝安 福田 坪山",
    "杭州": "上城 拱墅 西湖 滨江 萧山 余杭 临平 钱塘 富阳 临安 桐庐 淳安 建德",
    "宁波": "海曙 江北 北仑 镇海 鄞州 奉化 余姚 慈溪 象山 宁海",
    "温州": "鹿城 龙湾 瓯海 洞头 瑞安 乐清 龙港 永嘉 平阳 苍南 文成 泰顺",
    "嘉兴": "南湖 秀洲 海宁 平湖 桐乡 嘉善 海盐",
    "湖州": "吴兴 南浔 德清 长兴 安吉",
    "绍兴": "越城 柯桥 上虞 嵊州 新昌",
    "金华": "婺城 金东 兰溪 义乌 东阳 永康 武义 浦江 磐安",
    "衢州": "柯城 衢江 江山 常山 开化 龙游",
    "舟山": "定海 普陀 岱山 嵊泗",
    "台州": "椒江 黄岩 路桥 临海 温岭 玉环 三门 天台 仙居",
    "丽水": "莲都 龙泉 青田 缙云 遂昌 松阳 云和 庆元 景宁",
}


def _tables() -> tuple[dict[str, str], dict[str, str]]:
    province_of_city: dict[str, str] = {m: m for m in MUNICIPALITIES}
    for province, cities in CITIES_BY_PROVINCE.items():
        for city in _words(cities):
            province_of_city[city] = province
    city_of_county = {county: city for city, counties in COUNTIES_BY_CITY.items() for county in _words(counties)}
    return province_of_city, city_of_county


_PROVINCE_OF_CITY, _CITY_OF_COUNTY = _tables()
_SUFFIXES = ("特别行政区", "地区", "壮族自治区", "回族自治区", "维吾尔自治区", "自治区", "省", "市", "区", "县")
_REGION_NAMES = {"香港": "中国香港", "澳门": "中国澳门", "台湾": "中国台湾"}


def _bare(place: str) -> str:
    for suffix in _SUFFIXES:
        if place.endswith(suffix) and len(place) > len(suffix) + 1:
            return place[: -len(suffix)]
    return place


def place_parts(place: str) -> dict[str, str]:
    """``{"country": …}`` for a foreign country or 港澳台 (中国香港 as the statistics name it), ``{"province": …,
    "city": …}`` (full names; a province alone has no city) for a place in China, ``{}`` for an unknown place.

    >>> place_parts("杭州")
    {'province': '浙江省', 'city': '杭州市'}
    >>> place_parts("德国")
    {'country': '德国'}
    """
    place = (place or "").strip()
    if not place:
        return {}
    kind = PLACES.get(place)
    if kind == _COUNTRY:
        return {"country": place}
    bare = _bare(place)
    if kind == _REGION or bare in _REGION_NAMES or place in _REGION_NAMES.values():
        return {"country": _REGION_NAMES.get(bare, place)}
    if bare in PROVINCE_NAMES and bare not in MUNICIPALITIES:
        return {"province": PROVINCE_NAMES[bare]}
    city = _CITY_OF_COUNTY.get(bare, bare)
    province = _PROVINCE_OF_CITY.get(city)
    if province is None:
        return {}
    return {"province": PROVINCE_NAMES[province], "city": city + "市"}
