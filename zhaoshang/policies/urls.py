from django.urls import path

from . import calc_views, fulfil_views, views

app_name = "policies"


def _crud(prefix: str, name: str, list_view, detail, edit, delete) -> list:
    return [
        path(f"{prefix}", list_view.as_view(), name=f"{name}_list"),
        path(f"{prefix}add/", edit.as_view(), name=f"{name}_add"),
        path(f"{prefix}<int:pk>/", detail.as_view(), name=f"{name}_detail"),
        path(f"{prefix}<int:pk>/edit/", edit.as_view(), name=f"{name}_edit"),
        path(f"{prefix}<int:pk>/delete/", delete.as_view(), name=f"{name}_delete"),
    ]


urlpatterns = [
    *_crud("", "policy", views.PolicyListView, views.PolicyDetailView, views.PolicyEditView, views.PolicyDeleteView),
    path("<int:pk>/attachment/", views.PolicyAttachmentView.as_view(), name="policy_attachment"),
    *_crud(
        "clauses/", "clause", views.ClauseListView, views.ClauseDetailView, views.ClauseEditView, views.ClauseDeleteView
    ),
    path("clauses/check/", views.ClauseCheckView.as_view(), name="clause_check"),
    path("clauses/<int:pk>/<slug:action>/", views.ClauseActionView.as_view(), name="clause_action"),
    path("variables/", views.VariableListView.as_view(), name="variable_list"),
    path("variables/add/", views.VariableEditView.as_view(), name="variable_add"),
    path("variables/<int:pk>/edit/", views.VariableEditView.as_view(), name="variable_edit"),
    path("calculator/", calc_views.CalculatorView.as_view(), name="calculator"),
    *_crud(
        "calculations/",
        "calculation",
        calc_views.CalculationListView,
        calc_views.CalculationDetailView,
        calc_views.CalculationEditView,
        calc_views.CalculationDeleteView,
    ),
    path("calculations/<int:pk>/word/", calc_views.CalculationWordView.as_view(), name="calculation_word"),
    *_crud(
        "commitments/",
        "commitment",
        fulfil_views.CommitmentListView,
        fulfil_views.CommitmentDetailView,
        fulfil_views.CommitmentEditView,
        fulfil_views.CommitmentDeleteView,
    ),
    path("commitments/<int:pk>/check/", fulfil_views.CommitmentCheckView.as_view(), name="commitment_check"),
    *_crud(
        "fulfilments/",
        "fulfilment",
        fulfil_views.FulfilmentListView,
        fulfil_views.FulfilmentDetailView,
        fulfil_views.FulfilmentEditView,
        fulfil_views.FulfilmentDeleteView,
    ),
    path("fulfilments/<int:pk>/act/", fulfil_views.FulfilmentActionView.as_view(), name="fulfilment_action"),
]
