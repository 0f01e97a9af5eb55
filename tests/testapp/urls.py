from django.urls import path

from . import views

app_name = "testapp"

urlpatterns = [
    path("", views.DossierListView.as_view(), name="dossier_list"),
    path("add/", views.DossierEditView.as_view(), name="dossier_add"),
    path("<int:pk>/", views.DossierDetailView.as_view(), name="dossier_detail"),
    path("<int:pk>/edit/", views.DossierEditView.as_view(), name="dossier_edit"),
    path("<int:pk>/delete/", views.DossierDeleteView.as_view(), name="dossier_delete"),
]
