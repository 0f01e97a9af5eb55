from zhaoshang.core.navigation import MenuItem, register
from zhaoshang.core.roles import Cap

register("policies", MenuItem("政策计算器", "policies:calculator", capability=Cap.BUSINESS_CHANGE))
register("policies", MenuItem("政策库", "policies:policy_list", capability=Cap.BUSINESS_CHANGE))
register("policies", MenuItem("政策条款", "policies:clause_list", capability=Cap.BUSINESS_CHANGE))
register("policies", MenuItem("政策测算", "policies:calculation_list", capability=Cap.BUSINESS_CHANGE))
register("policies", MenuItem("约定政策", "policies:commitment_list", capability=Cap.BUSINESS_CHANGE))
register("policies", MenuItem("兑现事项", "policies:fulfilment_list", capability=Cap.BUSINESS_CHANGE))
register("policies", MenuItem("政策变量目录", "policies:variable_list", capability=Cap.BUSINESS_CHANGE))
