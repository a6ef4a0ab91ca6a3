from django.urls import path

from ipcity.protection import views

app_name = "protection"
urlpatterns = [
    path("", views.matter_list, name="list"),
    path("matters/<int:pk>/", views.matter_detail, name="detail"),
    path("matters/<int:pk>/decide/", views.decide_complaint, name="decide"),
    path("matters/<int:pk>/close/", views.close, name="close"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
]
