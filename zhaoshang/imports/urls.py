from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("new/", views.ImportNewView.as_view(), name="import_new"),
    path("<int:pk>/", views.ImportDetailView.as_view(), name="import_detail"),
    path("<int:pk>/rerun/", views.ImportRerunView.as_view(), name="import_rerun"),
    path("templates/<slug:kind>.xlsx", views.TemplateDownloadView.as_view(), name="import_template"),
]
