from django.urls import path

from ipcity.plans import views

app_name = "plans"
urlpatterns = [
    path("", views.plan_list, name="list"),
    path("upload/", views.upload, name="upload"),
    path("imports/<int:pk>/", views.review, name="review"),
    path("imports/<int:pk>/header/", views.review_header, name="review_header"),
    path("imports/<int:pk>/tasks/<int:index>/", views.review_task, name="review_task"),
    path("imports/<int:pk>/units/", views.review_units, name="review_units"),
    path("imports/<int:pk>/publish/", views.publish, name="publish"),
    path("imports/<int:pk>/discard/", views.discard, name="discard"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>/report/", views.plan_report, name="report"),
    path("tasks/<int:pk>/", views.task_detail, name="task"),
    path("tasks/<int:pk>/milestones/", views.milestone_add, name="milestone_add"),
    path("milestones/<int:pk>/done/", views.milestone_done, name="milestone_done"),
    path("reports/<int:pk>/review/", views.review_report, name="review_report"),
    path("reports/<int:pk>/files/<int:file_id>/", views.report_attachment, name="report_attachment"),
    path("indicators/<int:pk>/", views.indicator_detail, name="indicator"),
]
