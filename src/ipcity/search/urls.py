from django.urls import path

from ipcity.search import views

app_name = "search"
urlpatterns = [
    path("", views.search, name="search"),
    path("save/", views.save, name="save"),
    path("saved/", views.saved_list, name="saved"),
    path("saved/<int:pk>/delete/", views.delete_saved, name="delete_saved"),
    path("export/", views.export, name="export"),
    path("exports/<uuid:pk>/", views.download, name="download"),
]
