"""Who may see what of protection work: one scope function per model.

An office sees the matters assigned to an organisation in its jurisdiction (the city office the whole city, a
district office its district) and its cases; a member department only the matters referred to it; a submitter's
enterprise or agency the submissions its users handed in, and of their history only the steps marked public; the
respondent's side never sees a submission through its being named. The public sees published disclosures only."""
from __future__ import annotations

from django.db.models import Q

from ipcity.accounts.roles import GOVERNMENT_ROLES, OFFICE_ROLES, Role
from ipcity.core import scoping
from ipcity.orgs.queries import jurisdiction_q
from ipcity.protection.models import (
    Adjudication,
    AssistanceAssignment,
    AssistanceRequest,
    Case,
    CaseOfficer,
    CaseRecord,
    DeadlineRule,
    Disclosure,
    DuplicateLink,
    EnforcementCredential,
    IntakeClient,
    LegalReview,
    Matter,
    MatterEvent,
    Mediation,
    PenaltyDecision,
    Referral,
    Submission,
    SubmissionAttachment,
    SubmissionRight,
)

SUBMITTER_ROLES = frozenset({Role.ENTERPRISE_USER, Role.AGENCY_USER})


def _submitter_q(user, prefix: str = "") -> Q:
    """Submissions handed in by the user, or by a colleague of the same enterprise or agency."""
    if user.organisation_id:
        return Q(**{f"{prefix}submitter_user__organisation_id": user.organisation_id})
    return Q(**{f"{prefix}submitter_user": user})


@scoping.register(Matter)
def scope_matters(qs, user):
    if not user.is_authenticated:
        return qs.none()
    if user.role in OFFICE_ROLES:
        return qs.filter(jurisdiction_q(user, "assigned_org__region"))
    if user.role in SUBMITTER_ROLES:
        return qs.filter(_submitter_q(user, "submission__"))
    if user.role == Role.MEMBER_LIAISON and user.organisation_id:
        # A member department sees only what was referred to it.
        return qs.filter(pk__in=Referral.objects.filter(to_org_id=user.organisation_id).values("matter_id"))
    return qs.none()


@scoping.register(Submission)
def scope_submissions(qs, user):
    if not user.is_authenticated:
        return qs.none()
    if user.role in OFFICE_ROLES:
        return qs.filter(pk__in=scope_matters(Matter.objects.all(), user).values("submission_id"))
    if user.role in SUBMITTER_ROLES:
        return qs.filter(_submitter_q(user))
    if user.role == Role.MEMBER_LIAISON:
        return qs.filter(pk__in=scope_matters(Matter.objects.all(), user).values("submission_id"))
    return qs.none()


def _through_submission(qs, user):
    return qs.filter(submission__in=scope_submissions(Submission.objects.all(), user))


scoping.register(SubmissionRight)(_through_submission)
scoping.register(SubmissionAttachment)(_through_submission)


@scoping.register(MatterEvent)
def scope_events(qs, user):
    qs = _through_submission(qs, user)
    if user.is_authenticated and user.role in SUBMITTER_ROLES:
        return qs.filter(public=True)
    if user.is_authenticated and user.role == Role.MEMBER_LIAISON:
        return qs.filter(matter__in=scope_matters(Matter.objects.all(), user))
    return qs


@scoping.register(DeadlineRule)
def scope_deadline_rules(qs, user):
    if not user.is_authenticated:
        return qs.none()
    if user.role == Role.SYSADMIN or user.role in GOVERNMENT_ROLES:
        return qs
    return qs.none()


@scoping.register(IntakeClient)
def scope_intake_clients(qs, user):
    if not user.is_authenticated:
        return qs.none()
    if user.role == Role.SYSADMIN:
        return qs
    if user.role in (Role.CITY_LEADER, Role.CITY_STAFF):
        return qs.filter(jurisdiction_q(user, "organisation__region"))
    return qs.none()


@scoping.register(Mediation)
def scope_mediations(qs, user):
    return qs.filter(matter__in=scope_matters(Matter.objects.all(), user))


@scoping.register(Referral)
def scope_referrals(qs, user):
    if not user.is_authenticated:
        return qs.none()
    if user.role == Role.MEMBER_LIAISON:
        return qs.filter(to_org_id=user.organisation_id)
    if user.role in OFFICE_ROLES:
        return qs.filter(matter__in=scope_matters(Matter.objects.all(), user))
    return qs.none()


@scoping.register(Case)
def scope_cases(qs, user):
    """Cases belong to the office that handles them; nobody outside the offices sees a case file."""
    if not user.is_authenticated or user.role not in OFFICE_ROLES:
        return qs.none()
    return qs.filter(jurisdiction_q(user, "organisation__region"))


def _through_case(qs, user):
    return qs.filter(case__in=scope_cases(Case.objects.all(), user))


scoping.register(CaseOfficer)(_through_case)
scoping.register(CaseRecord)(_through_case)
scoping.register(LegalReview)(_through_case)
scoping.register(PenaltyDecision)(_through_case)


@scoping.register(Disclosure)
def scope_disclosures(qs, user):
    """Published decisions (masked) are public; drafts and withdrawn ones only to the office."""
    from ipcity.protection.cases import published_disclosures

    public = qs.filter(pk__in=published_disclosures().values("pk"))
    if not user.is_authenticated or user.role not in OFFICE_ROLES:
        return public
    return qs.filter(Q(pk__in=public.values("pk")) | Q(decision__case__in=scope_cases(Case.objects.all(), user)))


@scoping.register(EnforcementCredential)
def scope_credentials(qs, user):
    if not user.is_authenticated:
        return qs.none()
    if user.role == Role.SYSADMIN:
        return qs
    if user.role in OFFICE_ROLES:
        return qs.filter(Q(user=user) | jurisdiction_q(user, "user__organisation__region"))
    return qs.none()


@scoping.register(AssistanceRequest)
@scoping.register(AssistanceAssignment)
def scope_assistance(qs, user):
    """Requests and officer assignments alike (both have an enterprise and an officer): the enterprise's own; the
    office of its jurisdiction; the officer named."""
    if not user.is_authenticated:
        return qs.none()
    mine = Q(officer=user)
    if user.role in OFFICE_ROLES:
        return qs.filter(mine | jurisdiction_q(user, "enterprise__region"))
    if user.role == Role.ENTERPRISE_USER and user.organisation_id:
        return qs.filter(mine | Q(enterprise_id=user.organisation_id))
    return qs.filter(mine)


@scoping.register(DuplicateLink)
def scope_duplicate_links(qs, user):
    """Seen by whoever may see the newer matter of the pair (the office handling it); never by submitters."""
    if not user.is_authenticated or user.role not in OFFICE_ROLES:
        return qs.none()
    return qs.filter(matter__in=scope_matters(Matter.objects.all(), user))


@scoping.register(Adjudication)
def scope_adjudications(qs, user):
    if not user.is_authenticated or user.role not in OFFICE_ROLES:
        return qs.none()
    return qs.filter(matter__in=scope_matters(Matter.objects.all(), user))
