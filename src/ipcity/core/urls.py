from django.urls import path

from ipcity.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("section/<slug:slug>/", views.section, name="section"),
    path("audit/", views.audit_log, name="audit"),
]
