from django.urls import path

from . import config_views, views

app_name = "leads"

urlpatterns = [
    path("", views.LeadListView.as_view(), name="lead_list"),
    path("board/", views.LeadBoardView.as_view(), name="lead_board"),
    path("add/", views.LeadEditView.as_view(), name="lead_add"),
    path("extract/", views.ExtractView.as_view(), name="lead_extract"),
    path("check/", views.LeadCheckView.as_view(), name="lead_check"),
    path("followup/", views.FollowUpGoView.as_view(), name="lead_followup_go"),
    path("rules/", config_views.LeadRulesView.as_view(), name="rules"),
    path("<int:pk>/", views.LeadDetailView.as_view(), name="lead_detail"),
    path("<int:pk>/edit/", views.LeadEditView.as_view(), name="lead_edit"),
    path("<int:pk>/delete/", views.LeadDeleteView.as_view(), name="lead_delete"),
    path("<int:pk>/<slug:action>/", views.LeadActionView.as_view(), name="lead_action"),
]
