from zhaoshang.core.navigation import MenuItem, register
from zhaoshang.core.roles import Cap

# Business-change roles (officers, department officers, leaders): an expert sees only assigned projects.

register("leads", MenuItem("资源转化漏斗", "network:funnel", capability=Cap.BUSINESS_CHANGE))
register("leads", MenuItem("办事处报告识别", "network:report", capability=Cap.BUSINESS_CHANGE))
register("network", MenuItem("驻外办事处", "network:officeprofile_list", capability=Cap.BUSINESS_CHANGE))
register("network", MenuItem("办事处活动", "network:activity_list", capability=Cap.BUSINESS_CHANGE))
register("network", MenuItem("办事处考核", "network:assessment", capability=Cap.BUSINESS_CHANGE))
register("network", MenuItem("中介机构", "network:intermediary_list", capability=Cap.BUSINESS_CHANGE))
register("network", MenuItem("委托招商协议", "network:agreement_list", capability=Cap.BUSINESS_CHANGE))
register("network", MenuItem("友好城市", "network:sistercity_list", capability=Cap.BUSINESS_CHANGE))
register("network", MenuItem("招商活动", "network:event_list", capability=Cap.BUSINESS_CHANGE))
