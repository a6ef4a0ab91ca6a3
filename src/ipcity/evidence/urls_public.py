from django.urls import path

from ipcity.evidence import views

app_name = "evidence_public"
urlpatterns = [
    path("", views.public_log, name="log"),
    path("checkpoints/<int:pk>.txt", views.public_checkpoint, name="checkpoint"),
]
