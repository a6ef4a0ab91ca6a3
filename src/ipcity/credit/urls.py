from django.urls import path

from ipcity.credit import views

app_name = "credit"
urlpatterns = [
    path("", views.index, name="index"),
    path("collect/", views.collect, name="collect"),
    path("records/", views.record_list, name="records"),
    path("records/new/", views.record_new, name="record_new"),
    path("records/<int:pk>/", views.record_detail, name="record"),
    path("records/<int:pk>/commitment/", views.settle_commitment, name="settle_commitment"),
    path("records/<int:pk>/revoke/", views.revoke, name="revoke"),
    path("orgs/<int:pk>/", views.org_profile, name="org"),
    path("orgs/<int:pk>/propose/", views.propose, name="propose"),
    path("listings/", views.listing_list, name="listings"),
    path("listings/export.xlsx", views.listing_export, name="listing_export"),
    path("listings/<int:pk>/", views.listing_detail, name="listing"),
    path("listings/<int:pk>/decide/", views.listing_decide, name="listing_decide"),
    path("listings/<int:pk>/remove/", views.listing_remove, name="listing_remove"),
    path("repairs/", views.repair_list, name="repairs"),
    path("repairs/new/", views.repair_new, name="repair_new"),
    path("repairs/<int:pk>/", views.repair_detail, name="repair"),
    path("repairs/<int:pk>/decide/", views.repair_decide, name="repair_decide"),
]
