from zhaoshang.core.navigation import MenuItem, register
from zhaoshang.core.roles import Cap

register("chains", MenuItem("产业链图谱", "chains:chain_list", capability=Cap.BUSINESS_VIEW))
register("chains", MenuItem("企业关系", "chains:enterpriserelation_list", capability=Cap.BUSINESS_VIEW))
register("chains", MenuItem("涉外关系线索", "chains:fdi_opportunities", capability=Cap.BUSINESS_VIEW))
