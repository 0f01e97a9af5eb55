from django.urls import path

from . import adviser_views, meeting_views, rubric_views, views

app_name = "reviews"

urlpatterns = [
    path("", views.ReviewListView.as_view(), name="review_list"),
    path("board/", views.BoardView.as_view(), name="review_board"),
    path("statistics/", views.StatisticsView.as_view(), name="review_stats"),
    path("add/", views.ReviewAddView.as_view(), name="review_add"),
    path("<int:pk>/", views.ReviewDetailView.as_view(), name="review_detail"),
    path("<int:pk>/edit/", views.ReviewEditView.as_view(), name="review_edit"),
    path("<int:pk>/delete/", views.ReviewDeleteView.as_view(), name="review_delete"),
    path("<int:pk>/opinion.docx", views.ReviewDocumentView.as_view(), name="review_document"),
    path("<int:pk>/meeting/", meeting_views.ReviewMeetingView.as_view(), name="review_meeting"),
    path("<int:pk>/meeting/<int:expert>/", meeting_views.MeetingScoreView.as_view(), name="review_meeting_score"),
    path("<int:pk>/<str:action>/", views.ReviewActionView.as_view(), name="review_action"),
    path("experts/", views.ExpertListView.as_view(), name="expert_list"),
    path("experts/add/", views.ExpertEditView.as_view(), name="expert_add"),
    path("experts/<int:pk>/", views.ExpertDetailView.as_view(), name="expert_detail"),
    path("experts/<int:pk>/edit/", views.ExpertEditView.as_view(), name="expert_edit"),
    path("experts/<int:pk>/delete/", views.ExpertDeleteView.as_view(), name="expert_delete"),
    path("rubrics/", rubric_views.RubricListView.as_view(), name="rubric_list"),
    path("rubrics/add/", rubric_views.RubricAddView.as_view(), name="rubric_add"),
    path("rubrics/<int:pk>/", rubric_views.RubricDetailView.as_view(), name="rubric_detail"),
    path("rubrics/<int:pk>/edit/", rubric_views.RubricEditView.as_view(), name="rubric_edit"),
    path("rubrics/<int:pk>/v<int:number>/", rubric_views.RubricVersionView.as_view(), name="rubric_version"),
    path("rubrics/<int:pk>/new-version/", rubric_views.RubricVersionAddView.as_view(), name="rubric_version_add"),
    path("research-orgs/", adviser_views.ResearchOrgListView.as_view(), name="researchorg_list"),
    path("research-orgs/add/", adviser_views.ResearchOrgEditView.as_view(), name="researchorg_add"),
    path("research-orgs/<int:pk>/", adviser_views.ResearchOrgDetailView.as_view(), name="researchorg_detail"),
    path("research-orgs/<int:pk>/edit/", adviser_views.ResearchOrgEditView.as_view(), name="researchorg_edit"),
    path("advisers/", adviser_views.AdviserGroupListView.as_view(), name="advisergroup_list"),
    path("advisers/add/", adviser_views.AdviserGroupEditView.as_view(), name="advisergroup_add"),
    path("advisers/<int:pk>/", adviser_views.AdviserGroupDetailView.as_view(), name="advisergroup_detail"),
    path("advisers/<int:pk>/edit/", adviser_views.AdviserGroupEditView.as_view(), name="advisergroup_edit"),
    path("advisers/<int:pk>/members/", adviser_views.AdviserMemberView.as_view(), name="advisergroup_members"),
    path("opinions/", adviser_views.OpinionRequestListView.as_view(), name="opinionrequest_list"),
    path("opinions/add/", adviser_views.OpinionRequestAddView.as_view(), name="opinionrequest_add"),
    path("opinions/<int:pk>/", adviser_views.OpinionRequestDetailView.as_view(), name="opinionrequest_detail"),
    path("exclusions/", views.ExclusionAuditView.as_view(), name="exclusion_audit"),
    # the expert's own pages (the only ones an expert reaches)
    path("mine/", views.ExpertHomeView.as_view(), name="my_reviews"),
    path("mine/<int:pk>/", views.ExpertReviewView.as_view(), name="my_review"),
    path("mine/opinions/", adviser_views.MyOpinionListView.as_view(), name="my_opinions"),
    path("mine/opinions/<int:pk>/", adviser_views.MyOpinionView.as_view(), name="my_opinion"),
]
