from django.urls import path

from tasks.views import plan_assessment, plan_assessment_xlsx, plan_bulletin_docx, plan_export_xlsx

from . import views

app_name = "plans"
urlpatterns = [
    path("", views.plan_list, name="list"),
    path("import/", views.plan_import_upload, name="import"),
    path("import/<str:token>/", views.plan_import_preview, name="import_preview"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>/export.xlsx", plan_export_xlsx, name="export"),
    path("<int:pk>/report.docx", plan_bulletin_docx, name="bulletin"),
    path("<int:pk>/assessment/", plan_assessment, name="assessment"),
    path("<int:pk>/assessment.xlsx", plan_assessment_xlsx, name="assessment_xlsx"),
    path("<int:pk>/close/", views.plan_close_view, name="close"),
    path("<int:pk>/assign/", views.plan_assign, name="assign"),
]
