from django.urls import path

from . import views

app_name = "chains"

urlpatterns = [
    path("", views.ChainListView.as_view(), name="chain_list"),
    path("<int:pk>/", views.chain_detail, name="chain_detail"),
]
