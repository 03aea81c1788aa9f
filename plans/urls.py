from django.urls import path

from . import views

app_name = "plans"
urlpatterns = [
    path("", views.plan_list, name="list"),
    path("import/", views.plan_import_upload, name="import"),
    path("import/<str:token>/", views.plan_import_preview, name="import_preview"),
    path("<int:pk>/", views.plan_detail, name="detail"),
]
