"""Who sees screening runs and flags: the offices, for their jurisdiction (the city office all of the city); nobody
else. Flag pages answer 404 outside scope."""
from __future__ import annotations

from ipcity.abnormal.models import AbnormalFlag, ScreeningRun
from ipcity.accounts.roles import Role as R
from ipcity.core.testing import DetailPageMatrix, ScopeMatrix


def run_in(code):
    return ScreeningRun.objects.create(region_id=code, status=ScreeningRun.Status.FINISHED)


def flag_in(code, kind="burst"):
    run = run_in("371700")
    return AbnormalFlag.objects.create(kind=kind, subject_role="applicant", subject_name=f"{code}公司",
                                       region_id=code, natural_key=f"k-{code}-{kind}-{run.pk}", first_run=run,
                                       last_run=run, evidence={}, application_numbers=[])


CITY = {R.CITY_LEADER, R.CITY_STAFF}
DISTRICT_A = {R.DISTRICT_STAFF, R.ENFORCEMENT_OFFICER}


class TestScreeningRunScope(ScopeMatrix):
    model = ScreeningRun
    objects = {"city": lambda w: run_in("371700"), "a": lambda w: run_in("371702"), "b": lambda w: run_in("371703")}
    visible_to = {**{r: {"city", "a", "b"} for r in CITY}, **{r: {"city", "a"} for r in DISTRICT_A}}


class TestAbnormalFlagScope(DetailPageMatrix):
    model = AbnormalFlag
    objects = {"a": lambda w: flag_in("371702"), "b": lambda w: flag_in("371703", "duplicate")}
    visible_to = {**{r: {"a", "b"} for r in CITY}, **{r: {"a"} for r in DISTRICT_A}}

    @staticmethod
    def detail_url(obj):
        return f"/abnormal/flags/{obj.pk}/"
