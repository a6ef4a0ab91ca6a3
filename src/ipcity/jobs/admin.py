from django.contrib import admin

from ipcity.core.admin import AuditedModelAdmin
from ipcity.jobs.models import Job


@admin.register(Job)
class JobAdmin(AuditedModelAdmin):
    list_display = ("title", "kind", "status", "progress_done", "progress_total", "created_by", "created_at")
    list_filter = ("status", "kind")
    readonly_fields = [f.name for f in Job._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
