from django.urls import path

from . import pages, views

app_name = "network"


def _crud(prefix: str, name: str, list_view, edit_view, detail_view, delete_view) -> list:
    return [
        path(f"{prefix}/", list_view.as_view(), name=f"{name}_list"),
        path(f"{prefix}/add/", edit_view.as_view(), name=f"{name}_add"),
        path(f"{prefix}/<int:pk>/", detail_view.as_view(), name=f"{name}_detail"),
        path(f"{prefix}/<int:pk>/edit/", edit_view.as_view(), name=f"{name}_edit"),
        path(f"{prefix}/<int:pk>/delete/", delete_view.as_view(), name=f"{name}_delete"),
    ]


urlpatterns = [
    *_crud(
        "offices",
        "officeprofile",
        views.OfficeListView,
        views.OfficeEditView,
        views.OfficeDetailView,
        views.OfficeDeleteView,
    ),
    *_crud(
        "activities",
        "activity",
        views.ActivityListView,
        views.ActivityEditView,
        views.ActivityDetailView,
        views.ActivityDeleteView,
    ),
    *_crud(
        "intermediaries",
        "intermediary",
        views.IntermediaryListView,
        views.IntermediaryEditView,
        views.IntermediaryDetailView,
        views.IntermediaryDeleteView,
    ),
    *_crud(
        "agreements",
        "agreement",
        views.AgreementListView,
        views.AgreementEditView,
        views.AgreementDetailView,
        views.AgreementDeleteView,
    ),
    *_crud(
        "sister-cities",
        "sistercity",
        views.SisterCityListView,
        views.SisterCityEditView,
        views.SisterCityDetailView,
        views.SisterCityDeleteView,
    ),
    *_crud("events", "event", views.EventListView, views.EventEditView, views.EventDetailView, views.EventDeleteView),
    path(
        "activities/<int:pk>/attachments/<int:attachment_id>/",
        pages.ActivityAttachmentView.as_view(),
        name="activity_attachment",
    ),
    path("funnel/", pages.FunnelView.as_view(), name="funnel"),
    path("assessment/", pages.AssessmentView.as_view(), name="assessment"),
    path("report/", pages.ReportView.as_view(), name="report"),
    path("report/confirm/", pages.ReportConfirmView.as_view(), name="report_confirm"),
    path("<str:kind>/<int:pk>/<str:action>/", pages.ActionView.as_view(), name="action"),
]
