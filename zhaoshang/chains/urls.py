from django.urls import path

from . import editor, views

app_name = "chains"

urlpatterns = [
    path("", views.ChainListView.as_view(), name="chain_list"),
    path("<int:pk>/", views.ChainMapView.as_view(), name="chain_detail"),
    path("<int:pk>/print/", views.ChainPrintView.as_view(), name="chain_print"),
    path("<int:pk>/edit/", editor.ChainEditView.as_view(), name="chain_edit"),
    path("<int:pk>/export/", views.ChainExportView.as_view(), name="chain_export"),
    path("<int:pk>/targets.xlsx", views.ChainTargetsExportView.as_view(), name="chain_targets_export"),
    path("nodes/<int:pk>/panel/", views.NodePanelView.as_view(), name="node_panel"),
    path("nodes/<int:pk>/targets/", views.NodeTargetsView.as_view(), name="node_targets"),
    path("links/<int:pk>/<str:decision>/", views.LinkDecisionView.as_view(), name="link_decide"),
    path("relations/", views.RelationListView.as_view(), name="enterpriserelation_list"),
    path("relations/add/", views.RelationEditView.as_view(), name="enterpriserelation_add"),
    path("relations/<int:pk>/", views.RelationDetailView.as_view(), name="enterpriserelation_detail"),
    path("relations/<int:pk>/edit/", views.RelationEditView.as_view(), name="enterpriserelation_edit"),
    path("relations/<int:pk>/delete/", views.RelationDeleteView.as_view(), name="enterpriserelation_delete"),
    path("fdi/", views.FdiOpportunitiesView.as_view(), name="fdi_opportunities"),
]
