from zhaoshang.core.navigation import MenuItem, register
from zhaoshang.core.roles import Cap

# The chain map is analysis of the county (like 统计分析): officers, departments and leaders; not experts, who
# see only what is assigned to them.
register("chains", MenuItem("产业链图谱", "chains:chain_list", capability=Cap.VIEW_STATS))
register("chains", MenuItem("企业关系", "chains:enterpriserelation_list", capability=Cap.VIEW_STATS))
register("chains", MenuItem("涉外关系线索", "chains:fdi_opportunities", capability=Cap.VIEW_STATS))
