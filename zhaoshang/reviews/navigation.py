from zhaoshang.core.navigation import MenuItem, register
from zhaoshang.core.roles import Cap

register("reviews", MenuItem("研判看板", "reviews:review_board", capability=Cap.BUSINESS_VIEW))
register("reviews", MenuItem("研判列表", "reviews:review_list", capability=Cap.BUSINESS_VIEW))
register("reviews", MenuItem("专家库", "reviews:expert_list", capability=Cap.BUSINESS_VIEW))
register("reviews", MenuItem("研究机构", "reviews:researchorg_list", capability=Cap.BUSINESS_VIEW))
register("reviews", MenuItem("顾问团", "reviews:advisergroup_list", capability=Cap.BUSINESS_VIEW))
register("reviews", MenuItem("顾问意见征询", "reviews:opinionrequest_list", capability=Cap.BUSINESS_VIEW))
register("reviews", MenuItem("研判统计", "reviews:review_stats", capability=Cap.BUSINESS_VIEW))
register("reviews", MenuItem("我的研判任务", "reviews:my_reviews", capability=Cap.SCORE_REVIEWS))
register("reviews", MenuItem("顾问意见征询", "reviews:my_opinions", capability=Cap.SCORE_REVIEWS))
register("system", MenuItem("研判评分表", "reviews:rubric_list", capability=Cap.MANAGE_SETTINGS))
register("system", MenuItem("专家回避记录", "reviews:exclusion_audit", capability=Cap.VIEW_AUDIT))
