from django.urls import path

from ipcity.credit import views_public

app_name = "credit_public"
urlpatterns = [
    path("", views_public.query, name="query"),
]
