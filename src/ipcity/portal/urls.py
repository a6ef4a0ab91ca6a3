from django.urls import path

from ipcity.portal import views
from ipcity.workdays.views import public_calculate

app_name = "portal"
urlpatterns = [
    path("", views.index, name="index"),
    path("deadline/", public_calculate, name="deadline"),
]
