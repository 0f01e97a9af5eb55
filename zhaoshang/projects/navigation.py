from zhaoshang.core.navigation import MenuItem, register
from zhaoshang.core.roles import Cap

register("projects", MenuItem("项目列表", "projects:project_list", capability=Cap.BUSINESS_VIEW))
register("projects", MenuItem("项目看板", "projects:project_board", capability=Cap.BUSINESS_VIEW))
register("projects", MenuItem("本单位待办", "projects:project_todo", capability=Cap.BUSINESS_CHANGE))
register("projects", MenuItem("督办清单", "projects:project_supervision", capability=Cap.BUSINESS_CHANGE))
register("projects", MenuItem("三未与赛马榜", "projects:project_lists", capability=Cap.BUSINESS_CHANGE))
register("system", MenuItem("项目阶段与预警规则", "projects:stage_config", capability=Cap.MANAGE_SETTINGS))
