from django.urls import path

from ipcity.inspections import views_public as v

app_name = "inspections_public"
urlpatterns = [
    path("", v.draw_list, name="list"),
    path("draws/<int:pk>/", v.draw_detail, name="draw"),
    path("draws/<int:pk>/pool.json", v.draw_pool, name="pool"),
    path("draws/<int:pk>/record.json", v.draw_record, name="record"),
]
