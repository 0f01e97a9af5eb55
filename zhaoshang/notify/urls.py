from django.urls import path

from . import admin_views, views

app_name = "notify"

urlpatterns = [
    path("", views.NotificationListView.as_view(), name="list"),
    path("<int:pk>/", views.OpenView.as_view(), name="open"),
    path("<int:pk>/read/", views.MarkReadView.as_view(), name="mark_read"),
    path("read-all/", views.MarkAllReadView.as_view(), name="read_all"),
    path("settings/", admin_views.PreferencesView.as_view(), name="preferences"),
    path("channels/", admin_views.ChannelListView.as_view(), name="channels"),
    path("channels/<str:channel>/", admin_views.ChannelEditView.as_view(), name="channel_edit"),
    path("deliveries/", admin_views.DeliveryListView.as_view(), name="deliveries"),
    path("defaults/", admin_views.RoleDefaultsView.as_view(), name="role_defaults"),
    path("jobs/", admin_views.JobListView.as_view(), name="jobs"),
]
