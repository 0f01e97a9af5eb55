from zhaoshang.core.navigation import MenuItem, register
from zhaoshang.core.roles import Cap

register("stats", MenuItem("驾驶舱", "stats:cockpit", capability=Cap.VIEW_STATS))
register("stats", MenuItem("利用外资", "stats:fdi", capability=Cap.VIEW_STATS))
register("stats", MenuItem("单位排名", "stats:rankings", capability=Cap.VIEW_STATS))
register("stats", MenuItem("简报与台账", "stats:reports", capability=Cap.VIEW_STATS))
register("stats", MenuItem("年度目标", "stats:targets", capability=Cap.VIEW_STATS))
register("system", MenuItem("简报模板", "stats:briefing_template", capability=Cap.MANAGE_SETTINGS))
