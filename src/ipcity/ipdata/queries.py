"""Patents are public bibliographic data: every signed-in user sees them, and the public search shows their
bibliographic fields. Import batches, rejected rows and raw source rows are the offices' working data."""
from __future__ import annotations

from django.db.models import Q

from ipcity.accounts.roles import OFFICE_ROLES, Role
from ipcity.core import scoping
from ipcity.ipdata.models import (
    ColumnMapping,
    CopyrightRegistration,
    EnterpriseFlag,
    EnterpriseMerge,
    GeographicalIndication,
    ImportBatch,
    LayoutDesign,
    Patent,
    PatentAward,
    PatentParty,
    PatentPledge,
    PatentRevision,
    PlantVariety,
    Publication,
    RejectedRow,
    SourceRow,
    Trademark,
)


@scoping.register(Patent)
def scope_patents(qs, user):
    return qs


@scoping.register(Publication)
def scope_publications(qs, user):
    return qs


@scoping.register(PatentParty)
def scope_parties(qs, user):
    return qs


def _office(user) -> bool:
    return user.is_authenticated and (user.role in OFFICE_ROLES or user.role in {Role.SYSADMIN, Role.AUDITOR}
                                      or user.is_superuser)


# Batch kinds whose rows carry personal data (the protection module's complaints and reports add theirs): only the
# importing organisation's office users see those batches, their rejected rows and their raw rows.
PERSONAL_DATA_KINDS: set[str] = set()


@scoping.register(ImportBatch)
def scope_batches(qs, user):
    if not _office(user):
        return qs.none()
    if not PERSONAL_DATA_KINDS:
        return qs
    own = Q(created_by__organisation_id=user.organisation_id) if user.organisation_id else Q(pk__in=[])
    return qs.filter(~Q(kind__in=PERSONAL_DATA_KINDS) | own)


@scoping.register(RejectedRow)
def scope_rejected(qs, user):
    return qs.filter(batch__in=scope_batches(ImportBatch.objects.all(), user)) if _office(user) else qs.none()


@scoping.register(SourceRow)
def scope_source_rows(qs, user):
    return qs.filter(batch__in=scope_batches(ImportBatch.objects.all(), user)) if _office(user) else qs.none()


@scoping.register(PatentRevision)
def scope_revisions(qs, user):
    return qs if _office(user) else qs.none()


# Registers are public registrations (trademarks, GIs, copyright, plant varieties, layout designs, the published
# patent and science awards): readable by everyone signed in and by the public portal, like patents.
for _model in (Trademark, GeographicalIndication, CopyrightRegistration, PlantVariety, LayoutDesign, PatentAward):
    scoping.register(_model)(lambda qs, user: qs)


@scoping.register(EnterpriseFlag)
def scope_flags(qs, user):
    """Recognitions follow the enterprise: whoever may see the organisation sees its flags."""
    from ipcity.orgs.models import Organisation

    return qs.filter(organisation__in=scoping.visible(Organisation, user))


@scoping.register(ColumnMapping)
def scope_mappings(qs, user):
    return qs if _office(user) else qs.none()


# Reviewing the applicant → enterprise merge list is the data-import staff's work (市局业务人员, 县区工作人员): the
# people who bring patents in keep their applicants' links right. Which rows: the enterprises they may see.
MERGE_REVIEW_PERMISSION = "ipdata.change_enterprisemerge"


def can_review_merges(user) -> bool:
    return user.is_authenticated and user.has_perm(MERGE_REVIEW_PERMISSION)


@scoping.register(EnterpriseMerge)
def scope_merges(qs, user):
    """Office working data, following the enterprise: an office sees the merges into enterprises it may see."""
    from ipcity.orgs.models import Organisation

    if not _office(user):
        return qs.none()
    return qs.filter(organisation__in=scoping.visible(Organisation, user))


def merge_patent_counts(names) -> dict[str, int]:
    """Patents carrying each applicant/patentee name (one grouped query)."""
    from django.db.models import Count

    from ipcity.ipdata.enterprises import MERGED_ROLES

    rows = (PatentParty.objects.filter(name__in=list(names), role__in=MERGED_ROLES).order_by().values("name")
            .annotate(n=Count("patent_id", distinct=True)).values_list("name", "n"))
    return dict(rows)


def unmatched_applicants(q: str = "", limit: int = 30):
    """Applicant/patentee names linked to no enterprise, the most frequent first: candidates for a manual link."""
    from django.db.models import Count

    from ipcity.ipdata.enterprises import MERGED_ROLES

    qs = PatentParty.objects.filter(role__in=MERGED_ROLES, organisation__isnull=True)
    if q:
        qs = qs.filter(name__icontains=q)
    rows = qs.order_by().values("name").annotate(n=Count("patent_id", distinct=True)).order_by("-n", "name")
    return list(rows[:limit])


@scoping.register(PatentPledge)
def scope_pledges(qs, user):
    """Pledge amounts are financing data: the offices see them (a district office its own region's, and those not
    attributed to a region yet), an enterprise user the pledges its enterprise made."""
    from django.db.models import Q

    from ipcity.orgs.queries import jurisdiction_q

    if not user.is_authenticated:
        return qs.none()
    if user.role == Role.ENTERPRISE_USER:
        return qs.filter(pledgor_id=user.organisation_id) if user.organisation_id else qs.none()
    if not _office(user):
        return qs.none()
    if user.role in {Role.SYSADMIN, Role.AUDITOR} or user.is_superuser:
        return qs
    return qs.filter(jurisdiction_q(user) | Q(region=None))
