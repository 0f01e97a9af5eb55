from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", views.LogoutView.as_view(), name="logout"),
    path("accounts/two-factor/", views.TwoFactorVerifyView.as_view(), name="two_factor_verify"),
    path("accounts/two-factor/enrol/", views.TwoFactorEnrolView.as_view(), name="two_factor_enrol"),
    path("accounts/password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/profile/", views.ProfileView.as_view(), name="profile"),
    path("accounts/profile/tokens/<int:pk>/revoke/", views.TokenRevokeView.as_view(), name="token_revoke"),
    path("system/org-units/", views.OrgUnitListView.as_view(), name="org_unit_list"),
    path("system/org-units/add/", views.OrgUnitEditView.as_view(), name="org_unit_add"),
    path("system/org-units/<int:pk>/edit/", views.OrgUnitEditView.as_view(), name="org_unit_edit"),
    path("system/users/", views.UserListView.as_view(), name="user_list"),
    path("system/users/add/", views.UserCreateView.as_view(), name="user_add"),
    path("system/users/<int:pk>/edit/", views.UserEditView.as_view(), name="user_edit"),
    path("system/users/<int:pk>/role/", views.UserRoleView.as_view(), name="user_role"),
    path(
        "system/users/<int:pk>/two-factor/reset/", views.UserTwoFactorResetView.as_view(), name="user_two_factor_reset"
    ),
    path("system/users/<int:pk>/unlock/", views.UserUnlockView.as_view(), name="user_unlock"),
]
