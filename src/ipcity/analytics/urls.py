from django.urls import path

from ipcity.analytics import views, views_navigation

app_name = "analytics"
urlpatterns = [
    path("", views.index, name="index"),
    path("indicators/", views.indicators, name="indicators"),
    path("indicators/export.xlsx", views.indicators_export, name="indicators_export"),
    path("indicators/<slug:key>/<str:code>/", views.records, name="records"),
    path("indicators/<slug:key>/<str:code>/export.xlsx", views.records_export, name="records_export"),
    path("navigation/", views_navigation.navigation, name="navigation"),
    path("navigation/report/", views_navigation.report, name="navigation_report"),
    path("navigation/enterprise/", views_navigation.enterprise, name="enterprise_navigation"),
    path("navigation/reports/<uuid:pk>/<str:fmt>/", views_navigation.report_file, name="navigation_report_file"),
]
