from django.urls import path

from . import views

app_name = "enterprises"

urlpatterns = [
    path("", views.EnterpriseListView.as_view(), name="enterprise_list"),
    path("add/", views.EnterpriseEditView.as_view(), name="enterprise_add"),
    path("check/", views.EnterpriseCheckView.as_view(), name="enterprise_check"),
    path("export/", views.ExportView.as_view(), name="enterprise_export"),
    path("bulk-tag/", views.BulkTagView.as_view(), name="enterprise_bulk_tag"),
    path("duplicates/", views.DuplicatesView.as_view(), name="enterprise_duplicates"),
    path("trash/", views.TrashView.as_view(), name="enterprise_trash"),
    path("<int:pk>/restore/", views.RestoreView.as_view(), name="enterprise_restore"),
    path("<int:pk>/", views.EnterpriseDetailView.as_view(), name="enterprise_detail"),
    path("<int:pk>/edit/", views.EnterpriseEditView.as_view(), name="enterprise_edit"),
    path("<int:pk>/delete/", views.EnterpriseDeleteView.as_view(), name="enterprise_delete"),
    path("<int:pk>/merge/", views.MergeView.as_view(), name="enterprise_merge"),
    path("<int:pk>/contacts/add/", views.ContactAddView.as_view(), name="contact_add"),
    path("<int:pk>/signals/add/", views.SignalAddView.as_view(), name="signal_add"),
    path("<int:pk>/notes/add/", views.NoteAddView.as_view(), name="note_add"),
    path("contacts/<int:pk>/reveal/", views.ContactRevealView.as_view(), name="contact_reveal"),
    path("merges/<int:pk>/undo/", views.MergeUndoView.as_view(), name="merge_undo"),
]
