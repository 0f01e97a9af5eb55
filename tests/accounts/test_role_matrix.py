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
    "testapp:dossier_list": {"leader", "center", "diankou", "zrzy", "expert1"},
    "enterprises:enterprise_list": {"leader", "center", "diankou", "zrzy", "expert1"},
    "enterprises:enterprise_add": {"leader", "center", "diankou", "zrzy"},
    "enterprises:enterprise_duplicates": {"leader", "center", "diankou", "zrzy"},
    "imports:import_new": {"center", "diankou"},
    "projects:project_list": {"leader", "center", "diankou", "zrzy", "expert1"},
    "projects:project_board": {"leader", "center", "diankou", "zrzy", "expert1"},
    "projects:project_todo": {"leader", "center", "diankou", "zrzy"},
    "projects:stage_config": {"sysadmin"},
    "projects:calendar": {"sysadmin"},
    "notify:list": set(ROLES),
    "stats:fdi": {"leader", "center", "diankou", "zrzy"},
    "stats:cockpit": {"leader", "center", "diankou", "zrzy"},
    "stats:briefing_template": {"sysadmin"},
}


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
        expected = 200 if role in allowed else 403
        assert response.status_code == expected, (role, name, response.status_code)
        denied_after = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.ACCESS_DENIED).count()
        assert denied_after - denied_before == (0 if expected == 200 else 1), (role, name)


def test_navigation_shows_only_what_the_role_may_open(users, client_for):
    def labels(role):
        response = client_for(users[role]).get(reverse("core:home"))
        return [(g["label"], [e["label"] for e in g["entries"]]) for g in response.context["navigation"]]

    assert labels("sysadmin") == [
        ("工作台", ["工作台"]),
        ("系统管理", ["组织单位", "用户账号", "项目阶段与预警规则", "线索规则与分派", "载体库与地图设置", "简报模板"]),
    ]
    assert labels("secadmin") == [("工作台", ["工作台"]), ("系统管理", ["用户账号"])]
    assert labels("auditor") == [("工作台", ["工作台"]), ("系统管理", ["审计日志"])]
    projects = ["项目列表", "项目看板", "本单位待办", "督办清单", "三未与赛马榜"]
    enterprises = ["企业列表", "疑似重复", "已删除企业"]
    leads = ["线索列表", "线索看板", "登记线索"]
    stats = ["驾驶舱", "利用外资", "单位排名", "简报与台账", "年度目标"]
    carriers = ["全部载体", "工业用地", "标准厂房", "楼宇", "园区", "低效用地", "招商地图", "要素匹配", "载体总览"]
    assert labels("center") == [
        ("工作台", ["工作台"]),
        ("线索", leads),
        ("项目", projects),
        ("企业库", enterprises),
        ("载体库", [*carriers, "登记载体", "导入地块边界"]),
        ("统计分析", stats),
    ]
    assert labels("expert1") == [
        ("工作台", ["工作台"]),
        ("线索", ["线索列表", "线索看板"]),
        ("项目", ["项目列表", "项目看板"]),
        ("企业库", ["企业列表"]),
        ("载体库", carriers),
    ]


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
