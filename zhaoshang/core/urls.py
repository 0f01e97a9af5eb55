from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("system/audit/", views.AuditView.as_view(), name="audit"),
    path("system/audit/verify/", views.AuditVerifyView.as_view(), name="audit_verify"),
]
