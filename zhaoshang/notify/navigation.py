from zhaoshang.core.navigation import MenuItem, register
from zhaoshang.core.roles import Cap

register("system", MenuItem("消息渠道", "notify:channels", capability=Cap.MANAGE_SETTINGS))
register("system", MenuItem("默认通知渠道", "notify:role_defaults", capability=Cap.MANAGE_SETTINGS))
register("system", MenuItem("消息投递记录", "notify:deliveries", capability=Cap.MANAGE_SETTINGS))
register("system", MenuItem("定时任务", "notify:jobs", capability=Cap.MANAGE_SETTINGS))
