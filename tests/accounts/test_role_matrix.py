"""三员分立 (SECURITY.md item 5): which role may open which page, as a matrix."""

import pytest
from django.urls import reverse

from zhaoshang.core.models import SecurityEvent

ROLES = ["sysadmin", "secadmin", "auditor", "leader", "center", "diankou", "zrzy", "expert1"]

# url name (args resolved against the fixture's users) → roles that may open it
MATRIX = {
    "core:home": set(ROLES),
    "accounts:org_unit_list": {"sysadmin"},
    "accounts:org_unit_add": {"sysadmin"},
    "accounts:user_list": {"sysadmin", "secadmin"},
    "accounts:user_add": {"sysadmin"},
    "accounts:user_edit": {"sysadmin"},
    "accounts:user_role": {"secadmin"},
    "core:audit": {"auditor"},
    "testapp:dossier_list": {"leader", "center", "diankou", "zrzy"},
    "enterprises:enterprise_list": {"leader", "center", "diankou", "zrzy"},
    "enterprises:enterprise_add": {"leader", "center", "diankou", "zrzy"},
    "enterprises:enterprise_duplicates": {"leader", "center", "diankou", "zrzy"},
    "imports:import_new": {"center", "diankou"},
    "projects:project_list": {"leader", "center", "diankou", "zrzy"},
    "projects:project_board": {"leader", "center", "diankou", "zrzy"},
    "projects:project_todo": {"leader", "center", "diankou", "zrzy"},
    "projects:stage_config": {"sysadmin"},
    "projects:calendar": {"sysadmin"},
    "notify:list": set(ROLES),
    "notify:preferences": set(ROLES),
    "notify:channels": {"sysadmin"},
    "notify:deliveries": {"sysadmin"},
    "notify:role_defaults": {"sysadmin"},
    "notify:jobs": {"sysadmin"},
    "stats:fdi": {"leader", "center", "diankou", "zrzy"},
    "stats:cockpit": {"leader", "center", "diankou", "zrzy"},
    "stats:briefing_template": {"sysadmin"},
    "reviews:review_board": {"leader", "center", "diankou", "zrzy"},
    "reviews:expert_list": {"leader", "center", "diankou", "zrzy"},
    "reviews:my_reviews": {"expert1"},
    "reviews:exclusion_audit": {"auditor"},
}
# An expert reaches his assigned reviews and nothing else: any other page is a 404, not a 403 (he is not told
# what exists), and no access-denied row is written for it.
CONFINED = {"expert1"}


def _url(name, users):
    if name in ("accounts:user_edit", "accounts:user_role"):
        return reverse(name, args=[users["diankou"].pk])
    return reverse(name)


@pytest.mark.parametrize("role", ROLES)
def test_role_url_matrix(users, client_for, role):
    client = client_for(users[role])
    for name, allowed in MATRIX.items():
        denied_before = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.ACCESS_DENIED).count()
        response = client.get(_url(name, users))
        confined = role in CONFINED and name not in ("core:home", "notify:list", "reviews:my_reviews")
        expected = 200 if role in allowed else 404 if confined else 403
        assert response.status_code == expected, (role, name, response.status_code)
        denied_after = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.ACCESS_DENIED).count()
        # a refusal leaves one audit row, the expert-only guard's 404 too
        assert denied_after - denied_before == (0 if expected == 200 else 1), (role, name)


def test_navigation_shows_only_what_the_role_may_open(users, client_for):
    def labels(role):
        response = client_for(users[role]).get(reverse("core:home"))
        return [(g["label"], [e["label"] for e in g["entries"]]) for g in response.context["navigation"]]

    assert labels("sysadmin") == [
        ("工作台", ["工作台"]),
        (
            "系统管理",
            [
                "组织单位",
                "用户账号",
                "消息渠道",
                "默认通知渠道",
                "消息投递记录",
                "定时任务",
                "项目阶段与预警规则",
                "线索规则与分派",
                "载体库与地图设置",
                "简报模板",
                "研判评分表",
            ],
        ),
    ]
    assert labels("secadmin") == [("工作台", ["工作台"]), ("系统管理", ["用户账号"])]
    assert labels("auditor") == [("工作台", ["工作台"]), ("系统管理", ["审计日志", "专家回避记录"])]
    projects = ["项目列表", "项目看板", "本单位待办", "督办清单", "三未与赛马榜"]
    enterprises = ["企业列表", "疑似重复", "已删除企业"]
    leads = ["线索列表", "线索看板", "登记线索"]
    stats = ["驾驶舱", "利用外资", "单位排名", "简报与台账", "年度目标"]
    network = ["驻外办事处", "办事处活动", "办事处考核", "中介机构", "委托招商协议", "友好城市", "招商活动"]
    carriers = ["全部载体", "工业用地", "标准厂房", "楼宇", "园区", "低效用地", "招商地图", "要素匹配", "载体总览"]
    assert labels("center") == [
        ("工作台", ["工作台"]),
        ("线索", [*leads, "资源转化漏斗", "办事处报告识别"]),
        ("项目", projects),
        ("企业库", enterprises),
        ("招商网络", network),
        ("载体库", [*carriers, "登记载体", "导入地块边界"]),
        ("产业链", ["产业链图谱", "企业关系", "涉外关系线索"]),
        ("政策", ["政策计算器", "政策库", "政策条款", "政策测算", "约定政策", "兑现事项", "政策变量目录"]),
        ("研判", ["研判看板", "研判列表", "专家库", "研究机构", "顾问团", "顾问意见征询", "研判统计"]),
        ("统计分析", stats),
    ]
    assert labels("expert1") == [("工作台", ["工作台"]), ("研判", ["我的研判任务", "顾问意见征询"])]


def test_posts_are_refused_like_gets_and_change_nothing(users, client_for):
    target = users["diankou"]
    # the security administrator cannot create accounts or edit them
    response = client_for(users["secadmin"]).post(
        reverse("accounts:user_add"),
        {
            "username": "newbie",
            "full_name": "新人",
            "org_unit": target.org_unit_id,
            "password": "Aa1!aaaaaaaa",
        },
    )
    assert response.status_code == 403
    assert not type(target).objects.filter(username="newbie").exists()
    # the system administrator cannot assign roles
    response = client_for(users["sysadmin"]).post(reverse("accounts:user_role", args=[target.pk]), {"role": "leader"})
    assert response.status_code == 403
    target.refresh_from_db()
    assert target.role == "officer"
