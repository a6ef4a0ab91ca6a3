from django.contrib import admin

from ipcity.core.admin import AuditedModelAdmin
from ipcity.orgs.models import Contact, Organisation


@admin.register(Organisation)
class OrganisationAdmin(AuditedModelAdmin):
    list_display = ("name", "kind", "region", "uscc", "in_leading_group", "is_active", "is_demo")
    list_filter = ("kind", "in_leading_group", "is_active", "is_demo")
    search_fields = ("name", "short_name", "uscc")
    raw_id_fields = ("region", "parent")
    list_select_related = ("region",)


@admin.register(Contact)
class ContactAdmin(AuditedModelAdmin):
    """Contacts hold personal data: the admin lists them without the sensitive fields."""

    list_display = ("name", "organisation", "position", "is_demo")
    search_fields = ("name",)
    raw_id_fields = ("organisation",)
    exclude = ("phone", "id_number", "address")
    redact_fields = frozenset({"phone", "id_number", "address", "phone_digest", "id_number_digest"})
