"""The plan's work: its plans, tasks, reports, dashboard and exports. Mounted at the site's root, so
the paths keep the /plans/ and /tasks/ they have always had."""

from django.urls import path

from . import views

app_name = "tasks"
urlpatterns = [
    path("dashboard/", views.dashboard_view, name="dashboard"),
    path("notifications/", views.notification_list, name="notifications"),
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/export.xlsx", views.plan_export_xlsx, name="plan_export"),
    path("plans/<int:pk>/report.docx", views.plan_bulletin_docx, name="plan_bulletin"),
    path("bulletins/", views.bulletin_new, name="bulletin_new"),
    path("bulletins/<int:pk>/", views.bulletin_detail, name="bulletin_detail"),
    path("bulletins/<int:pk>/bulletin.docx", views.bulletin_docx, name="bulletin_docx"),
    path("bulletins/<int:pk>/bulletin.pdf", views.bulletin_pdf, name="bulletin_pdf"),
    path("plans/<int:pk>/assessment/", views.plan_assessment, name="plan_assessment"),
    path("plans/<int:pk>/assessment.xlsx", views.plan_assessment_xlsx, name="plan_assessment_xlsx"),
    path("plans/<int:pk>/close/", views.plan_close_view, name="plan_close"),
    path("plans/<int:pk>/assign/", views.plan_assign, name="plan_assign"),
    path("tasks/", views.task_list, name="list"),
    path("tasks/mine/", views.task_mine, name="mine"),
    path("tasks/filter-choices/<str:field>/", views.filter_choices, name="filter_choices"),
    path("tasks/export.xlsx", views.task_export_xlsx, name="export"),
    path("tasks/mine/export.xlsx", views.task_mine_export_xlsx, name="mine_export"),
    path("tasks/exports/", views.export_job_start, name="export_job_start"),
    path("tasks/exports/<int:pk>/", views.export_job_detail, name="export_job"),
    path("tasks/exports/<int:pk>/file/", views.export_job_file, name="export_job_file"),
    path("tasks/mine/report/", views.month_report, name="mine_report"),
    path("tasks/<int:pk>/", views.task_detail, name="detail"),
    path("tasks/<int:pk>/report/", views.report_create, name="report"),
    path("tasks/<int:pk>/edit/", views.task_edit, name="edit"),
    path("tasks/<int:pk>/duties/", views.task_duties, name="duties"),
    path("tasks/<int:pk>/comment/", views.comment_create, name="comment"),
    path("tasks/<int:pk>/remind/", views.reminder_task, name="remind"),
    path("tasks/divisions/<int:pk>/remind/", views.reminder_division, name="remind_division"),
    path("tasks/attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("tasks/<int:pk>/milestones/", views.milestone_list, name="milestones"),
    path("tasks/milestones/<int:pk>/delete/", views.milestone_delete, name="milestone_delete"),
    path("tasks/<int:pk>/review/", views.review_create, name="review"),
    path("tasks/<int:pk>/extension/", views.extension_create, name="extension"),
    path("tasks/extensions/<int:pk>/decide/", views.extension_decision, name="extension_decide"),
]
