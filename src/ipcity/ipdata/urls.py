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
    path("merges/", views.merge_list, name="merges"),
    path("merges/link/", views.merge_link, name="merge_link"),
    path("merges/<int:pk>/<str:verb>/", views.merge_review, name="merge_review"),
    path("mappings/", views.mapping_list, name="mappings"),
    path("mappings/new/", views.mapping_edit, name="mapping_create"),
    path("mappings/<int:pk>/", views.mapping_edit, name="mapping_edit"),
    path("mappings/<int:pk>/delete/", views.mapping_delete, name="mapping_delete"),
]
