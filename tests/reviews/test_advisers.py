"""Research organisations and the 顾问团: services (validation, scope, the change log), the pages, opinion
requests on a project, answers recorded by the officer who asked or given by the adviser from his own pages."""

import pytest
from django.urls import reverse

from tests.reviews.conftest import make_expert
from zhaoshang.core.errors import NotFound, PermissionDenied, ValidationFailed
from zhaoshang.core.models import ObjectChange
from zhaoshang.notify.models import Notification
from zhaoshang.reviews import services
from zhaoshang.reviews.models import AdviserGroup, AdviserMembership, Opinion, OpinionRequest, ResearchOrg


def state():
    """Everything these pages may write, to prove a refusal changed nothing."""
    return (
        list(ResearchOrg.objects.values_list("pk", "name", "kind", "note")),
        list(AdviserGroup.objects.values_list("pk", "name", "description")),
        list(AdviserMembership.objects.values_list("pk", "group_id", "expert_id", "speciality")),
        list(OpinionRequest.objects.values_list("pk", "question")),
        list(Opinion.objects.values_list("pk", "text")),
        ObjectChange.objects.count(),
    )


# --- research organisations -------------------------------------------------------------------------------------


def test_research_org_create_update_and_their_messages(users):
    center = users["center"]
    org = services.research_org_create(actor=center, name=" 诸暨智能制造研究院 ", kind="institute", note="")
    assert (org.name, org.region_id) == ("诸暨智能制造研究院", center.region_id)
    with pytest.raises(ValidationFailed) as caught:
        services.research_org_create(actor=center, name="诸暨智能制造研究院", kind="institute")
    assert caught.value.fields == {"name": ["已有名为“诸暨智能制造研究院”的研究机构"]}
    with pytest.raises(ValidationFailed) as caught:
        services.research_org_create(actor=center, name="", kind="lab", note="长" * 301)
    assert caught.value.fields == {
        "name": ["请填写名称"],
        "kind": ["请选择类型"],
        "note": ["简介不能超过300个字"],
    }
    services.research_org_update(actor=center, org_id=org.pk, name="诸暨博士后工作站", kind="postdoc", note="新")
    org.refresh_from_db()
    assert (org.name, org.kind, org.get_kind_display()) == ("诸暨博士后工作站", "postdoc", "博士后工作站")
    changes = ObjectChange.objects.filter(content_type__model="researchorg", object_id=org.pk).order_by("id")
    assert [c.action for c in changes] == ["create", "update"]
    assert changes[1].before["name"] == "诸暨智能制造研究院" and changes[1].after["name"] == "诸暨博士后工作站"


def test_research_org_refusals_change_nothing(users, other_county):
    from tests.factories import make_user

    org = services.research_org_create(actor=users["center"], name="浙大诸暨研究院", kind="institute")
    before = state()
    for role in ("sysadmin", "auditor", "expert1"):
        with pytest.raises(PermissionDenied):
            services.research_org_create(actor=users[role], name="另一家", kind="institute")
        with pytest.raises(PermissionDenied):
            services.research_org_update(actor=users[role], org_id=org.pk, name="改名", kind="institute")
    outsider = make_user("sl_officer", "officer", other_county.center)
    with pytest.raises(NotFound):
        services.research_org_update(actor=outsider, org_id=org.pk, name="改名", kind="institute")
    assert state() == before


def test_research_org_pages_show_the_experts(users, client_for, other_county):
    from tests.factories import make_user

    org = services.research_org_create(actor=users["center"], name="浙大诸暨研究院", kind="institute")
    make_expert(users["center"], "郑教授", research_org=org)
    client = client_for(users["center"])
    listing = client.get(reverse("reviews:researchorg_list"), {"kind": "institute"})
    assert listing.status_code == 200 and "浙大诸暨研究院" in listing.content.decode()
    page = client.get(reverse("reviews:researchorg_detail", args=[org.pk]))
    assert page.status_code == 200 and [e.name for e in page.context["experts"]] == ["郑教授"]
    expert_page = client.get(reverse("reviews:expert_list"))
    assert "浙大诸暨研究院" in expert_page.content.decode()  # the expert's organisation in the 专家库
    added = client.post(reverse("reviews:researchorg_add"), {"name": "诸暨创新中心", "kind": "innovation_center"})
    created = ResearchOrg.objects.get(name="诸暨创新中心")
    assert added.status_code == 302 and added["Location"] == reverse("reviews:researchorg_detail", args=[created.pk])
    duplicate = client.post(reverse("reviews:researchorg_add"), {"name": "诸暨创新中心", "kind": "institute"})
    assert duplicate.status_code == 200 and "已有名为“诸暨创新中心”的研究机构" in duplicate.content.decode()
    edited = client.post(
        reverse("reviews:researchorg_edit", args=[created.pk]), {"name": "诸暨创新中心", "kind": "postdoc"}
    )
    assert edited.status_code == 302 and ResearchOrg.objects.get(pk=created.pk).kind == "postdoc"
    outsider = client_for(make_user("sl_officer", "officer", other_county.center))
    assert outsider.get(reverse("reviews:researchorg_detail", args=[org.pk])).status_code == 404
    assert "浙大诸暨研究院" not in outsider.get(reverse("reviews:researchorg_list")).content.decode()
    before = state()
    refused = client_for(users["auditor"]).post(reverse("reviews:researchorg_add"), {"name": "x", "kind": "other"})
    assert refused.status_code == 403 and state() == before


# --- 顾问团 -------------------------------------------------------------------------------------------------------


@pytest.fixture
def advisers(users, county):
    from tests.factories import make_user

    center = users["center"]
    zheng = make_expert(center, "郑教授", user=users["expert1"], employer="浙江大学")
    guo = make_expert(center, "郭明辉", user=make_user("guo", "expert", county.center), employer="会计师事务所")
    ye = make_expert(center, "叶青", employer="律师事务所")
    group = services.adviser_group_create(
        actor=center, name="诸暨市招商顾问团", members=[(zheng.pk, "新材料"), (guo.pk, "财务")]
    )
    return {"group": group, "zheng": zheng, "guo": guo, "ye": ye}


def test_group_members_added_changed_and_removed_with_the_change_log(users, advisers):
    group, ye = advisers["group"], advisers["ye"]
    center = users["center"]
    services.adviser_member_add(actor=center, group_id=group.pk, expert_id=ye.pk, speciality="法律")
    services.adviser_member_add(actor=center, group_id=group.pk, expert_id=ye.pk, speciality="法律合规")
    assert group.memberships.get(expert=ye).speciality == "法律合规" and group.memberships.count() == 3
    services.adviser_member_remove(actor=center, group_id=group.pk, expert_id=advisers["guo"].pk)
    assert sorted(group.memberships.values_list("expert__name", flat=True)) == ["叶青", "郑教授"]
    services.adviser_group_update(actor=center, group_id=group.pk, name="诸暨顾问团", description="新简介")
    afters = [c.after for c in ObjectChange.objects.filter(content_type__model="advisergroup").order_by("id")]
    assert afters[1:4] == [
        {"member": "叶青", "speciality": "法律", "added": True},
        {"member": "叶青", "speciality": "法律合规", "added": False},
        {"removed": "郭明辉"},
    ]
    assert afters[4]["name"] == "诸暨顾问团"
    with pytest.raises(ValidationFailed) as caught:
        services.adviser_group_update(actor=center, group_id=group.pk, name=" ")
    assert caught.value.fields == {"name": ["请填写名称"]}
    with pytest.raises(NotFound, match="不是本顾问团成员"):
        services.adviser_member_remove(actor=center, group_id=group.pk, expert_id=advisers["guo"].pk)


def test_group_refusals_change_nothing(users, advisers):
    group, ye = advisers["group"], advisers["ye"]
    before = state()
    with pytest.raises(ValidationFailed) as caught:
        services.adviser_member_add(actor=users["datang"], group_id=group.pk, expert_id=ye.pk)
    assert caught.value.fields == {"expert": ["专家不存在或不在您的数据范围内"]}  # the center's library
    for role in ("sysadmin", "auditor", "expert1"):
        with pytest.raises(PermissionDenied):
            services.adviser_member_add(actor=users[role], group_id=group.pk, expert_id=ye.pk)
        with pytest.raises(PermissionDenied):
            services.adviser_member_remove(actor=users[role], group_id=group.pk, expert_id=advisers["zheng"].pk)
        with pytest.raises(PermissionDenied):
            services.adviser_group_update(actor=users[role], group_id=group.pk, name="改名")
    assert state() == before


def test_group_pages(users, client_for, advisers):
    group = advisers["group"]
    client = client_for(users["center"])
    assert "诸暨市招商顾问团" in client.get(reverse("reviews:advisergroup_list")).content.decode()
    page = client.get(reverse("reviews:advisergroup_detail", args=[group.pk]))
    assert [m.expert.name for m in page.context["members"]] == ["郑教授", "郭明辉"]
    assert [c for c, _ in page.context["member_form"].fields["expert"].choices] == ["", advisers["ye"].pk]
    members = reverse("reviews:advisergroup_members", args=[group.pk])
    client.post(members, {"action": "add", "expert": advisers["ye"].pk, "speciality": "法律"})
    client.post(members, {"action": "remove", "expert": advisers["guo"].pk})
    assert sorted(group.memberships.values_list("expert__name", flat=True)) == ["叶青", "郑教授"]
    junk = client.post(members, {"action": "add", "expert": "x"}, follow=True)
    assert "专家不存在或不在您的数据范围内" in junk.content.decode()
    created = client.post(reverse("reviews:advisergroup_add"), {"name": "外资顾问团", "description": "外资"})
    assert created.status_code == 302 and AdviserGroup.objects.filter(name="外资顾问团").exists()
    before = state()
    refused = client_for(users["auditor"]).post(members, {"action": "remove", "expert": advisers["ye"].pk})
    assert refused.status_code == 403
    assert client_for(users["sysadmin"]).get(reverse("reviews:advisergroup_list")).status_code == 403
    assert state() == before


# --- opinions -----------------------------------------------------------------------------------------------------


def test_opinion_request_notifies_advisers_and_the_requester_records_answers(users, advisers, at_review):
    group = advisers["group"]
    request = services.opinion_request(
        actor=users["diankou"], group_id=group.pk, project_id=at_review.pk, question="外资分期到位的可行性？"
    )
    notified = Notification.objects.filter(url=reverse("reviews:my_opinion", args=[request.pk]))
    assert sorted(notified.values_list("recipient__username", flat=True)) == ["expert1", "guo"]
    services.opinion_give(actor=users["diankou"], request_id=request.pk, expert_id=advisers["guo"].pk, text="可行")
    assert request.opinions.get().text == "可行"
    last = ObjectChange.objects.filter(content_type__model="opinionrequest").latest("id")
    assert last.after == {"adviser": "郭明辉", "opinion": "可行"}
    before = state()
    with pytest.raises(PermissionDenied):  # only the officer who asked records answers for advisers
        services.opinion_give(actor=users["center"], request_id=request.pk, expert_id=advisers["zheng"].pk, text="x")
    with pytest.raises(NotFound):  # not a member
        services.opinion_give(actor=users["diankou"], request_id=request.pk, expert_id=advisers["ye"].pk, text="x")
    with pytest.raises(ValidationFailed):
        services.opinion_give(actor=users["diankou"], request_id=request.pk, expert_id=advisers["guo"].pk, text=" ")
    with pytest.raises(NotFound):  # 大唐's officer does not see 店口's project
        services.opinion_request(actor=users["datang"], group_id=group.pk, project_id=at_review.pk, question="x")
    with pytest.raises(ValidationFailed) as caught:
        services.opinion_request(actor=users["diankou"], group_id=group.pk, project_id=at_review.pk, question="")
    assert caught.value.fields == {"question": ["请填写咨询事项"]}
    assert state() == before


def test_opinion_pages_and_their_scope(users, client_for, advisers, at_review):
    group = advisers["group"]
    client = client_for(users["diankou"])
    form = client.get(reverse("reviews:opinionrequest_add"), {"project": at_review.pk})
    assert form.status_code == 200 and form.context["form"].initial["project"] == str(at_review.pk)
    empty = client.post(reverse("reviews:opinionrequest_add"), {"group": group.pk, "project": at_review.pk})
    assert empty.status_code == 422 and OpinionRequest.objects.count() == 0
    asked = client.post(
        reverse("reviews:opinionrequest_add"), {"group": group.pk, "project": at_review.pk, "question": "风险？"}
    )
    request = OpinionRequest.objects.get()
    assert asked["Location"] == reverse("reviews:opinionrequest_detail", args=[request.pk])
    detail = reverse("reviews:opinionrequest_detail", args=[request.pk])
    recorded = client.post(detail, {"expert": advisers["guo"].pk, "text": "风险可控"})
    assert recorded.status_code == 302 and request.opinions.get().text == "风险可控"
    page = client.get(detail)
    rows = {r["expert"].name: r["opinion"] for r in page.context["rows"]}
    assert rows["郭明辉"].text == "风险可控" and rows["郑教授"] is None and page.context["may_record"]
    listing = client.get(reverse("reviews:opinionrequest_list"))
    assert "风险？" in listing.content.decode()
    # 大唐's officer sees neither the request nor the project it is about
    other = client_for(users["datang"])
    assert other.get(detail).status_code == 404
    assert "风险？" not in other.get(reverse("reviews:opinionrequest_list")).content.decode()
    before = state()
    center = client_for(users["center"])  # sees the project, did not ask: may not record for advisers
    refused = center.post(detail, {"expert": advisers["zheng"].pk, "text": "x"})
    assert refused.status_code == 403 and state() == before


def test_the_adviser_answers_from_his_own_pages_only(users, client_for, advisers, at_review):
    group = advisers["group"]
    request = services.opinion_request(
        actor=users["diankou"], group_id=group.pk, project_id=at_review.pk, question="技术路线是否先进？"
    )
    expert = client_for(users["expert1"])
    mine = expert.get(reverse("reviews:my_opinions"))
    assert mine.status_code == 200 and "技术路线是否先进？" in mine.content.decode()
    page = expert.get(reverse("reviews:my_opinion", args=[request.pk]))
    assert page.status_code == 200 and "海亮新能源电池材料项目" in page.content.decode()
    blank = expert.post(reverse("reviews:my_opinion", args=[request.pk]), {"text": ""})
    assert blank.status_code == 422 and Opinion.objects.count() == 0
    answered = expert.post(reverse("reviews:my_opinion", args=[request.pk]), {"text": "国内领先"})
    assert answered.status_code == 302 and Opinion.objects.get().expert == advisers["zheng"]
    assert "已答复" in expert.get(reverse("reviews:my_opinions")).content.decode()
    # officers' pages stay closed to him; a group he is not in is a 404
    for url in (
        reverse("reviews:opinionrequest_detail", args=[request.pk]),
        reverse("reviews:advisergroup_detail", args=[group.pk]),
        reverse("reviews:opinionrequest_list"),
    ):
        assert expert.get(url).status_code == 404, url
    services.adviser_member_remove(actor=users["center"], group_id=group.pk, expert_id=advisers["zheng"].pk)
    before = state()
    assert expert.get(reverse("reviews:my_opinion", args=[request.pk])).status_code == 404
    assert expert.post(reverse("reviews:my_opinion", args=[request.pk]), {"text": "再补充"}).status_code == 404
    assert state() == before and Opinion.objects.get().text == "国内领先"


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_pages_keep_their_query_count_as_rows_grow(users, client_for, advisers, at_review):
    group, center = advisers["group"], users["center"]
    org = services.research_org_create(actor=center, name="浙大诸暨研究院", kind="institute")
    client = client_for(users["diankou"])
    urls = [
        reverse("reviews:opinionrequest_list"),
        reverse("reviews:advisergroup_detail", args=[group.pk]),
        reverse("reviews:researchorg_detail", args=[org.pk]),
        reverse("reviews:researchorg_list"),
    ]

    def grow(n):
        for i in range(n):
            expert = make_expert(center, f"顾问{n}-{i}", research_org=org)
            services.adviser_member_add(actor=center, group_id=group.pk, expert_id=expert.pk, speciality="产业")
            services.research_org_create(actor=center, name=f"研究院{n}-{i}", kind="institute")
            request = services.opinion_request(
                actor=users["diankou"], group_id=group.pk, project_id=at_review.pk, question=f"问题{n}-{i}"
            )
            services.opinion_give(actor=users["diankou"], request_id=request.pk, expert_id=expert.pk, text="好")

    grow(2)
    urls.append(reverse("reviews:opinionrequest_detail", args=[OpinionRequest.objects.earliest("pk").pk]))
    small = [_queries(client, url) for url in urls]
    grow(8)  # the group's members and the answers on its page grow too
    assert [_queries(client, url) for url in urls] == small
