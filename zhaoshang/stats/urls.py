from django.urls import path

from . import views

app_name = "stats"

urlpatterns = [
    path("", views.FDIView.as_view(), name="fdi"),
    path("records/", views.RecordsView.as_view(), name="records"),
    path("rankings/", views.RankingsView.as_view(), name="rankings"),
    path("cockpit/", views.CockpitView.as_view(), name="cockpit"),
    path("reports/", views.ReportsView.as_view(), name="reports"),
    path("reports/<int:pk>/download/", views.ReportDownloadView.as_view(), name="report_download"),
    path("targets/", views.TargetsView.as_view(), name="targets"),
    path("briefing-template/", views.BriefingTemplateView.as_view(), name="briefing_template"),
]
