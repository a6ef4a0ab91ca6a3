"""Data hub actions: reviewing the applicant → enterprise merge list, and saved column mappings for generic tables.

Every function here is an @action: keyword-only acting_user, one transaction, an audit row inside it. Applicant
names are public bibliographic data, so they may appear in the audit changes.
"""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone

from ipcity.core.actions import action, model_changes, record
from ipcity.ipdata.enterprises import MERGED_ROLES, NAME_MAX
from ipcity.ipdata.models import ColumnMapping, EnterpriseMerge, PatentParty

Status = EnterpriseMerge.Status


def _parties(name: str):
    return PatentParty.objects.filter(name=name, role__in=MERGED_ROLES)


def _review(merge: EnterpriseMerge, status: str, acting_user) -> str:
    old = merge.status
    merge.status = status
    merge.reviewed_by = acting_user if getattr(acting_user, "pk", None) else None
    merge.reviewed_at = timezone.now()
    merge.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    return old


def _require(merge: EnterpriseMerge, allowed: set[str], message: str) -> None:
    if merge.status not in allowed:
        raise ValidationError(message, code="invalid_state")


@action
def confirm_merge(merge: EnterpriseMerge, *, acting_user) -> EnterpriseMerge:
    """Staff agree that this name is the enterprise; parties carrying it that are not linked yet are linked."""
    _require(merge, {Status.AUTOMATIC}, "只能确认待审核的合并")
    linked = _parties(merge.name).filter(organisation=None).update(organisation=merge.organisation)
    old = _review(merge, Status.CONFIRMED, acting_user)
    record("ipdata.merge_confirm", acting_user=acting_user, obj=merge,
           changes={"name": merge.name, "organisation": merge.organisation_id, "status": [old, merge.status],
                    "parties_linked": linked})
    return merge


@action
def reject_merge(merge: EnterpriseMerge, *, acting_user) -> EnterpriseMerge:
    """Undo a merge: the parties carrying this name lose the link, and later imports leave the name unlinked."""
    _require(merge, {Status.AUTOMATIC, Status.CONFIRMED}, "该合并已被拒绝")
    unlinked = _parties(merge.name).filter(organisation=merge.organisation).update(organisation=None)
    old = _review(merge, Status.REJECTED, acting_user)
    record("ipdata.merge_reject", acting_user=acting_user, obj=merge,
           changes={"name": merge.name, "organisation": merge.organisation_id, "status": [old, merge.status],
                    "parties_unlinked": unlinked})
    return merge


@action
def restore_merge(merge: EnterpriseMerge, *, acting_user) -> EnterpriseMerge:
    """Undo a rejection: the name is merged into its enterprise again (confirmed, so imports keep it linked)."""
    _require(merge, {Status.REJECTED}, "只能恢复已拒绝的合并")
    linked = _parties(merge.name).filter(organisation=None).update(organisation=merge.organisation)
    old = _review(merge, Status.CONFIRMED, acting_user)
    record("ipdata.merge_restore", acting_user=acting_user, obj=merge,
           changes={"name": merge.name, "organisation": merge.organisation_id, "status": [old, merge.status],
                    "parties_linked": linked})
    return merge


@action
def link_name(name: str, organisation, *, acting_user) -> EnterpriseMerge:
    """Staff link an applicant name to an enterprise by hand: every applicant/patentee carrying the name is linked
    to it, and later imports link the name the same way (a confirmed, manual merge)."""
    from ipcity.orgs.models import Organisation

    name = (name or "").strip()[:NAME_MAX]
    if not name:
        raise ValidationError("请填写申请人名称", code="required")
    if organisation.kind != Organisation.Kind.ENTERPRISE:
        raise ValidationError("只能关联到企业", code="not_enterprise")
    if not _parties(name).exists():
        raise ValidationError(f"没有名称为「{name}」的申请人或专利权人", code="unknown_name")
    merge = EnterpriseMerge.objects.select_for_update().filter(name=name).first()
    before = {"organisation": merge.organisation_id, "method": merge.method, "status": merge.status} if merge else {}
    if merge is None:
        merge = EnterpriseMerge(name=name)
    merge.organisation, merge.method = organisation, EnterpriseMerge.Method.MANUAL
    merge.status = Status.CONFIRMED
    merge.reviewed_by = acting_user if getattr(acting_user, "pk", None) else None
    merge.reviewed_at = timezone.now()
    merge.save()
    linked = _parties(name).exclude(organisation=organisation).update(organisation=organisation)
    record("ipdata.merge_link", acting_user=acting_user, obj=merge,
           changes={"name": name, **model_changes(before, {"organisation": organisation.pk, "method": merge.method,
                                                           "status": merge.status}),
                    "parties_linked": linked})
    return merge


# --- column mappings ---------------------------------------------------------------------------------------------


def _clean_mapping(mapping: ColumnMapping) -> None:
    from ipcity.ipdata.readers.generic import validate_mapping
    from ipcity.ipdata.readers.record import ReaderError

    try:
        mapping.mapping = validate_mapping(None, mapping.mapping)
    except ReaderError as exc:
        raise ValidationError(exc.detail, code="invalid_mapping") from None
    mapping.full_clean()


@action
def create_column_mapping(*, acting_user, name: str, mapping: dict, note: str = "") -> ColumnMapping:
    obj = ColumnMapping(name=name, mapping=mapping, note=note)
    _clean_mapping(obj)
    obj.save()
    record("ipdata.create_column_mapping", acting_user=acting_user, obj=obj,
           changes={"name": obj.name, "mapping": obj.mapping})
    return obj


@action
def update_column_mapping(obj: ColumnMapping, *, acting_user, name: str, mapping: dict,
                          note: str = "") -> ColumnMapping:
    before = {"name": obj.name, "mapping": obj.mapping, "note": obj.note}
    obj.name, obj.mapping, obj.note = name, mapping, note
    _clean_mapping(obj)
    obj.save()
    record("ipdata.update_column_mapping", acting_user=acting_user, obj=obj,
           changes=model_changes(before, {"name": obj.name, "mapping": obj.mapping, "note": obj.note}))
    return obj


@action
def delete_column_mapping(obj: ColumnMapping, *, acting_user) -> None:
    """Batches imported with the mapping keep their own copy of it (ImportBatch.mapping)."""
    pk, name, mapping = obj.pk, obj.name, obj.mapping
    obj.delete()
    record("ipdata.delete_column_mapping", acting_user=acting_user,
           changes={"object_type": ColumnMapping._meta.label, "object_id": str(pk), "name": name,
                    "mapping": mapping})
