from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from ipcity.accounts.actions import save_user_from_admin
from ipcity.accounts.models import APIToken, User
from ipcity.core.admin import AuditedModelAdmin


@admin.register(User)
class UserAdmin(AuditedModelAdmin, DjangoUserAdmin):
    list_display = ("username", "display_name", "role", "organisation", "is_active", "is_demo", "last_login")
    list_filter = ("role", "is_active", "is_demo")
    search_fields = ("username", "display_name")
    raw_id_fields = ("organisation",)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("身份", {"fields": ("display_name", "role", "organisation", "is_active")}),
        ("时间", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "role", "organisation", "password1", "password2")}),
    )
    readonly_fields = ("last_login", "date_joined")

    def save_model(self, request, obj, form, change):
        save_user_from_admin(obj, change, acting_user=request.user)


@admin.register(APIToken)
class APITokenAdmin(AuditedModelAdmin):
    list_display = ("name", "user", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at")
    readonly_fields = ("user", "name", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at")

    def has_add_permission(self, request):
        return False  # created by the owner (shown once) or `ipcity token`
