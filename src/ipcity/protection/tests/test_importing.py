"""Bulk import of complaints and reports: rows checked like every channel, rejected rows kept with reasons, the same
file twice changes nothing."""
from __future__ import annotations

import csv

import pytest

from ipcity.ipdata.models import RejectedRow
from ipcity.protection.importing import COLUMNS, import_submissions, template_csv
from ipcity.protection.models import Matter, Submission

HEADERS = [h for h, *_ in COLUMNS]


def _row(**values):
    row = {h: "" for h in HEADERS}
    row.update({"类别": "投诉", "知识产权类型": "专利侵权", "提交人类型": "自然人", "提交人姓名": "孙八",
                "联系电话": "13600000000", "被投诉（举报）对象类型": "企业或其他组织", "被投诉（举报）对象": "某贸易公司",
                "区划代码": "371702", "专利号": "ZL201310123456.2", "事实与理由": "被投诉人销售的产品落入我方专利保护范围。"})
    row.update(values)
    return row


def _write(path, rows):
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=HEADERS)
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.mark.django_db
def test_rows_become_matters_bad_rows_are_kept_with_reasons_and_a_rerun_changes_nothing(world, tmp_path):
    path = _write(tmp_path / "投诉台账.csv", [
        _row(),
        _row(类别="投诉；举报", 原编号="PLAT-2"),
        _row(专利号="ZL201310123456.3"),  # wrong check digit
        _row(类别="建议"),
        _row(区划代码="110101"),
        _row(提交人类型="匿名（仅举报）"),  # a complaint cannot be anonymous
    ])
    batch = import_submissions(path, acting_user=None)
    assert (batch.read, batch.created, batch.rejected) == (6, 2, 4)
    assert Matter.objects.count() == 3 and set(Submission.objects.values_list("channel", flat=True)) == {"import"}
    reasons = {r.row_number: " ".join(r.reasons) for r in RejectedRow.objects.filter(batch=batch)}
    assert "校验位" in reasons[3] and "投诉" in reasons[4] and "本市" in reasons[5] and "实名" in reasons[6]
    again = import_submissions(path, acting_user=None)
    assert (again.created, again.unchanged, again.rejected) == (0, 2, 4)  # the two good rows replay their keys
    assert Submission.objects.count() == 2


def test_the_template_has_every_column_and_an_example_row():
    text = template_csv().decode("utf-8-sig").splitlines()
    assert text[0].split(",") == HEADERS and len(text) == 2


@pytest.mark.django_db
def test_the_import_command_reports_counts_and_writes_the_rejected_rows(world, tmp_path, capsys):
    import json

    from ipcity import cli

    path = _write(tmp_path / "台账.csv", [_row(), _row(专利号="123")])
    assert cli.main(["import", "submissions", str(path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert (out["created"], out["rejected"]) == (1, 1) and out["error_report"].endswith("-拒收记录.xlsx")


@pytest.mark.django_db
def test_an_office_uploads_the_file_on_the_web_and_only_that_office_sees_the_rejected_rows(world, client, tmp_path):
    from ipcity.accounts.roles import Role as R
    from ipcity.core.scoping import visible
    from ipcity.ipdata.models import ImportBatch
    from ipcity.jobs.models import Job
    from ipcity.jobs.runner import run_pending

    staff = world.user(R.DISTRICT_STAFF)
    client.force_login(staff)
    template = client.get("/protection/import/template.csv")
    assert template.status_code == 200 and "事实与理由" in template.content.decode("utf-8-sig")
    path = _write(tmp_path / "平台月度清单.csv", [_row(), _row(专利号="ZL201310123456.3")])
    with path.open("rb") as f:
        response = client.post("/protection/import/", {"file": f})
    job = Job.objects.get(kind="protection.import")
    assert response.status_code == 302 and response["Location"].endswith(f"/jobs/{job.pk}/")
    assert run_pending() == 1
    job.refresh_from_db()
    assert job.status == "succeeded", job.message
    assert (job.result["created"], job.result["rejected"]) == (1, 1)
    batch = ImportBatch.objects.get(kind="submissions")
    assert client.get(job.result["downloads"][1]["url"]).status_code == 200  # the rejected rows with reasons
    # The rejected row carries a submitter's name and phone: another office does not see the batch at all.
    other = world.user(R.CITY_STAFF)
    assert not visible(ImportBatch, other).filter(pk=batch.pk).exists()
    assert not visible(RejectedRow, other).filter(batch=batch).exists()
    client.force_login(other)
    assert client.get(f"/data/batches/{batch.pk}/").status_code == 404
    client.force_login(world.user(R.ENTERPRISE_USER))
    assert client.get("/protection/import/").status_code == 403
