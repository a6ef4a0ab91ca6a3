"""Admin: credit data changes through its pages and actions (audited, with their checks: approval chain, waiting
periods); the admin lists and shows it through the scope. The rules (criteria, chain, periods, points, thresholds)
are edited under 业务规则 (core.Rule)."""
from django.contrib import admin

from ipcity.core.admin import AuditedModelAdmin, ReadOnlyAdminMixin
from ipcity.credit.models import CollectionRun, CreditRecord, ListingStep, RepairApplication, SeriousListing


@admin.register(CreditRecord)
class CreditRecordAdmin(ReadOnlyAdminMixin, AuditedModelAdmin):
    list_display = ("kind", "subject", "document_number", "occurred_on", "effective_on", "status", "is_public",
                    "is_demo")
    list_filter = ("kind", "status", "is_public")
    search_fields = ("document_number", "subject__name")
    exclude = ("person_name", "person_id_number", "person_key")
    redact_fields = frozenset({"person_name", "person_id_number", "person_key"})


class ListingStepInline(admin.TabularInline):
    model = ListingStep
    extra = 0
    can_delete = False
    readonly_fields = ("order", "label", "roles", "decided_by", "decided_at", "approved", "opinion")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(SeriousListing)
class SeriousListingAdmin(ReadOnlyAdminMixin, AuditedModelAdmin):
    list_display = ("subject", "status", "listed_from", "listed_until", "ended_on", "is_demo")
    list_filter = ("status",)
    inlines = [ListingStepInline]


@admin.register(RepairApplication)
class RepairApplicationAdmin(ReadOnlyAdminMixin, AuditedModelAdmin):
    list_display = ("subject", "kind", "status", "submitted_at", "decided_at", "is_demo")
    list_filter = ("kind", "status")


@admin.register(CollectionRun)
class CollectionRunAdmin(ReadOnlyAdminMixin, AuditedModelAdmin):
    list_display = ("at", "trigger", "as_of", "created", "revoked")
