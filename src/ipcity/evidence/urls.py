from django.urls import path

from ipcity.evidence import views

app_name = "evidence"
urlpatterns = [
    path("", views.index, name="index"),
    path("checkpoint/", views.make_checkpoint, name="checkpoint"),
    path("<int:number>/", views.entry_detail, name="entry"),
    path("<int:number>/package/", views.entry_package, name="package"),
]
