from django.urls import path

from . import config_views, map_views, views

app_name = "carriers"

urlpatterns = [
    path("", views.CarrierListView.as_view(), name="carrier_list"),
    *[
        path(f"kind/{kind}/", views.CarrierListView.as_view(), {"kind": kind}, name=f"kind_{kind}")
        for kind in views.KIND_SLUGS
    ],
    path("add/", views.CarrierEditView.as_view(), name="carrier_add"),
    path("match/", views.MatchView.as_view(), name="match"),
    path("match/<int:pk>/attach/", views.MatchAttachView.as_view(), name="match_attach"),
    path("settings/", config_views.SettingsView.as_view(), name="settings"),
    path("boundaries/", config_views.BoundariesImportView.as_view(), name="boundaries"),
    path("map/", map_views.MapView.as_view(), name="map"),
    path("overview/", map_views.OverviewView.as_view(), name="overview"),
    path("<int:pk>/", views.CarrierDetailView.as_view(), name="carrier_detail"),
    path("<int:pk>/edit/", views.CarrierEditView.as_view(), name="carrier_edit"),
    path("<int:pk>/delete/", views.CarrierDeleteView.as_view(), name="carrier_delete"),
    path("<int:pk>/reveal/", views.CarrierRevealView.as_view(), name="carrier_reveal"),
    path("<int:pk>/<slug:action>/", views.CarrierActionView.as_view(), name="carrier_action"),
]
