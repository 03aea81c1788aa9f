from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from .forms import LoginForm
from .views import home, robots, tokens

handler500 = "bureau.faults.server_error_or_busy"

urlpatterns = [
    path("", home.home, name="home"),
    # Sign-in and one's own password only: accounts are made and reset by the bureau's admin, not by email.
    path("accounts/login/", auth_views.LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    # The bureau admin's group robots (钉钉/浙政钉, 企业微信).
    path("robots/", robots.robot_list, name="robot_list"),
    path("robots/new/", robots.robot_create, name="robot_create"),
    path("robots/<int:pk>/", robots.robot_edit, name="robot_edit"),
    path("robots/<int:pk>/delete/", robots.robot_delete, name="robot_delete"),
    path("robots/<int:pk>/test/", robots.robot_test, name="robot_test"),
    # The layers above are named, not imported: bureau/ is the bottom and imports neither.
    path("plans/", include("plans.urls")),
    path("", include("tasks.urls")),
    # The API reads the plan's data, so it is tasks'; its tokens are bureau's.
    path("api/v1/", include("tasks.api.urls")),
    path("account/tokens/", tokens.token_list, name="account_tokens"),
    path("account/tokens/<int:pk>/revoke/", tokens.token_revoke_view, name="account_token_revoke"),
    path("admin/", admin.site.urls),
]
