from django.contrib import admin

from ipcity.core.admin import AuditedModelAdmin, ReadOnlyAdminMixin
from ipcity.protection.clients import revoke_intake_client
from ipcity.protection.models import DeadlineRule, IntakeClient


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(AuditedModelAdmin):
    """A jurisdiction's own limits. A deadline keeps the limit it was started under (the rule in force when the
    complaint arrived); a change applies to deadlines started afterwards."""

    list_display = ("step", "region", "amount", "unit", "extension", "source", "updated_at")
    list_filter = ("step", "unit")


@admin.register(IntakeClient)
class IntakeClientAdmin(ReadOnlyAdminMixin, AuditedModelAdmin):
    """Tokens are issued with `ipcity intake-client` (the secret is shown once); here they are listed and revoked."""

    list_display = ("name", "organisation", "kind", "prefix", "created_at", "revoked_at")
    actions = ["revoke"]

    @admin.action(description="吊销所选对接令牌", permissions=["view"])
    def revoke(self, request, queryset):
        for client in queryset.filter(revoked_at__isnull=True):
            revoke_intake_client(client, acting_user=request.user)
