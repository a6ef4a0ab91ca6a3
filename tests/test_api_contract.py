"""Contract test: schemathesis drives every operation of /api/v1/openapi.json against the Django app.

Each operation gets positive and negative examples. Every response must have a declared status code, must not be a
server error (5xx), must carry the declared content type, must validate against the declared response schema and must
have its Chinese unescaped; input the schema forbids must not be accepted (no 2xx for negative data); and every
operation that requires authentication must answer 401 without credentials or with an invalid token.

Requests go through Django's own test handler (`ClientHandler`, behind a WSGI interface for schemathesis' WSGI
transport), so they run in-process inside the pytest-django test transaction, see the shared test world and are rolled
back. CSRF is enforced as in production. The client authenticates with a Bearer token of the world's 市局业务人员
(city_staff), whose scope is the whole city, so the authenticated operations are exercised past the 401.
"""
from __future__ import annotations

import json
import re
import uuid
from collections import defaultdict

import jsonschema_rs
import pytest
import schemathesis
from django.test.client import ClientHandler
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from ipcity.api import openapi_view
from ipcity.core.testing import CITY, DISTRICT_A, DISTRICT_B

# A \uXXXX escape of a character above U+007F: the API writes Chinese as UTF-8 (escapes of control characters are fine).
ESCAPED_NON_ASCII = re.compile(rb"(?<!\\)\\u(?!00[0-7][0-9a-fA-F])[0-9a-fA-F]{4}")


def chinese_not_escaped(ctx, response, case):
    """Every JSON body the API sends has its Chinese (any non-ASCII text) unescaped."""
    if "json" in (response.headers.get("content-type") or [""])[0]:
        found = ESCAPED_NON_ASCII.search(response.content)
        assert found is None, f"escaped non-ASCII {found.group().decode()} in {response.content[:200]!r}"


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
    ignored_auth,  # without a token, or with an invalid one, every operation that declares security answers 401
    chinese_not_escaped,
]


def _django_wsgi_app():
    """Django's test request handler (no connection closing, CSRF enforced) behind a plain WSGI interface."""
    handler = ClientHandler(enforce_csrf_checks=True)

    def app(environ, start_response):
        response = handler(environ)
        headers = list(response.items())
        headers += [("Set-Cookie", morsel.OutputString()) for morsel in response.cookies.values()]
        start_response(f"{response.status_code} {response.reason_phrase}", headers)
        return response.streaming_content if response.streaming else [response.content]

    return app


# The document exactly as served at /api/v1/openapi.json (the view reads nothing from the request).
DOCUMENT = json.loads(openapi_view(None).content)


def _load_schema():
    loaded = schemathesis.openapi.from_dict(DOCUMENT)
    loaded.app = _django_wsgi_app()  # selects schemathesis' WSGI transport: in-process, no server
    # The credentials are ours (the city_staff token), not generated ones, so that ignored_auth can tell a request
    # with valid credentials from one without.
    loaded.config.generation.update(with_security_parameters=False)
    return loaded


schema = _load_schema()

# Path-parameter values that exist in the test world, by parameter name. Filled by the `city_staff_token` fixture
# before hypothesis draws any example (the hooks run inside the test), so the ids match whichever database is in use.
EXISTING: dict[str, list] = {}
# Status codes answered per operation, to prove the run got past authentication and validation (see the fixture).
SEEN: dict[str, set[int]] = defaultdict(set)
# city_staff is no auditor: verifying the audit chain answers 403 (the auditor's 200 is in tests/test_api.py).
NO_SUCCESS_EXPECTED = {"POST /api/v1/audit/verify"}


def _is_plausible(name: str, value) -> bool:
    """Only a value the schema allows is swapped for an existing one, so negative examples stay negative."""
    if name in ("org_id", "contact_id", "plan_id", "task_id", "report_id", "indicator_id", "saved_id"):
        return isinstance(value, int) and not isinstance(value, bool)
    if name == "job_id":
        try:
            uuid.UUID(str(value))
        except ValueError:
            return False
        return isinstance(value, str)
    if name == "code":
        return isinstance(value, str) and re.fullmatch(r"\d{6}", value) is not None
    if name == "tracking_number":
        return isinstance(value, str)
    return False


# The request body schemas of the POSTs we re-aim, to tell a positive example (safe to re-aim) from a negative one.
ORGANISATION_IN = jsonschema_rs.validator_for(
    {"$ref": "#/components/schemas/OrganisationIn", "components": DOCUMENT["components"]})
VALUE_IN = jsonschema_rs.validator_for({"$ref": "#/components/schemas/ValueIn", "components": DOCUMENT["components"]})
REPORT_IN = jsonschema_rs.validator_for({"$ref": "#/components/schemas/ReportIn", "components": DOCUMENT["components"]})
SUBMISSION_IN = jsonschema_rs.validator_for(
    {"$ref": "#/components/schemas/SubmissionIn", "components": DOCUMENT["components"]})
# The documented example of the public intake body: random bodies almost never carry a valid patent check digit.
SUBMISSION_EXAMPLE = DOCUMENT["components"]["schemas"]["SubmissionIn"]["example"]


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    """Random ids almost never exist: aim about half of the examples at real objects so the 200s get validated too."""
    if not isinstance(path_parameters, dict):
        return st.just(path_parameters)
    names = [name for name, value in path_parameters.items() if EXISTING.get(name) and _is_plausible(name, value)]
    if not names:
        return st.just(path_parameters)
    existing = st.fixed_dictionaries({name: st.sampled_from(EXISTING[name]) for name in names})
    return st.one_of(existing.map(lambda found: {**path_parameters, **found}), st.just(path_parameters))


@schema.hook
def flatmap_body(context, body):
    """POST /orgs: random region codes lie outside city_staff's jurisdiction (403) and random USCCs and parent ids are
    invalid (422, 404); aim half of the examples inside the city, some without USCC and parent, so 201s occur too."""
    if context.operation.method.upper() != "POST" or not isinstance(body, dict):
        return st.just(body)
    path = context.operation.path
    if path.endswith("/values") and VALUE_IN.is_valid(body):  # inside the plan's region and city_staff's city
        return st.one_of(st.sampled_from([CITY, DISTRICT_A]).map(lambda code: {**body, "region_code": code}),
                         st.just(body))
    if path == "/api/v1/public/submissions" and SUBMISSION_IN.is_valid(body):
        return st.one_of(st.just(SUBMISSION_EXAMPLE), st.just(body))
    if path.endswith("/reports") and REPORT_IN.is_valid(body):  # a regular report needs a period
        return st.one_of(st.just({**body, "kind": "regular", "period": "2025Q3"}), st.just(body))
    if path != "/api/v1/orgs" or not ORGANISATION_IN.is_valid(body):
        return st.just(body)
    plain = {"uscc": None, "parent_id": None}
    inside = st.tuples(st.sampled_from([CITY, DISTRICT_A, DISTRICT_B]), st.booleans()).map(
        lambda drawn: {**body, "region_code": drawn[0], **(plain if drawn[1] else {})})
    return st.one_of(inside, st.just(body))


@schema.hook
def flatmap_query(context, query):
    """The submission status lookup: pair half of the examples with the right code of the existing submission."""
    if not context.operation.path.startswith("/api/v1/public/submissions/") or not isinstance(query, dict):
        return st.just(query)
    if not EXISTING.get("lookup_code"):
        return st.just(query)
    return st.one_of(st.just({**query, "code": EXISTING["lookup_code"][0]}), st.just(query))


@schema.hook
def after_call(context, case, response):
    SEEN[case.operation.label].add(response.status_code)


@pytest.fixture
def city_staff_token(world):
    from ipcity.accounts.actions import create_api_token
    from ipcity.jobs.actions import submit_job
    from ipcity.orgs.models import Contact, Organisation
    from ipcity.plans.models import Indicator, Plan, ProgressReport, Task
    from ipcity.regions.models import Region
    from ipcity.search.models import SavedSearch

    staff = world.users["city_staff"]
    saved = [SavedSearch.objects.create(owner=owner, name=f"契约测试{i}", query="锂电池").pk
             for i, owner in enumerate([staff] * 5 + [world.users["enterprise_user"]])]  # the last one: 404
    own_job = submit_job("workdays.recompute", acting_user=staff)
    others_job = submit_job("workdays.recompute", acting_user=world.users["enterprise_user"])  # 404 for city_staff
    EXISTING.update(
        org_id=sorted(Organisation.objects.values_list("pk", flat=True)),
        contact_id=sorted(Contact.objects.values_list("pk", flat=True)),
        job_id=[str(own_job.pk), str(others_job.pk)],
        plan_id=sorted(Plan.objects.values_list("pk", flat=True)),
        task_id=sorted(Task.objects.values_list("pk", flat=True)),
        report_id=sorted(ProgressReport.objects.values_list("pk", flat=True)),
        indicator_id=sorted(Indicator.objects.values_list("pk", flat=True)),
        saved_id=saved,
        code=[CITY, DISTRICT_A, DISTRICT_B, *Region.objects.filter(level__lte=2).values_list("code", flat=True)[:4]],
    )
    from ipcity.protection.actions import lookup_code
    from ipcity.protection.tests.helpers import make_submission

    tracking = make_submission().tracking_number
    EXISTING.update(tracking_number=[tracking], lookup_code=[lookup_code(tracking)])
    SEEN.clear()
    _token, secret = create_api_token(staff, "schemathesis 契约测试", acting_user=staff)
    yield {"Authorization": f"Bearer {secret}"}
    EXISTING.clear()
    # Each operation runs as its own subtest with its own fixtures, so SEEN now holds this operation's statuses. Without
    # this, a regression that refused every request (as the CSRF check once refused every Bearer-token POST with 403)
    # would pass unseen: 403 is a declared status.
    for label, statuses in SEEN.items():
        if label not in NO_SUCCESS_EXPECTED:
            assert any(200 <= status < 300 for status in statuses), f"{label} never answered 2xx: {sorted(statuses)}"


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                           HealthCheck.filter_too_much, HealthCheck.data_too_large],
)
def test_api_conforms_to_its_openapi_schema(case, city_staff_token):
    case.call_and_validate(headers=city_staff_token, checks=CHECKS)
