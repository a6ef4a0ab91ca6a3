from django.urls import path

from ipcity.workdays import views

app_name = "workdays"
urlpatterns = [
    path("", views.calendar_page, name="calendar"),
    path("calculate/", views.calculate, name="calculate"),
]
