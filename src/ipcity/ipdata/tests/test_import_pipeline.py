"""The patent import pipeline: counts, idempotency, updates with history, crash and resume, real exports."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from ipcity.core.validators import compute_application_check_digit
from ipcity.ipdata import importing
from ipcity.ipdata.importing import import_patents
from ipcity.ipdata.models import ImportBatch, Patent, PatentRevision, Publication, SourceRow

pytestmark = pytest.mark.django_db

SHARED = Path(__file__).resolve().parents[4].parent / "shared" / "data" / "patents"
HEADER = ["公开号", "申请号", "标题", "申请日", "公开日", "授权公告日", "国际分类", "国际主分类", "美国分类", "美国主分类",
          "权利要求数", "申请人", "标准化申请人", "发明人", "第一发明人", "本文引用专利数", "引用本文专利数", "本文自引用专利数",
          "本文非自引用专利数", "自引用本文专利数", "非自引用本文专利数", "法律状态", "同族专利数", "技术特征"]


def number(i: int) -> str:
    body = f"2023101{i:05d}"
    return f"CN{body}.{compute_application_check_digit(body)}"


def patentics_csv(path: Path, rows: int, *, status: str = "公开", bad_rows: tuple[int, ...] = ()) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f, quoting=csv.QUOTE_ALL)
        writer.writerow(HEADER)
        for i in range(rows):
            app = number(i)
            if i in bad_rows:
                app = app[:-1] + ("0" if app[-1] != "0" else "1")  # wrong check digit
            writer.writerow([f"CN11{i:07d}A", app, f"一种测试装置{i}", "20230105", "20230601", "", "G06F  3/01 | H04N 13/00",
                             "G06F", "", "", "8", "测试甲科技有限公司", "测试甲科技有限公司", "张三 | 李四", "张三", "0", "0",
                             "0", "0", "0", "0", status, "1", "10"])
    return path


def snapshot():
    return (sorted(Patent.objects.values_list("application_number", "title", "legal_status", "content_hash")),
            Publication.objects.count(), SourceRow.objects.count())


def test_import_counts_and_second_import_is_unchanged(world, tmp_path):
    path = patentics_csv(tmp_path / "a.csv", 30, bad_rows=(7,))
    batch = import_patents(path, acting_user=world.users["city_staff"], chunk_rows=8)
    assert batch.summary() == {"read": 30, "created": 29, "updated": 0, "unchanged": 0, "rejected": 1,
                               "batch": batch.pk}
    assert "校验位" in "".join(batch.rejected_rows.get().reasons)
    assert batch.rejected_rows.get().raw["申请号"].startswith("CN")  # the raw row is kept
    again = import_patents(path, acting_user=world.users["city_staff"], chunk_rows=8)
    assert (again.created, again.updated, again.unchanged, again.rejected) == (0, 0, 29, 1)
    assert Patent.objects.filter(first_applicant="测试甲科技有限公司").count() == 29
    party = Patent.objects.get(application_number=number(0)).parties.get(role="applicant")
    assert party.organisation == world.orgs["enterprise_a"]


def test_a_newer_export_updates_and_keeps_history(world, tmp_path):
    import_patents(patentics_csv(tmp_path / "old.csv", 5), acting_user=None)
    batch = import_patents(patentics_csv(tmp_path / "new.csv", 5, status="有效"), acting_user=None)
    assert batch.updated == 5
    revision = PatentRevision.objects.filter(patent__application_number=number(0)).get()
    assert revision.changes["legal_status"][1] == "有效"


def test_crash_and_rerun_reaches_the_same_state_as_one_clean_run(world, tmp_path, monkeypatch):
    path = patentics_csv(tmp_path / "crash.csv", 40, bad_rows=(3, 33))
    original = importing.PatentImporter.apply
    calls = {"n": 0}

    def crashing(self, rec, row_hash):
        calls["n"] += 1
        if calls["n"] == 23:  # mid-chunk: this chunk rolls back entirely
            raise KeyboardInterrupt("simulated kill")
        return original(self, rec, row_hash)

    monkeypatch.setattr(importing.PatentImporter, "apply", crashing)
    with pytest.raises(KeyboardInterrupt):
        import_patents(path, acting_user=None, chunk_rows=10)
    batch = ImportBatch.objects.get(status=ImportBatch.Status.RUNNING)
    assert batch.checkpoint == 20 and batch.read == 20
    monkeypatch.setattr(importing.PatentImporter, "apply", original)
    resumed = import_patents(path, acting_user=None, chunk_rows=10)
    assert resumed.pk == batch.pk and resumed.status == ImportBatch.Status.DONE
    crashed_state, crashed_counts = snapshot(), resumed.summary()

    # One clean run of the same file on a fresh database state gives the same result.
    Patent.objects.all().delete()
    clean = import_patents(patentics_csv(tmp_path / "clean.csv", 40, bad_rows=(3, 33)), acting_user=None,
                           chunk_rows=10)
    assert {k: v for k, v in clean.summary().items() if k != "batch"} == {
        k: v for k, v in crashed_counts.items() if k != "batch"}
    assert snapshot()[0] == crashed_state[0] and snapshot()[1] == crashed_state[1]


@pytest.mark.parametrize("name", ["patentics-cn-virtual-reality-7805.csv", "incopat-iflytek-3816.xlsx",
                                  "incopat-chatbot-2798.xlsx", "patentics-cn-fulltext-thundersoft-511.xlsx"])
def test_real_exports_import_without_rejected_cn_numbers(world, name):
    path = SHARED / name
    if not path.exists():
        pytest.skip("../shared is absent: the real patent exports are not available")
    batch = import_patents(path, acting_user=None)
    assert batch.rejected == 0 and batch.read == batch.created + batch.updated
    again = import_patents(path, acting_user=None)
    assert again.unchanged == batch.read and again.created == again.updated == 0
