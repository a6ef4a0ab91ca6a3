"""Admin base: every save and delete goes through an audited action; the audit log is read-only."""
from __future__ import annotations

from django import forms
from django.contrib import admin
from django.forms.models import model_to_dict

from ipcity.core.actions import action, model_changes, record
from ipcity.core.models import AuditEntry, Rule
from ipcity.core.rules import declared_rules
from ipcity.core.scoping import visible

admin.site.site_header = "知识产权强市一体化平台 · 系统管理"
admin.site.site_title = "ipcity 管理"
admin.site.index_title = "系统管理"


def _plain(obj) -> dict:
    return {k: str(v) if v is not None else None for k, v in model_to_dict(obj).items()}


@action
def admin_save(obj, change: bool, *, acting_user, redact: frozenset = frozenset()):
    before = _plain(type(obj)._default_manager.get(pk=obj.pk)) if change and obj.pk else {}
    obj.save()
    record(f"admin.{'change' if change else 'add'}", acting_user=acting_user, obj=obj,
           changes=model_changes(before, _plain(obj), redact=set(redact)))
    return obj


@action
def admin_delete(obj, *, acting_user):
    label, pk, text = obj._meta.label, obj.pk, str(obj)
    obj.delete()
    record("admin.delete", acting_user=acting_user, changes={"object_type": label, "object_id": str(pk),
                                                            "object": text})


class AuditedModelAdmin(admin.ModelAdmin):
    """Saves and deletes through audited actions; lists through the model's scope function."""

    redact_fields: frozenset = frozenset()

    def get_queryset(self, request):
        return visible(super().get_queryset(request), request.user)

    def save_model(self, request, obj, form, change):
        admin_save(obj, change, acting_user=request.user, redact=self.redact_fields)

    def delete_model(self, request, obj):
        admin_delete(obj, acting_user=request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            admin_delete(obj, acting_user=request.user)


class ReadOnlyAdminMixin:
    """For records that change only through their own pages and actions (or never): the admin lists and shows them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("seq", "at", "actor_label", "actor_role", "action", "object_repr", "outcome", "ip")
    list_filter = ("action", "outcome", "actor_role")
    search_fields = ("actor_label", "action", "object_repr", "object_id")
    date_hierarchy = "at"

    def get_queryset(self, request):
        return visible(super().get_queryset(request), request.user)

    def get_actions(self, request):
        return {}


class RuleForm(forms.ModelForm):
    class Meta:
        model = Rule
        fields = ["key", "value", "note"]

    def clean(self):
        cleaned = super().clean()
        spec = declared_rules().get(cleaned.get("key", ""))
        if spec is None:
            known = "、".join(sorted(declared_rules()))
            raise forms.ValidationError(f"未知的规则。可配置的规则有：{known}")
        if "value" in cleaned:
            spec.validate(cleaned["value"])  # a ValidationError here becomes a form error, not a 500
        return cleaned


@admin.register(Rule)
class RuleAdmin(AuditedModelAdmin):
    form = RuleForm
    list_display = ("key", "value", "note", "updated_at")
    search_fields = ("key", "note")
