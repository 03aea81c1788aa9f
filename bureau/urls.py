from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from .forms import LoginForm
from .views import account, home, outbox, people, robots, tokens

handler500 = "bureau.faults.server_error_or_busy"

urlpatterns = [
    path("", home.home, name="home"),
    # Sign-in and one's own password only: accounts are made and reset by the bureau's admin, not by email.
    path("accounts/login/", auth_views.LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", account.password_change, name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    # The bureau admin's group robots (钉钉/浙政钉, 企业微信).
    path("robots/", robots.robot_list, name="robot_list"),
    path("robots/new/", robots.robot_create, name="robot_create"),
    path("robots/<int:pk>/", robots.robot_edit, name="robot_edit"),
    path("robots/<int:pk>/delete/", robots.robot_delete, name="robot_delete"),
    path("robots/<int:pk>/test/", robots.robot_test, name="robot_test"),
    # The bureau admin's people; everyone's own account.
    path("people/", people.people_list, name="people_list"),
    path("people/new/", people.person_create_view, name="person_create"),
    path("people/import/", people.people_import_upload, name="people_import"),
    path("people/import/<str:token>/", people.people_import_preview, name="people_import_preview"),
    path("people/<int:pk>/", people.person_edit, name="person_edit"),
    path("people/<int:pk>/reset/", people.person_reset, name="person_reset"),
    path("people/<int:pk>/unlock/", people.person_unlock, name="person_unlock"),
    path("people/<int:pk>/active/", people.person_active, name="person_active"),
    path("account/", account.account, name="account"),
    # 发送记录: the outbox's emails and robot messages, for the bureau admin.
    path("outbox/", outbox.outbox_list, name="outbox_list"),
    path("outbox/<int:pk>/retry/", outbox.outbox_retry, name="outbox_retry"),
    # The layers above are named, not imported: bureau/ is the bottom and imports neither.
    path("plans/", include("plans.urls")),
    path("", include("tasks.urls")),
    # The API reads the plan's data, so it is tasks'; its tokens are bureau's.
    path("api/v1/", include("tasks.api.urls")),
    path("account/tokens/", tokens.token_list, name="account_tokens"),
    path("account/tokens/<int:pk>/revoke/", tokens.token_revoke_page, name="account_token_revoke"),
    path("admin/", admin.site.urls),
]
