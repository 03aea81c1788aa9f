from django.urls import path

from . import views

app_name = "tasks"
urlpatterns = [
    path("", views.task_list, name="list"),
    path("mine/", views.task_mine, name="mine"),
    path("export.xlsx", views.task_export_xlsx, name="export"),
    path("<int:pk>/", views.task_detail, name="detail"),
    path("<int:pk>/report/", views.report_create, name="report"),
    path("<int:pk>/edit/", views.task_edit, name="edit"),
    path("<int:pk>/duties/", views.task_duties, name="duties"),
    path("<int:pk>/comment/", views.comment_create, name="comment"),
    path("<int:pk>/remind/", views.reminder_task, name="remind"),
    path("divisions/<int:pk>/remind/", views.reminder_division, name="remind_division"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("<int:pk>/milestones/", views.milestone_list, name="milestones"),
    path("milestones/<int:pk>/delete/", views.milestone_delete, name="milestone_delete"),
    path("<int:pk>/review/", views.review_create, name="review"),
    path("<int:pk>/extension/", views.extension_create, name="extension"),
    path("extensions/<int:pk>/decide/", views.extension_decision, name="extension_decide"),
]
