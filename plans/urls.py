"""Bringing a plan document in: upload → preview → confirm. The plan's own pages are tasks/urls.py."""

from django.urls import path

from . import views

app_name = "plans"
urlpatterns = [
    path("import/", views.plan_import_upload, name="import"),
    path("import/<str:token>/", views.plan_import_preview, name="import_preview"),
]
