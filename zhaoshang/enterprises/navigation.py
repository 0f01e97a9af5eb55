from zhaoshang.core.navigation import MenuItem, register
from zhaoshang.core.roles import Cap

register("enterprises", MenuItem("企业列表", "enterprises:enterprise_list", capability=Cap.BUSINESS_VIEW))
register("enterprises", MenuItem("疑似重复", "enterprises:enterprise_duplicates", capability=Cap.BUSINESS_CHANGE))
register("enterprises", MenuItem("已删除企业", "enterprises:enterprise_trash", capability=Cap.BUSINESS_CHANGE))
