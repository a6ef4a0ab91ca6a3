from django.contrib import admin

from ipcity.core.admin import AuditedModelAdmin
from ipcity.workdays import actions
from ipcity.workdays.models import CalendarDay, CalendarYear, Deadline


@admin.register(CalendarDay)
class CalendarDayAdmin(AuditedModelAdmin):
    """Edits go through set_calendar_day, which also recomputes every open deadline."""

    list_display = ("date", "is_workday", "name", "source")
    list_filter = ("is_workday", "source")
    date_hierarchy = "date"
    search_fields = ("name",)

    def save_model(self, request, obj, form, change):
        old_date = form.initial.get("date")
        if change and old_date and old_date != obj.date:
            # The row is keyed by its date: moving it means the old date goes back to the weekend rule.
            actions.set_calendar_day(old_date, None, acting_user=request.user)
        actions.set_calendar_day(obj.date, obj.is_workday, acting_user=request.user, name=obj.name,
                                 source=obj.source or "管理员维护")
        obj.pk = CalendarDay.objects.get(date=obj.date).pk

    def delete_model(self, request, obj):
        actions.set_calendar_day(obj.date, None, acting_user=request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            actions.set_calendar_day(obj.date, None, acting_user=request.user)


@admin.register(CalendarYear)
class CalendarYearAdmin(AuditedModelAdmin):
    list_display = ("year", "published", "source", "updated_at")

    def save_model(self, request, obj, form, change):
        actions.set_year_published(obj.year, obj.published, acting_user=request.user, source=obj.source)


@admin.register(Deadline)
class DeadlineAdmin(AuditedModelAdmin):
    list_display = ("title", "amount", "unit", "start_at", "due_at", "provisional", "status")
    list_filter = ("status", "unit", "provisional")

    def has_add_permission(self, request):
        return False  # deadlines are created by the business modules, through their actions

    def has_change_permission(self, request, obj=None):
        return False
