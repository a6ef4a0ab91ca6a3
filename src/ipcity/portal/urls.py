from django.urls import path

from ipcity.portal import views
from ipcity.protection import views_public as protection
from ipcity.search.views import public_patent, public_search
from ipcity.workdays.views import public_calculate

app_name = "portal"
urlpatterns = [
    path("", views.index, name="index"),
    path("deadline/", public_calculate, name="deadline"),
    path("patents/", public_search, name="patents"),
    path("patents/<str:number>/", public_patent, name="patent"),
    path("complaints/", protection.submit, name="submit"),
    path("complaints/done/", protection.submitted, name="submission_done"),
    path("complaints/lookup/", protection.lookup, name="submission_lookup"),
    path("complaints/<str:tracking_number>/receipt.pdf", protection.receipt, name="submission_receipt"),
    path("decisions/", protection.decision_list, name="decisions"),
    path("decisions/<int:pk>/", protection.decision_detail, name="decision"),
]
