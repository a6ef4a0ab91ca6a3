"""The platform's roles. Each is a Django group (model permissions) plus a scope (ipcity.*.queries)."""
from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    SYSADMIN = "sysadmin", "系统管理员"
    AUDITOR = "auditor", "审计管理员"
    CITY_LEADER = "city_leader", "市局领导"
    CITY_STAFF = "city_staff", "市局业务人员"
    MEMBER_LIAISON = "member_liaison", "成员单位联络员"
    DISTRICT_STAFF = "district_staff", "县区工作人员"
    ENFORCEMENT_OFFICER = "enforcement_officer", "执法人员"
    ENTERPRISE_USER = "enterprise_user", "企业用户"
    AGENCY_USER = "agency_user", "服务机构用户"
    EXPERT = "expert", "专家"


PUBLIC = "public"  # anonymous visitors (公众); not a stored role
PUBLIC_LABEL = "公众"

# Roles that work for the IP administration and see the jurisdiction of their organisation.
OFFICE_ROLES = frozenset({Role.CITY_LEADER, Role.CITY_STAFF, Role.DISTRICT_STAFF, Role.ENFORCEMENT_OFFICER})
GOVERNMENT_ROLES = OFFICE_ROLES | {Role.MEMBER_LIAISON}

# Model permissions per role (app_label.codename). Scoping decides which rows; these decide which verbs.
# The system administrator manages accounts and configuration but not the audit log (等保 separation of
# duties); the audit administrator reads the audit log and nothing else changes.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.SYSADMIN: [
        "accounts.add_user", "accounts.change_user", "accounts.view_user",
        "accounts.view_apitoken", "accounts.add_apitoken", "accounts.delete_apitoken",
        "orgs.add_organisation", "orgs.change_organisation", "orgs.view_organisation",
        "regions.view_region", "regions.change_region",
        "core.view_rule", "core.add_rule", "core.change_rule", "core.delete_rule",
        "workdays.view_calendarday", "workdays.add_calendarday", "workdays.change_calendarday",
        "workdays.delete_calendarday", "workdays.view_calendaryear", "workdays.add_calendaryear",
        "workdays.change_calendaryear",
        "jobs.view_job",
        # Reference data for the indicators: population figures (also imported from a template by the offices) and
        # the SEI concordance versions (loaded with `ipcity analytics load-sei`, never edited).
        "regions.view_population", "regions.add_population", "regions.change_population",
        "analytics.view_seitable",
    ],
    Role.AUDITOR: ["core.view_auditentry", "accounts.view_user", "jobs.view_job"],
    Role.CITY_LEADER: ["plans.view_plan", "plans.view_task", "plans.view_indicator", "plans.view_indicatorvalue", "plans.view_progressreport",
                       "orgs.view_organisation", "orgs.view_contact", "regions.view_region",
                       "workdays.view_deadline", "workdays.view_calendarday"],
    Role.CITY_STAFF: [
        "plans.view_plan", "plans.view_task", "plans.view_indicator", "plans.view_indicatorvalue", "plans.view_progressreport",
        "plans.view_planimport", "plans.add_planimport", "plans.change_planimport",
        "ipdata.view_importbatch", "ipdata.add_importbatch", "ipdata.view_columnmapping", "ipdata.add_columnmapping",
        "ipdata.change_columnmapping", "ipdata.delete_columnmapping",
        "ipdata.view_enterprisemerge", "ipdata.change_enterprisemerge",
        "plans.change_task", "plans.add_progressreport", "plans.change_progressreport", "plans.add_indicatorvalue",
        "plans.change_indicator",
        "orgs.view_organisation", "orgs.add_organisation", "orgs.change_organisation",
        "orgs.view_contact", "orgs.add_contact", "orgs.change_contact", "orgs.reveal_contact",
        "regions.view_region", "workdays.view_calendarday",
        "workdays.view_deadline", "workdays.add_deadline", "workdays.change_deadline",
    ],
    Role.MEMBER_LIAISON: ["plans.view_plan", "plans.view_task", "plans.view_progressreport",
                          "plans.add_progressreport",
                          "orgs.view_organisation", "regions.view_region", "workdays.view_calendarday",
                          "workdays.view_deadline"],
    Role.DISTRICT_STAFF: [
        "plans.view_plan", "plans.view_task", "plans.view_indicator", "plans.view_indicatorvalue", "plans.view_progressreport",
        "plans.add_progressreport", "plans.add_indicatorvalue",
        "ipdata.view_importbatch", "ipdata.add_importbatch",
        "ipdata.view_enterprisemerge", "ipdata.change_enterprisemerge",
        # A district office imports and runs its own district's plans (e.g. a 强区行动方案).
        "plans.view_planimport", "plans.add_planimport", "plans.change_planimport", "plans.change_task",
        "plans.change_progressreport",
        "orgs.view_organisation", "orgs.add_organisation", "orgs.change_organisation",
        "orgs.view_contact", "orgs.add_contact", "orgs.change_contact", "orgs.reveal_contact",
        "regions.view_region", "workdays.view_calendarday",
        "workdays.view_deadline", "workdays.add_deadline", "workdays.change_deadline",
    ],
    Role.ENFORCEMENT_OFFICER: ["orgs.view_organisation", "orgs.view_contact", "orgs.reveal_contact",
                               "regions.view_region", "workdays.view_calendarday",
                               "workdays.view_deadline", "workdays.change_deadline"],
    Role.ENTERPRISE_USER: ["orgs.view_organisation", "orgs.view_contact", "orgs.change_contact",
                           "regions.view_region"],
    Role.AGENCY_USER: ["orgs.view_organisation", "orgs.view_contact", "regions.view_region"],
    Role.EXPERT: ["orgs.view_organisation", "regions.view_region"],
}

# Exporting a patent result set (public bibliographic data, but up to 100,000 rows per job) is for everyone who
# works with the data; the system and audit administrators do not (separation of duties).
for _role in (Role.CITY_LEADER, Role.CITY_STAFF, Role.MEMBER_LIAISON, Role.DISTRICT_STAFF, Role.ENFORCEMENT_OFFICER,
              Role.ENTERPRISE_USER, Role.AGENCY_USER, Role.EXPERT):
    ROLE_PERMISSIONS[_role].append("search.export_patents")

# The indicator pages: the city office, district offices and the leading group's member departments, each for its
# jurisdiction (member departments sit at the city level).
for _role in (Role.CITY_LEADER, Role.CITY_STAFF, Role.MEMBER_LIAISON, Role.DISTRICT_STAFF):
    ROLE_PERMISSIONS[_role].append("analytics.view_indicators")

# Protection (投诉举报): the offices handle matters in their jurisdiction (leaders read); personal data of submitters
# is revealed (audited) only to those who handle them; the system administrator keeps the deadline rules and the
# platforms' intake tokens; enterprises and agencies see what they submitted.
for _role in (Role.CITY_LEADER, Role.CITY_STAFF, Role.DISTRICT_STAFF, Role.ENFORCEMENT_OFFICER):
    ROLE_PERMISSIONS[_role] += ["protection.view_matter", "protection.view_submission",
                                "protection.view_deadlinerule"]
for _role in (Role.CITY_STAFF, Role.DISTRICT_STAFF, Role.ENFORCEMENT_OFFICER):
    ROLE_PERMISSIONS[_role] += ["protection.change_matter", "protection.add_submission",
                                "protection.reveal_submitter"]
ROLE_PERMISSIONS[Role.SYSADMIN] += ["protection.view_deadlinerule", "protection.add_deadlinerule",
                                    "protection.change_deadlinerule", "protection.delete_deadlinerule",
                                    "protection.view_intakeclient", "protection.add_intakeclient",
                                    "protection.change_intakeclient"]
for _role in (Role.ENTERPRISE_USER, Role.AGENCY_USER):
    ROLE_PERMISSIONS[_role] += ["protection.view_submission"]
# Handling: officers and staff mediate, refer, open and run cases and enter disclosures; staff (not the officers on
# the case — checked in the actions) review legal questions and sign disclosures off; leaders read.
for _role in (Role.CITY_STAFF, Role.DISTRICT_STAFF, Role.ENFORCEMENT_OFFICER):
    ROLE_PERMISSIONS[_role] += ["protection.view_case", "protection.add_case", "protection.change_case",
                                "protection.add_mediation", "protection.change_mediation", "protection.add_referral",
                                "protection.view_disclosure", "protection.add_disclosure"]
for _role in (Role.CITY_STAFF, Role.DISTRICT_STAFF):
    ROLE_PERMISSIONS[_role] += ["protection.change_legalreview", "protection.change_disclosure"]
ROLE_PERMISSIONS[Role.CITY_LEADER] += ["protection.view_case", "protection.view_disclosure"]
# A member department handles what was referred to it: it reads the matter and acknowledges and answers the referral.
ROLE_PERMISSIONS[Role.MEMBER_LIAISON] += ["protection.view_matter", "protection.view_referral",
                                          "protection.change_referral"]

# 维权援助: enterprises ask; the offices (and an agency's expert named as an enterprise's officer) help; staff name the
# officers. An officer outside the offices sees only the requests assigned to them (scope).
ROLE_PERMISSIONS[Role.ENTERPRISE_USER] += ["protection.view_assistancerequest", "protection.add_assistancerequest"]
ROLE_PERMISSIONS[Role.AGENCY_USER] += ["protection.view_assistancerequest", "protection.change_assistancerequest"]
ROLE_PERMISSIONS[Role.CITY_LEADER] += ["protection.view_assistancerequest"]
for _role in (Role.CITY_STAFF, Role.DISTRICT_STAFF, Role.ENFORCEMENT_OFFICER):
    ROLE_PERMISSIONS[_role] += ["protection.view_assistancerequest", "protection.change_assistancerequest"]
for _role in (Role.CITY_STAFF, Role.DISTRICT_STAFF):
    ROLE_PERMISSIONS[_role] += ["protection.add_assistanceassignment"]

# 存证 (evidence log): edited only in the evidence block below.
# --- evidence permissions ---
# Entries are read through the scope (whoever sees an entry's subject); the city office signs checkpoints on demand.
for _role in (Role.AUDITOR, Role.CITY_LEADER, Role.CITY_STAFF, Role.DISTRICT_STAFF, Role.ENFORCEMENT_OFFICER,
              Role.MEMBER_LIAISON, Role.ENTERPRISE_USER, Role.AGENCY_USER):
    ROLE_PERMISSIONS[_role] += ["evidence.view_evidenceentry"]
ROLE_PERMISSIONS[Role.CITY_STAFF] += ["evidence.add_checkpoint"]
# --- end evidence ---

# 信用监管 (credit records, lists, repair, classes): edited only in the credit block below.
# --- credit permissions ---
# The offices read their jurisdiction's records, lists and repair applications; staff and officers enter records;
# staff collect from the protection module, settle commitments, propose listings and decide repairs; the approval
# chain's roles (rule credit.listing_approval_chain, e.g. 局领导 for the last step) are checked in the actions.
# Member departments read the list and export it for joint punishment; enterprises and agencies read their own
# records and apply for repair.
for _role in (Role.CITY_LEADER, Role.CITY_STAFF, Role.DISTRICT_STAFF, Role.ENFORCEMENT_OFFICER):
    ROLE_PERMISSIONS[_role] += ["credit.view_creditrecord", "credit.view_seriouslisting",
                                "credit.view_repairapplication", "credit.view_collectionrun"]
for _role in (Role.CITY_STAFF, Role.DISTRICT_STAFF, Role.ENFORCEMENT_OFFICER):
    ROLE_PERMISSIONS[_role] += ["credit.add_creditrecord", "credit.add_seriouslisting"]
for _role in (Role.CITY_STAFF, Role.DISTRICT_STAFF):
    ROLE_PERMISSIONS[_role] += ["credit.change_creditrecord", "credit.collect_creditrecord",
                                "credit.change_repairapplication"]
for _role in (Role.CITY_LEADER, Role.CITY_STAFF, Role.DISTRICT_STAFF):
    ROLE_PERMISSIONS[_role] += ["credit.change_seriouslisting", "credit.export_seriouslisting"]
ROLE_PERMISSIONS[Role.MEMBER_LIAISON] += ["credit.view_seriouslisting", "credit.export_seriouslisting"]
for _role in (Role.ENTERPRISE_USER, Role.AGENCY_USER):
    ROLE_PERMISSIONS[_role] += ["credit.view_creditrecord", "credit.view_seriouslisting",
                                "credit.view_repairapplication", "credit.add_repairapplication"]
# --- end credit ---

# 非正常专利申请筛查 (flags for human review): edited only in the abnormal block below.
# --- abnormal permissions ---
# The offices read the flags of their jurisdiction; staff start screenings and review flags (confirm / exclude with a
# reason; a confirmed flag goes to the credit records). Enterprises, agencies and the administrators see none.
for _role in (Role.CITY_LEADER, Role.CITY_STAFF, Role.DISTRICT_STAFF, Role.ENFORCEMENT_OFFICER):
    ROLE_PERMISSIONS[_role] += ["abnormal.view_abnormalflag", "abnormal.view_screeningrun"]
for _role in (Role.CITY_STAFF, Role.DISTRICT_STAFF):
    ROLE_PERMISSIONS[_role] += ["abnormal.run_screening", "abnormal.review_abnormalflag"]
# --- end abnormal ---

# 双随机、一公开 (item list, pools, plans, draws, results): edited only in the inspections block below.
# --- inspections permissions ---
# The offices read their item list, pools, plans, draws and results (leaders and officers too); staff keep them
# and run the draws (the owning office only — checked in the views); inspectors (staff and officers) enter the
# results of what they were drawn for and declare their conflicts; staff publish results.
for _role in (Role.CITY_LEADER, Role.CITY_STAFF, Role.DISTRICT_STAFF, Role.ENFORCEMENT_OFFICER):
    ROLE_PERMISSIONS[_role] += ["inspections.view_inspectionitem", "inspections.view_inspectionobject",
                                "inspections.view_conflictdeclaration", "inspections.view_annualplan",
                                "inspections.view_batch", "inspections.view_draw", "inspections.view_assignment",
                                "inspections.view_inspectionresult"]
for _role in (Role.CITY_STAFF, Role.DISTRICT_STAFF):
    ROLE_PERMISSIONS[_role] += ["inspections.add_inspectionitem", "inspections.change_inspectionitem",
                                "inspections.add_inspectionobject", "inspections.change_inspectionobject",
                                "inspections.change_conflictdeclaration", "inspections.add_annualplan",
                                "inspections.change_annualplan", "inspections.add_batch", "inspections.add_draw",
                                "inspections.change_draw", "inspections.change_inspectionresult"]
for _role in (Role.CITY_STAFF, Role.DISTRICT_STAFF, Role.ENFORCEMENT_OFFICER):
    ROLE_PERMISSIONS[_role] += ["inspections.add_conflictdeclaration", "inspections.add_inspectionresult"]
# --- end inspections ---

# Roles allowed into the Django admin (is_staff is derived from the role, never set by hand).
ADMIN_SITE_ROLES = frozenset({Role.SYSADMIN, Role.AUDITOR})


def role_label(code: str) -> str:
    if code == PUBLIC:
        return PUBLIC_LABEL
    return Role(code).label
