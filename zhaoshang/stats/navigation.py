from zhaoshang.core.navigation import MenuItem, register
from zhaoshang.core.roles import Cap, Role

BUSINESS = Role.business_roles()
register("stats", MenuItem("驾驶舱", "stats:cockpit", roles=BUSINESS))
register("stats", MenuItem("利用外资", "stats:fdi", roles=BUSINESS))
register("stats", MenuItem("单位排名", "stats:rankings", roles=BUSINESS))
register("stats", MenuItem("简报与台账", "stats:reports", roles=BUSINESS))
register("stats", MenuItem("年度目标", "stats:targets", roles=BUSINESS))
register("system", MenuItem("简报模板", "stats:briefing_template", capability=Cap.MANAGE_SETTINGS))
