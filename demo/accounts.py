"""The demo organisation tree of 诸暨市 and one named demo user per role.

The divisions follow DOMAIN.md §1 (5 街道, 17 镇, 1 乡, the development zone); verify them against
the current 行政区划 before a real deployment. Every demo login has the password ``Demo@2026zs``
(demo mode only: outside it the platform refuses to start while a demo account keeps it).
"""

DEMO_PASSWORD = "Demo@2026zs"

REGION = ("诸暨市", "zhuji", "city")

# The county's 统筹单位: its officers view the whole county, assign leads, raise 督办 and compile statistics.
COORDINATING_UNITS = ("zhuji-center",)

# (name, short name, code, kind, parent code)
UNITS: list[tuple[str, str, str, str, str]] = [
    ("诸暨市招商投资促进中心", "投促中心", "zhuji-center", "center", "zhuji"),
    ("北京驻外招商引智办事处", "北京办事处", "zhuji-office-bj", "office", "zhuji-center"),
    ("上海驻外招商引智办事处", "上海办事处", "zhuji-office-sh", "office", "zhuji-center"),
    ("深圳驻外招商引智办事处", "深圳办事处", "zhuji-office-sz", "office", "zhuji-center"),
    ("成都驻外招商引智办事处", "成都办事处", "zhuji-office-cd", "office", "zhuji-center"),
    ("诸暨经济开发区", "开发区", "zhuji-zone", "zone", "zhuji"),
    ("市场监督管理局", "市场监管局", "zhuji-scjg", "department", "zhuji"),
    ("自然资源和规划局", "自然资源和规划局", "zhuji-zrzy", "department", "zhuji"),
    ("发展和改革局", "发改局", "zhuji-fgj", "department", "zhuji"),
    ("住房和城乡建设局", "住建局", "zhuji-zjj", "department", "zhuji"),
    ("经济和信息化局", "经信局", "zhuji-jxj", "department", "zhuji"),
    ("商务局", "商务局", "zhuji-swj", "department", "zhuji"),
    ("绍兴市生态环境局诸暨分局", "生态环境分局", "zhuji-sthj", "department", "zhuji"),
    ("外事办公室", "外事办", "zhuji-wsb", "department", "zhuji"),
    ("财政局", "财政局", "zhuji-czj", "department", "zhuji"),
    ("统计局", "统计局", "zhuji-tjj", "department", "zhuji"),
]

TOWNS = [
    # 5 街道
    ("暨阳街道", "jiyang"),
    ("浣东街道", "huandong"),
    ("陶朱街道", "taozhu"),
    ("暨南街道", "jinan"),
    ("大唐街道", "datang"),
    # 17 镇
    ("店口镇", "diankou"),
    ("枫桥镇", "fengqiao"),
    ("山下湖镇", "shanxiahu"),
    ("次坞镇", "ciwu"),
    ("应店街镇", "yingdianjie"),
    ("安华镇", "anhua"),
    ("牌头镇", "paitou"),
    ("同山镇", "tongshan"),
    ("璜山镇", "huangshan"),
    ("陈宅镇", "chenzhai"),
    ("岭北镇", "lingbei"),
    ("东白湖镇", "dongbaihu"),
    ("五泄镇", "wuxie"),
    ("草塔镇", "caota"),
    ("马剑镇", "majian"),
    ("赵家镇", "zhaojia"),
    ("姚江镇", "yaojiang"),
    # 1 乡
    ("东和乡", "donghe"),
]
UNITS += [(name, name, f"zhuji-{code}", "town", "zhuji") for name, code in TOWNS]

# (username, full name, role, unit code, title)
USERS: list[tuple[str, str, str, str, str]] = [
    ("sysadmin", "王建国", "sysadmin", "zhuji-center", "系统管理员"),
    ("secadmin", "李安", "secadmin", "zhuji-center", "安全管理员"),
    ("auditor", "赵审", "auditor", "zhuji-center", "审计管理员"),
    ("leader", "陈志远", "leader", "zhuji", "分管副市长"),
    ("center", "周敏", "officer", "zhuji-center", "招商专员"),
    ("diankou", "何海峰", "officer", "zhuji-diankou", "店口镇招商专员"),
    ("datang", "楼晓燕", "officer", "zhuji-datang", "大唐街道招商专员"),
    ("office_sh", "孙立", "officer", "zhuji-office-sh", "上海办事处招商专员"),
    ("zrzy", "钱土生", "department", "zhuji-zrzy", "用地保障科科员"),
    ("scjg", "吴登记", "department", "zhuji-scjg", "登记注册科科员"),
    ("expert1", "郑教授", "expert", "zhuji-center", "招商顾问团专家"),
    # Further demo users so that every department in the default project lifecycle has someone to act.
    ("fgj", "冯发改", "department", "zhuji-fgj", "投资科科员"),
    ("zjj", "朱建设", "department", "zhuji-zjj", "建筑业管理科科员"),
    ("jxj", "金信息", "department", "zhuji-jxj", "投资与技术改造科科员"),
    ("zone", "江开发", "officer", "zhuji-zone", "开发区招商专员"),
]

DEMO_USERNAMES = tuple(u[0] for u in USERS)
