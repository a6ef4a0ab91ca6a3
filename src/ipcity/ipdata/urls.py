from django.urls import path

from ipcity.ipdata import views

app_name = "ipdata"
urlpatterns = [
    path("", views.index, name="index"),
    path("import/", views.start_import, name="import"),
    path("batches/<int:pk>/", views.batch_detail, name="batch"),
    path("batches/<int:pk>/errors.xlsx", views.batch_errors, name="batch_errors"),
    path("templates/<str:kind>.xlsx", views.template, name="template"),
    path("patents/", views.patent_list, name="patents"),
    path("patents/<str:number>/", views.patent_detail, name="patent"),
    path("registers/<str:kind>/", views.register_list, name="register"),
]
