from django.urls import path

from ipcity.inspections import views as v

app_name = "inspections"
urlpatterns = [
    path("", v.index, name="index"),
    path("plans/new/", v.plan_add, name="plan_add"),
    path("plans/<int:pk>/", v.plan_detail, name="plan"),
    path("plans/<int:pk>/file/", v.plan_file, name="plan_file"),
    path("plans/<int:pk>/batches/", v.batch_add, name="batch_add"),
    path("batches/<int:pk>/freeze/", v.batch_freeze, name="batch_freeze"),
    path("items/", v.items, name="items"),
    path("items/new/", v.item_add, name="item_add"),
    path("items/<int:pk>/active/", v.item_active, name="item_active"),
    path("pools/", v.pools, name="pools"),
    path("pools/sync/", v.pool_sync, name="pool_sync"),
    path("pools/objects/", v.object_add, name="object_add"),
    path("pools/objects/<int:pk>/active/", v.object_active, name="object_active"),
    path("pools/conflicts/", v.conflict_add, name="conflict_add"),
    path("pools/conflicts/<int:pk>/withdraw/", v.conflict_withdraw, name="conflict_withdraw"),
    path("draws/<int:pk>/", v.draw_detail, name="draw"),
    path("draws/<int:pk>/announce/", v.draw_announce, name="draw_announce"),
    path("draws/<int:pk>/redraw/", v.draw_redraw, name="draw_redraw"),
    path("draws/<int:pk>/publish/", v.draw_publish, name="draw_publish"),
    path("assignments/<int:pk>/result/", v.result_entry, name="result"),
]
