from zhaoshang.core.navigation import MenuItem, register
from zhaoshang.core.roles import Cap

register("leads", MenuItem("线索列表", "leads:lead_list", capability=Cap.BUSINESS_VIEW))
register("leads", MenuItem("线索看板", "leads:lead_board", capability=Cap.BUSINESS_VIEW))
register("leads", MenuItem("登记线索", "leads:lead_add", capability=Cap.BUSINESS_CHANGE))
register("system", MenuItem("线索规则与分派", "leads:rules", capability=Cap.MANAGE_SETTINGS))
