"""Handling a matter: the statutory first deadline, the complaint decision with its grounds, closure, and what the
submitter is told; the public form and the receipt."""
from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ipcity.accounts.roles import Role as R
from ipcity.protection import actions
from ipcity.protection.api import public_status
from ipcity.protection.models import DeadlineRule, Matter, Submission
from ipcity.protection.receipts import receipt_pdf
from ipcity.protection.tests.helpers import make_submission
from ipcity.regions.models import Region

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


@pytest.mark.django_db
def test_a_complaint_gets_seven_working_days_counted_over_the_national_day_holiday(world):
    # Received Monday 2025-09-29: 30 Sep is a working day; 1–8 Oct are the holiday; 28 Sep and 11 Oct are make-up
    # working days. Seven working days after the day of receipt: 30 Sep, 9, 10, 11 (Saturday, 调休), 13, 14, 15 Oct.
    submission = make_submission(received_at=dt.datetime(2025, 9, 29, 10, 0, tzinfo=SHANGHAI))
    matter = submission.matters.get()
    assert timezone.localtime(matter.due_at).date() == dt.date(2025, 10, 15)


@pytest.mark.django_db
def test_a_jurisdiction_may_set_its_own_limit_and_the_nearest_region_wins(world):
    city = Region.objects.get(code="371700")
    DeadlineRule.objects.create(step="complaint_acceptance", region=city, amount=3, unit="working_days",
                                source="某市投诉举报处理规定")
    start = dt.datetime(2025, 3, 3, 9, 0, tzinfo=SHANGHAI)  # a Monday, no holiday near
    in_a = make_submission(region_code="371702", received_at=start).matters.get()
    assert timezone.localtime(in_a.due_at).date() == dt.date(2025, 3, 6)
    DeadlineRule.objects.create(step="complaint_acceptance", region=Region.objects.get(code="371702"), amount=5,
                                unit="working_days", source="牡丹区规定")
    in_a2 = make_submission(region_code="371702", received_at=start).matters.get()
    assert timezone.localtime(in_a2.due_at).date() == dt.date(2025, 3, 10)
    deadline = actions.open_deadlines(in_a2).get()
    assert (deadline.amount, deadline.rule) == (5, "牡丹区规定")


@pytest.mark.django_db
def test_deciding_a_complaint_records_the_ground_and_tells_the_submitter(world):
    staff = world.user(R.DISTRICT_STAFF)
    matter = make_submission().matters.get()
    with pytest.raises(ValidationError):
        actions.decide_complaint(matter, acting_user=staff, accept=False, ground="")
    actions.decide_complaint(matter, acting_user=staff, accept=False, ground="time_barred")
    matter.refresh_from_db()
    assert matter.status == Matter.Status.NOT_ACCEPTED
    assert not actions.open_deadlines(matter).exists()
    notes = [e["note"] for e in public_status(matter.submission)["history"]]
    assert any("超过三年" in n for n in notes)
    with pytest.raises(ValidationError):  # decided once
        actions.decide_complaint(matter, acting_user=staff, accept=True)


@pytest.mark.django_db
def test_accept_then_close(world, client):
    staff = world.user(R.DISTRICT_STAFF)
    matter = make_submission().matters.get()
    client.force_login(staff)
    response = client.post(f"/protection/matters/{matter.pk}/decide/", {"decision": "accept", "track": "simple"})
    assert response.status_code == 302
    matter.refresh_from_db()
    assert (matter.status, matter.track) == ("accepted", "simple")
    client.post(f"/protection/matters/{matter.pk}/close/", {"outcome": "双方和解，被投诉人下架侵权商品。"})
    matter.refresh_from_db()
    assert matter.status == "closed" and matter.closed_at is not None
    assert public_status(matter.submission)["matters"][0]["status_label"] == "已办结"


@pytest.mark.django_db
def test_leaders_read_but_do_not_handle(world, client):
    matter = make_submission().matters.get()
    client.force_login(world.user(R.CITY_LEADER))
    assert client.get(f"/protection/matters/{matter.pk}/").status_code == 200
    assert client.post(f"/protection/matters/{matter.pk}/decide/", {"decision": "accept"}).status_code == 403


@pytest.mark.django_db
def test_the_staff_page_masks_the_submitter(world, client):
    matter = make_submission(submitter_name="欧阳娜娜", submitter_phone="13912345678",
                             submitter_id_number="11010519491231002X").matters.get()
    client.force_login(world.user(R.CITY_STAFF))
    html = client.get(f"/protection/matters/{matter.pk}/").content.decode()
    assert "13912345678" not in html and "11010519491231002X" not in html and "欧阳娜娜" not in html
    assert "139****5678" in html and "欧阳**" in html


@pytest.mark.django_db
def test_the_public_form_creates_a_submission_and_shows_the_code(world, client):
    response = client.post("/portal/complaints/", {
        "kinds": ["report"], "ip_type": "trademark", "submitter_type": "anonymous",
        "respondent_kind": "trade_fair_booth", "respondent_name": "某展商", "respondent_fair": "菏泽牡丹博览会",
        "respondent_booth": "A-101", "region_code": "371702", "trademarks": "第12345678号",
        "facts": "展位上销售假冒注册商标的商品，数量较大。"})
    assert response.status_code == 302, response.content.decode()[:2000]
    page = client.get(response["Location"]).content.decode()
    submission = Submission.objects.get()
    assert submission.tracking_number in page and actions.lookup_code(submission.tracking_number) in page
    assert [r.number for r in submission.rights.all()] == ["12345678"]
    assert submission.matters.get().kind == "report"


@pytest.mark.django_db
def test_the_public_form_reports_each_problem_in_chinese_and_saves_nothing(world, client):
    response = client.post("/portal/complaints/", {
        "kinds": ["complaint"], "ip_type": "patent_infringement", "submitter_type": "anonymous",
        "respondent_kind": "enterprise", "respondent_name": "某公司", "patents": "ZL201310123456.3",
        "facts": "太短"})
    assert response.status_code == 200
    html = response.content.decode()
    for words in ("校验位", "投诉须实名", "至少"):
        assert words in html, words
    assert not Submission.objects.exists()


@pytest.mark.django_db
def test_the_receipt_is_a_pdf_carrying_the_digest_and_needs_the_code(world, client):
    submission = make_submission(attachments=[("证据.txt", "购买记录".encode())])
    code = actions.lookup_code(submission.tracking_number)
    url = f"/portal/complaints/{submission.tracking_number}/receipt.pdf"
    assert client.get(url, {"code": "WRONG"}).status_code == 404
    response = client.get(url, {"code": code})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = b"".join(response.streaming_content) if response.streaming else response.content
    assert pdf.startswith(b"%PDF-")
    text = _pdf_text(receipt_pdf(submission))
    assert submission.tracking_number in text
    assert submission.receipt_digest[:16] in text.replace("\n", "")


def _pdf_text(pdf: bytes) -> str:
    import shutil
    import subprocess

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    return subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


@pytest.mark.django_db
def test_staff_record_a_phone_complaint_on_the_callers_behalf(world, client):
    staff = world.user(R.DISTRICT_STAFF)
    client.force_login(staff)
    response = client.post("/protection/new/", {
        "channel": "phone", "kinds": ["complaint"], "ip_type": "patent_infringement", "submitter_type": "person",
        "submitter_name": "来电人", "submitter_phone": "0530-5551234", "respondent_kind": "enterprise",
        "respondent_name": "某制造厂", "region_code": "371702", "patents": "CN201310123456.2",
        "facts": "来电反映某制造厂仿制其专利产品并在本地销售。"})
    assert response.status_code == 302
    submission = Submission.objects.get()
    assert submission.channel == "phone" and submission.submitter_user is None
    assert submission.matters.get().status == "received"
    client.force_login(world.user(R.CITY_LEADER))
    assert client.get("/protection/new/").status_code == 403


@pytest.mark.django_db
def test_revealing_the_submitters_phone_is_audited_and_only_for_handlers(world, client):
    from ipcity.core.models import AuditEntry

    submission = make_submission(submitter_phone="13912345678")
    url = f"/protection/submissions/{submission.pk}/reveal/submitter_phone/"
    client.force_login(world.user(R.CITY_LEADER))  # reads the matter, may not reveal
    assert client.post(url).status_code == 403
    client.force_login(world.user(R.DISTRICT_STAFF))
    page = client.get(f"/protection/matters/{submission.matters.get().pk}/").content.decode()
    assert "139****5678" in page and "13912345678" not in page and "查看" in page
    response = client.post(url)
    assert response.status_code == 200 and "13912345678" in response.content.decode()
    entry = AuditEntry.objects.filter(action="privacy.reveal", object_id=str(submission.pk)).get()
    assert entry.changes == {"field": "submitter_phone"} and entry.actor == world.user(R.DISTRICT_STAFF)
    assert client.post(f"/protection/submissions/{submission.pk}/reveal/facts/").status_code == 400
    client.force_login(world.user(R.MEMBER_LIAISON))
    assert client.post(url).status_code == 404


@pytest.mark.django_db
def test_the_submitter_is_mailed_each_public_step_after_it_commits_and_never_the_internal_ones(
        world, settings, mailoutbox, django_capture_on_commit_callbacks):
    from ipcity.protection.assignment import assign_matter

    settings.IPCITY_EMAIL_ENABLED = True
    matter = make_submission(submitter_email="zhao@example.cn").matters.get()
    staff = world.user(R.DISTRICT_STAFF)
    with django_capture_on_commit_callbacks(execute=True):
        actions.decide_complaint(matter, acting_user=staff, accept=True, track="simple")
        assign_matter(matter, acting_user=staff, office=world.orgs["district_a"], assignee=staff)  # internal
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["zhao@example.cn"] and matter.submission.tracking_number in mail.subject
    assert "已受理" in mail.body and actions.lookup_code(matter.submission.tracking_number) not in mail.body
    # A refused step tells nobody.
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        actions.decide_complaint(matter, acting_user=staff, accept=False, ground="no_dispute")
    assert len(mailoutbox) == 1
    # Without a mail server, nothing is sent: the status page is the notice.
    settings.IPCITY_EMAIL_ENABLED = False
    with django_capture_on_commit_callbacks(execute=True):
        actions.close_matter(matter, acting_user=staff, outcome="双方和解。")
    assert len(mailoutbox) == 1 and "双方和解" in str(public_status(matter.submission))
