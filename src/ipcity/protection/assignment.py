"""Who handles a matter: the office (a section of the city office or a district office) and the person in it.

Registration routes every matter to an office; staff of that office, or of an office above it, hand it to a section
or a district inside their own jurisdiction and name the person who handles it (承办人). Handing a matter to an office
outside one's jurisdiction is a referral (线索移送), not an assignment."""
from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from ipcity.accounts.roles import Role
from ipcity.core.actions import action, record
from ipcity.orgs.models import Organisation
from ipcity.orgs.queries import jurisdiction_q
from ipcity.protection.actions import event
from ipcity.protection.models import Matter

HANDLING_OFFICE_KINDS = (Organisation.Kind.CITY_OFFICE, Organisation.Kind.CITY_SECTION,
                         Organisation.Kind.DISTRICT_OFFICE)
# The roles that hold protection.change_matter (accounts.roles): leaders read, they do not handle.
HANDLER_ROLES = (Role.CITY_STAFF, Role.DISTRICT_STAFF, Role.ENFORCEMENT_OFFICER)


def assignable_offices(user):
    """The offices `user` may hand a matter to: handling offices inside their jurisdiction."""
    return (Organisation.objects.filter(kind__in=HANDLING_OFFICE_KINDS, is_active=True)
            .filter(jurisdiction_q(user)).order_by("region__code", "kind", "pk"))


def assignable_people(offices):
    """The active handlers of these offices."""
    return (get_user_model().objects.filter(organisation__in=offices, role__in=HANDLER_ROLES, is_active=True)
            .select_related("organisation").order_by("organisation__region__code", "organisation_id", "pk"))


@action
def assign_matter(matter: Matter, *, acting_user, office: Organisation, assignee=None, note: str = "") -> Matter:
    """Hand `matter` to `office` (inside the acting user's jurisdiction) and, optionally, to a person of it. The
    deadlines run on: a matter's clock does not restart because it changes hands."""
    if not matter.is_open:
        raise ValidationError("该件已经办结，不能再交办")
    if not assignable_offices(acting_user).filter(pk=office.pk).exists():
        raise ValidationError({"office": "只能交办给本辖区内的科室或县区知识产权管理部门；辖区外的请用线索移送"})
    if assignee is not None and not assignable_people([office]).filter(pk=assignee.pk).exists():
        raise ValidationError({"assignee": "承办人须是该单位在岗的工作人员或执法人员"})
    before = {"office": matter.assigned_org_id, "assignee": matter.assignee_id}
    if before == {"office": office.pk, "assignee": assignee.pk if assignee else None}:
        raise ValidationError("承办单位和承办人没有变化")
    matter.assigned_org, matter.assignee = office, assignee
    matter.save(update_fields=["assigned_org", "assignee"])
    who = f"，承办人 {assignee}" if assignee else ""
    # Internal: the submitter's status page says who handles their matter only at office level (it already did).
    event(matter, "assigned", f"交由{office.name}办理{who}。{note}".strip(), acting_user=acting_user, public=False)
    record("protection.assign", acting_user=acting_user, obj=matter,
           changes={"before": before, "office": office.pk, "assignee": assignee.pk if assignee else None})
    return matter
