from django.contrib import admin
from django.urls import include, path

from ipcity.api import api, openapi_view

urlpatterns = [
    path("", include("ipcity.core.urls")),
    path("accounts/", include("ipcity.accounts.urls")),
    path("orgs/", include("ipcity.orgs.urls")),
    path("workdays/", include("ipcity.workdays.urls")),
    path("jobs/", include("ipcity.jobs.urls")),
    path("plans/", include("ipcity.plans.urls")),
    path("data/", include("ipcity.ipdata.urls")),
    path("search/", include("ipcity.search.urls")),
    path("analytics/", include("ipcity.analytics.urls")),
    path("protection/", include("ipcity.protection.urls")),
    path("evidence/", include("ipcity.evidence.urls")),
    path("credit/", include("ipcity.credit.urls")),
    path("abnormal/", include("ipcity.abnormal.urls")),
    path("inspections/", include("ipcity.inspections.urls")),
    path("portal/evidence/", include("ipcity.evidence.urls_public")),
    path("portal/credit/", include("ipcity.credit.urls_public")),
    path("portal/inspections/", include("ipcity.inspections.urls_public")),
    path("portal/", include("ipcity.portal.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/openapi.json", openapi_view, name="openapi"),
    path("api/v1/", api.urls),
]

handler404 = "ipcity.core.errors.not_found"
handler403 = "ipcity.core.errors.forbidden"
handler500 = "ipcity.core.errors.server_error"
