from django.contrib import admin

from ipcity.core.admin import AuditedModelAdmin
from ipcity.regions.models import Population, Region


@admin.register(Region)
class RegionAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name")
    raw_id_fields = ("parent",)


@admin.register(Population)
class PopulationAdmin(AuditedModelAdmin):
    list_display = ("region", "year", "kind", "value", "source")
    list_filter = ("kind", "year")
    search_fields = ("region__code", "region__name")
    raw_id_fields = ("region",)
