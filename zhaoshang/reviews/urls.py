from django.urls import path

from . import views

app_name = "reviews"

urlpatterns = [
    path("", views.ReviewListView.as_view(), name="review_list"),
    path("board/", views.BoardView.as_view(), name="review_board"),
    path("statistics/", views.StatisticsView.as_view(), name="review_stats"),
    path("add/", views.ReviewAddView.as_view(), name="review_add"),
    path("<int:pk>/", views.ReviewDetailView.as_view(), name="review_detail"),
    path("<int:pk>/edit/", views.ReviewEditView.as_view(), name="review_edit"),
    path("<int:pk>/delete/", views.ReviewDeleteView.as_view(), name="review_delete"),
    path("<int:pk>/opinion.docx", views.ReviewDocumentView.as_view(), name="review_document"),
    path("<int:pk>/<str:action>/", views.ReviewActionView.as_view(), name="review_action"),
    path("experts/", views.ExpertListView.as_view(), name="expert_list"),
    path("experts/add/", views.ExpertEditView.as_view(), name="expert_add"),
    path("experts/<int:pk>/", views.ExpertDetailView.as_view(), name="expert_detail"),
    path("experts/<int:pk>/edit/", views.ExpertEditView.as_view(), name="expert_edit"),
    path("experts/<int:pk>/delete/", views.ExpertDeleteView.as_view(), name="expert_delete"),
    path("exclusions/", views.ExclusionAuditView.as_view(), name="exclusion_audit"),
    # the expert's own pages (the only ones an expert reaches)
    path("mine/", views.ExpertHomeView.as_view(), name="my_reviews"),
    path("mine/<int:pk>/", views.ExpertReviewView.as_view(), name="my_review"),
]
