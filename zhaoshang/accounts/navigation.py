from zhaoshang.core.navigation import MenuItem, register
from zhaoshang.core.roles import Cap

register("home", MenuItem("工作台", "core:home"))
register("system", MenuItem("组织单位", "accounts:org_unit_list", capability=Cap.MANAGE_ORG_UNITS))
register("system", MenuItem("用户账号", "accounts:user_list", capability=Cap.VIEW_USERS))
register("system", MenuItem("审计日志", "core:audit", capability=Cap.VIEW_AUDIT))
