from django.contrib import admin

from ipcity.analytics.models import SeiTable
from ipcity.core.admin import AuditedModelAdmin, ReadOnlyAdminMixin


@admin.register(SeiTable)
class SeiTableAdmin(ReadOnlyAdminMixin, AuditedModelAdmin):
    """Read-only: versions are loaded with `ipcity analytics load-sei DIR` (audited), never edited."""

    list_display = ("name", "rule_count", "code_count", "is_active", "loaded_at", "loaded_by")
    exclude = ("rules", "mapping")
    readonly_fields = ("name", "rule_count", "code_count", "is_active", "rules_sha256", "mapping_sha256",
                       "loaded_at", "loaded_by", "is_demo")
