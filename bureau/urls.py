from django.contrib import admin
from django.urls import include, path

from tasks.views import dashboard_view, notification_list

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("plans/", include("plans.urls")),
    path("tasks/", include("tasks.urls")),
    path("notifications/", notification_list, name="notifications"),
    path("dashboard/", dashboard_view, name="dashboard"),
    path("admin/", admin.site.urls),
]
