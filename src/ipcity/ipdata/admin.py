from django.contrib import admin

from ipcity.core.admin import AuditedModelAdmin, ReadOnlyAdminMixin
from ipcity.ipdata.models import (ColumnMapping, CopyrightRegistration, EnterpriseFlag, EnterpriseMerge,
                                  GeographicalIndication, ImportBatch, LayoutDesign, Patent, PatentAward, PatentPledge,
                                  PlantVariety, Trademark)


@admin.register(Patent)
class PatentAdmin(AuditedModelAdmin):
    list_display = ("application_number", "title", "patent_type", "application_date", "legal_status", "region")
    list_filter = ("patent_type", "legal_status", "office")
    search_fields = ("application_number", "title", "first_applicant")
    raw_id_fields = ("region",)

    def has_change_permission(self, request, obj=None):
        return False  # patents change through imports, which keep the history


@admin.register(ImportBatch)
class ImportBatchAdmin(AuditedModelAdmin):
    list_display = ("file", "kind", "source_format", "status", "read", "created", "updated", "unchanged", "rejected",
                    "started_at")
    list_filter = ("kind", "status")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ColumnMapping)
class ColumnMappingAdmin(AuditedModelAdmin):
    list_display = ("name", "note", "updated_at")


@admin.register(EnterpriseMerge)
class EnterpriseMergeAdmin(ReadOnlyAdminMixin, AuditedModelAdmin):
    """Read-only here: the merge list is reviewed on its page (数据中心 › 申请人合并审核), through audited actions
    that also link and unlink the parties."""

    list_display = ("name", "organisation", "method", "status", "reviewed_by", "reviewed_at")
    list_filter = ("status", "method")
    search_fields = ("name", "organisation__name")


for model, fields in [(Trademark, ("registration_number", "name", "owner_name", "status", "registration_date")),
                      (GeographicalIndication, ("name", "kind", "approval_number", "region")),
                      (CopyrightRegistration, ("registration_number", "title", "kind", "owner_name")),
                      (PlantVariety, ("right_number", "name", "owner_name", "grant_date")),
                      (LayoutDesign, ("registration_number", "name", "owner_name")),
                      (EnterpriseFlag, ("organisation", "flag", "valid_from", "valid_to")),
                      (PatentPledge, ("registration_number", "application_number", "pledgor_name", "pledgee_name",
                                      "amount", "registered_on", "released_on")),
                      (PatentAward, ("application_number", "award", "year", "project", "holder_name"))]:
    admin.site.register(model, type(f"{model.__name__}Admin", (AuditedModelAdmin,), {
        "list_display": fields, "search_fields": [f for f in fields if f in (
            "name", "title", "owner_name", "registration_number", "application_number", "pledgor_name")],
        "raw_id_fields": [f for f in ("owner", "organisation", "region", "patent", "pledgor")
                          if f in {x.name for x in model._meta.fields}],
    }))
