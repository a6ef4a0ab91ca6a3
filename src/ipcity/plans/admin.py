from django.contrib import admin

from ipcity.core.admin import AuditedModelAdmin
from ipcity.plans.models import Indicator, Plan, ProgressReport, Task


@admin.register(Plan)
class PlanAdmin(AuditedModelAdmin):
    list_display = ("title", "doc_number", "owner", "period_start", "period_end", "version", "status", "is_demo")
    list_filter = ("status", "cadence", "is_demo")
    search_fields = ("title", "doc_number")
    raw_id_fields = ("owner", "region", "previous")


@admin.register(Task)
class TaskAdmin(AuditedModelAdmin):
    list_display = ("number", "title", "plan", "due_date", "status")
    list_filter = ("status",)
    search_fields = ("title",)
    raw_id_fields = ("plan", "section")


@admin.register(Indicator)
class IndicatorAdmin(AuditedModelAdmin):
    list_display = ("name", "plan", "unit", "baseline_value", "target_value", "target_kind", "computed_key")
    raw_id_fields = ("plan",)


@admin.register(ProgressReport)
class ProgressReportAdmin(AuditedModelAdmin):
    list_display = ("task", "unit", "period", "kind", "status", "submitted_at")
    list_filter = ("status", "kind")
    raw_id_fields = ("task", "unit")

    def has_change_permission(self, request, obj=None):
        return False  # reviewed on the task page, through the review action
